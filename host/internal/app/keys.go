package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/host/internal/config"
	"github.com/orama-network/orama/host/internal/pluginmgr"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/database"
)

const keysUsage = `usage: orama keys <create|list|revoke> -config FILE -namespace NS [flags]

  create  make an operator API key for NS; the key is printed once. A
          namespace nobody owns yet becomes the operator's: wallets sign
          in to it only once added (orama namespace add-wallet)
  list    list NS's keys (ids, names, plans; never the secrets)
  revoke  revoke the key -id ID of NS

The command starts the config's database and auth plugins (the same ones
the gateway runs) just for the call, so it works with or without a
running gateway. ORAMA_LOG_LEVEL=debug shows the plugins' logs.

flags:
`

// keysOptions are the parsed flags of orama keys.
type keysOptions struct {
	op         string // create, list, revoke
	configPath string
	namespace  string
	name, plan string // create
	id         string // revoke
	json       bool
	timeout    time.Duration // bound on starting the plugins
}

// keysCommand runs `orama keys create|list|revoke`.
func keysCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, code := parseKeysFlags(args, stdout, stderr)
	if code >= 0 {
		return code
	}
	cfg, diags := config.Load(o.configPath)
	if diags.HasErrors() {
		_ = config.WriteDiagnostics(stderr, diags, isTerminal(os.Stderr))
		return 1
	}
	if err := authPluginsOf(cfg); err != nil {
		fmt.Fprintf(stderr, "orama keys: %v\n", err)
		return 1
	}
	a, stop, err := startAuth(ctx, cfg, o.timeout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "orama keys: %v\n", err)
		return 1
	}
	defer stop()
	callCtx, cancel := context.WithTimeout(ctx, cfg.Server.RequestTimeout)
	defer cancel()
	if err := runKeys(callCtx, a, o, cfg.Server.KeyCacheTTL, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "orama keys %s: %s\n", o.op, describe(err))
		return 1
	}
	return 0
}

// parseKeysFlags parses args; code is the exit code when the command
// should end now (usage, help), -1 otherwise.
func parseKeysFlags(args []string, stdout, stderr io.Writer) (keysOptions, int) {
	var o keysOptions
	if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprint(stdout, keysUsage)
			return o, 0
		}
		fmt.Fprint(stderr, "orama keys: name a subcommand: create, list or revoke\n\n"+keysUsage)
		return o, 2
	}
	o.op, args = args[0], args[1:]
	switch o.op {
	case "create", "list", "revoke":
	case "help":
		fmt.Fprint(stdout, keysUsage)
		return o, 0
	default:
		fmt.Fprintf(stderr, "orama keys: unknown subcommand %q\n\n%s", o.op, keysUsage)
		return o, 2
	}
	fs := flag.NewFlagSet("orama keys "+o.op, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.configPath, "config", "config.hcl", "path of the gateway's config file")
	fs.StringVar(&o.namespace, "namespace", "", "the namespace of the keys (required)")
	fs.BoolVar(&o.json, "json", false, "print JSON instead of text")
	fs.DurationVar(&o.timeout, "timeout", 60*time.Second, "how long to wait for the plugins to start")
	switch o.op {
	case "create":
		fs.StringVar(&o.name, "name", "", "a label for the key (optional)")
		fs.StringVar(&o.plan, "plan", "", "the key's plan (default: the auth plugin's)")
	case "revoke":
		fs.StringVar(&o.id, "id", "", "the id of the key to revoke (from orama keys list; required)")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, 0
		}
		return o, 2
	}
	var problem string
	switch {
	case fs.NArg() > 0:
		problem = fmt.Sprintf("unexpected argument %q (flags go after the subcommand: -namespace NS)", fs.Arg(0))
	case o.namespace == "":
		problem = "-namespace is required"
	case auth.CheckNamespace(o.namespace) != nil:
		problem = describe(auth.CheckNamespace(o.namespace))
	case o.op == "revoke" && o.id == "":
		problem = "-id is required (the ID column of orama keys list)"
	case auth.CheckText("name", o.name, auth.MaxNameLen, true) != nil:
		problem = describe(auth.CheckText("name", o.name, auth.MaxNameLen, true))
	case auth.CheckText("plan", o.plan, auth.MaxNameLen, true) != nil:
		problem = describe(auth.CheckText("plan", o.plan, auth.MaxNameLen, true))
	case o.timeout <= 0:
		problem = "-timeout must be positive"
	}
	if problem != "" {
		fmt.Fprintf(stderr, "orama keys %s: %s\n", o.op, problem)
		return o, 2
	}
	return o, -1
}

// authPluginsOf checks that cfg declares what API keys need: an auth
// plugin, which keeps them through a database plugin.
func authPluginsOf(cfg *config.Config) error {
	if cfg.Plugin(auth.Kind) == nil {
		return fmt.Errorf(`%s has no plugin "auth" block: API keys are kept by the auth plugin; add one (see README.md, Authentication)`, cfg.File)
	}
	if cfg.Plugin(database.Kind) == nil {
		return fmt.Errorf(`%s has no plugin "database" block: the auth plugin stores its keys through the database plugin; add one`, cfg.File)
	}
	return nil
}

// startAuth starts cfg's database and auth plugins through the plugin
// manager, exactly as the gateway would (same binaries, config blocks,
// node id and data_dir), and waits up to timeout until both serve. The
// plugins check their blocks first, so a bad value is reported at its
// line. stop stops them.
func startAuth(ctx context.Context, cfg *config.Config, timeout time.Duration, stderr io.Writer) (auth.Auth, func(), error) {
	// The command reports what fails itself; plugin logs only on request.
	level := hclog.LevelFromString(os.Getenv("ORAMA_LOG_LEVEL"))
	if level == hclog.NoLevel {
		level = hclog.Off
	}
	log := hclog.New(&hclog.LoggerOptions{Name: "orama", Level: level, Output: stderr})
	sub := *cfg
	sub.Plugins = []*config.Plugin{cfg.Plugin(database.Kind), cfg.Plugin(auth.Kind)}

	vctx, cancel := context.WithTimeout(ctx, timeout)
	diags := pluginmgr.Validate(vctx, log, &sub)
	cancel()
	if diags.HasErrors() {
		_ = config.WriteDiagnostics(stderr, diags, isTerminal(os.Stderr))
		return nil, nil, fmt.Errorf("fix %s first", cfg.File)
	}
	if err := os.MkdirAll(cfg.Node.DataDir, 0o750); err != nil {
		return nil, nil, fmt.Errorf("cannot create data_dir: %w", err)
	}
	mgr := pluginmgr.New(pluginmgr.Options{Logger: log, NodeID: cfg.Node.ID, DataDir: cfg.Node.DataDir, UpgradeWait: timeout})
	stop := func() {
		sctx, cancel := context.WithTimeout(context.Background(), cfg.Server.ShutdownTimeout)
		defer cancel()
		mgr.Stop(sctx)
	}
	sctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err := mgr.Apply(sctx, sub.Plugins)
	if err == nil {
		err = waitServing(sctx, mgr)
	}
	var a auth.Auth
	if err == nil {
		a, err = mgr.Auth(sctx)
	}
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("starting the database and auth plugins: %w", err)
	}
	return a, stop, nil
}

// waitServing waits until every plugin of mgr serves. A plugin that
// failed to start (its binary, or a config it refused when configured,
// such as a key_secret that does not open the stored signing keys) ends
// the wait at once: the supervisor would retry it with backoff, which
// suits a gateway, not a one-shot command.
func waitServing(ctx context.Context, mgr *pluginmgr.Manager) error {
	for {
		wctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		err := mgr.WaitReady(wctx)
		cancel()
		if err == nil {
			return nil
		}
		for kind, st := range mgr.Statuses() {
			if st.State == pluginmgr.StateFailed {
				return fmt.Errorf("the %s plugin failed to start: %s", kind, st.Detail)
			}
		}
		if ctx.Err() != nil {
			return err
		}
	}
}

// keyView is a key as the -json output shows it.
type keyView struct {
	ID        string    `json:"id"`
	Key       string    `json:"key,omitempty"` // create only
	Namespace string    `json:"namespace"`
	Name      string    `json:"name"`
	Plan      string    `json:"plan"`
	Wallet    string    `json:"wallet"`
	Created   time.Time `json:"created"`
	Revoked   bool      `json:"revoked"`
}

func viewOf(k auth.APIKey) keyView {
	return keyView{ID: k.ID, Key: k.Key, Namespace: k.Namespace, Name: k.Name, Plan: k.Plan,
		Wallet: k.Wallet, Created: k.Created.UTC(), Revoked: k.Revoked}
}

// onceWarning is printed with every new key.
const onceWarning = "Store it now: it cannot be shown again (the gateway keeps only a hash of it)."

// runKeys makes the call of o.op on a and prints its outcome. keyCacheTTL
// is the config's bound on how long a revoked key keeps working.
func runKeys(ctx context.Context, a auth.Auth, o keysOptions, keyCacheTTL time.Duration, stdout, stderr io.Writer) error {
	switch o.op {
	case "create":
		k, err := a.CreateKey(ctx, o.namespace, o.name, o.plan)
		if err != nil {
			return err
		}
		if o.json {
			fmt.Fprintln(stderr, "orama keys: "+onceWarning)
			return writeJSONTo(stdout, viewOf(k))
		}
		fmt.Fprintf(stdout, "Created API key %s in namespace %q (plan %q", k.ID, k.Namespace, k.Plan)
		if k.Name != "" {
			fmt.Fprintf(stdout, ", name %q", k.Name)
		}
		fmt.Fprintf(stdout, "):\n\n    %s\n\n%s\n", k.Key, onceWarning)
		return nil
	case "list":
		keys, err := a.ListKeys(ctx, o.namespace)
		if err != nil {
			return err
		}
		if o.json {
			views := make([]keyView, len(keys))
			for i, k := range keys {
				k.Key = "" // never a secret in a listing, whatever the plugin sent
				views[i] = viewOf(k)
			}
			return writeJSONTo(stdout, struct {
				Keys  []keyView `json:"keys"`
				Count int       `json:"count"`
			}{views, len(views)})
		}
		return keyTable(stdout, o.namespace, keys)
	case "revoke":
		if err := a.RevokeKey(ctx, o.namespace, o.id); err != nil {
			return err
		}
		if o.json {
			return writeJSONTo(stdout, map[string]string{"status": "ok", "id": o.id, "namespace": o.namespace})
		}
		fmt.Fprintf(stdout, "Revoked API key %s of namespace %q. Gateways refuse it within key_cache_ttl (%s).\n",
			o.id, o.namespace, keyCacheTTL)
		return nil
	}
	return fmt.Errorf("unknown subcommand %q", o.op)
}

// keyTable prints keys as an aligned table, oldest first.
func keyTable(w io.Writer, namespace string, keys []auth.APIKey) error {
	if len(keys) == 0 {
		_, err := fmt.Fprintf(w, "No API keys in namespace %q.\n", namespace)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tPLAN\tWALLET\tCREATED\tSTATUS")
	for _, k := range keys {
		status := "active"
		if k.Revoked {
			status = "revoked"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, dash(k.Name), dash(k.Plan), dash(k.Wallet),
			k.Created.UTC().Format(time.RFC3339), status)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeJSONTo(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// describe is an error as a user reads it: the message, and the code of
// a domain error other than internal.
func describe(err error) string {
	var e *sdk.Error
	if errors.As(err, &e) && e.Code != sdk.CodeInternal {
		return fmt.Sprintf("%s (%s)", e.Message, e.Code)
	}
	return err.Error()
}
