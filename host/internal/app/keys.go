package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/orama-network/orama/host/internal/config"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
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
	operatorOptions        // op: create, list, revoke
	name, plan      string // create
	id              string // revoke
}

// keysCmd is orama keys as an operator command.
var keysCmd = operatorCommand{name: "keys", ops: []string{"create", "list", "revoke"},
	usage: keysUsage, nsUsage: "the namespace of the keys (required)"}

// keysCommand runs `orama keys create|list|revoke`.
func keysCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, code := parseKeysFlags(args, stdout, stderr)
	if code >= 0 {
		return code
	}
	return keysCmd.withAuth(ctx, o.operatorOptions, stderr, func(ctx context.Context, a auth.Auth, cfg *config.Config) error {
		return runKeys(ctx, a, o, cfg.Server.KeyCacheTTL, stdout, stderr)
	})
}

// parseKeysFlags parses args; code is the exit code when the command
// should end now (usage, help), -1 otherwise.
func parseKeysFlags(args []string, stdout, stderr io.Writer) (keysOptions, int) {
	var o keysOptions
	code := keysCmd.parse(args, stdout, stderr, &o.operatorOptions, func(fs *flag.FlagSet) {
		switch o.op {
		case "create":
			fs.StringVar(&o.name, "name", "", "a label for the key (optional)")
			fs.StringVar(&o.plan, "plan", "", "the key's plan (default: the auth plugin's)")
		case "revoke":
			fs.StringVar(&o.id, "id", "", "the id of the key to revoke (from orama keys list; required)")
		}
	}, func() string {
		switch {
		case o.op == "revoke" && o.id == "":
			return "-id is required (the ID column of orama keys list)"
		case auth.CheckText("name", o.name, auth.MaxNameLen, true) != nil:
			return describe(auth.CheckText("name", o.name, auth.MaxNameLen, true))
		case auth.CheckText("plan", o.plan, auth.MaxNameLen, true) != nil:
			return describe(auth.CheckText("plan", o.plan, auth.MaxNameLen, true))
		}
		return ""
	})
	return o, code
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
