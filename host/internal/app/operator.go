package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/host/internal/config"
	"github.com/orama-network/orama/host/internal/pluginmgr"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/database"
)

// operatorCommand is what the operator commands (orama keys, orama
// namespace) share: a subcommand, the flags -config, -namespace, -json
// and -timeout, and one call to the config's auth plugin, started just
// for it (withAuth).
type operatorCommand struct {
	name    string   // after "orama ": keys, namespace
	ops     []string // the subcommands
	usage   string   // printed by help and with a missing or unknown subcommand
	nsUsage string   // the usage of -namespace
}

// operatorOptions are the subcommand and the common flags, embedded in
// each command's options.
type operatorOptions struct {
	op         string
	configPath string
	namespace  string
	json       bool
	timeout    time.Duration // bound on starting the plugins
}

// parse parses args, a subcommand then its flags, into f. define adds
// the subcommand's own flags (f.op is set when it runs); check returns
// what is wrong with them, "" if nothing. code is the exit code when the
// command should end now (usage, help, a refused flag), -1 otherwise.
func (c operatorCommand) parse(args []string, stdout, stderr io.Writer, f *operatorOptions,
	define func(fs *flag.FlagSet), check func() string) int {
	if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprint(stdout, c.usage)
			return 0
		}
		fmt.Fprintf(stderr, "orama %s: name a subcommand: %s\n\n%s", c.name, orList(c.ops), c.usage)
		return 2
	}
	f.op, args = args[0], args[1:]
	switch {
	case slices.Contains(c.ops, f.op):
	case f.op == "help":
		fmt.Fprint(stdout, c.usage)
		return 0
	default:
		fmt.Fprintf(stderr, "orama %s: unknown subcommand %q\n\n%s", c.name, f.op, c.usage)
		return 2
	}
	fs := flag.NewFlagSet("orama "+c.name+" "+f.op, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.configPath, "config", "config.hcl", "path of the gateway's config file")
	fs.StringVar(&f.namespace, "namespace", "", c.nsUsage)
	fs.BoolVar(&f.json, "json", false, "print JSON instead of text")
	fs.DurationVar(&f.timeout, "timeout", 60*time.Second, "how long to wait for the plugins to start")
	define(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	var problem string
	switch {
	case fs.NArg() > 0:
		problem = fmt.Sprintf("unexpected argument %q (flags go after the subcommand: -namespace NS)", fs.Arg(0))
	case f.namespace == "":
		problem = "-namespace is required"
	case auth.CheckNamespace(f.namespace) != nil:
		problem = describe(auth.CheckNamespace(f.namespace))
	default:
		problem = check()
		if problem == "" && f.timeout <= 0 {
			problem = "-timeout must be positive"
		}
	}
	if problem != "" {
		fmt.Fprintf(stderr, "orama %s %s: %s\n", c.name, f.op, problem)
		return 2
	}
	return -1
}

// orList is words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// withAuth loads the config at o.configPath, starts its database and
// auth plugins (waiting up to o.timeout) and makes call of the
// subcommand o.op on them, bounded by the config's request_timeout. It
// returns the exit code, having reported what failed on stderr.
func (c operatorCommand) withAuth(ctx context.Context, o operatorOptions, stderr io.Writer,
	call func(ctx context.Context, a auth.Auth, cfg *config.Config) error) int {
	cfg, diags := config.Load(o.configPath)
	if diags.HasErrors() {
		_ = config.WriteDiagnostics(stderr, diags, isTerminal(os.Stderr))
		return 1
	}
	if err := authPluginsOf(cfg); err != nil {
		fmt.Fprintf(stderr, "orama %s: %v\n", c.name, err)
		return 1
	}
	a, stop, err := startAuth(ctx, cfg, o.timeout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "orama %s: %v\n", c.name, err)
		return 1
	}
	defer stop()
	callCtx, cancel := context.WithTimeout(ctx, cfg.Server.RequestTimeout)
	defer cancel()
	if err := call(callCtx, a, cfg); err != nil {
		fmt.Fprintf(stderr, "orama %s %s: %s\n", c.name, o.op, describe(err))
		return 1
	}
	return 0
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
