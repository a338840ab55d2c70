package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/orama-network/orama/host/internal/config"
	"github.com/orama-network/orama/sdk/auth"
)

const namespaceUsage = `usage: orama namespace <add-wallet|remove-wallet|list> -config FILE -namespace NS [flags]

  add-wallet     let the wallet -wallet W sign in to NS (-role member, the
                 default, or owner: owners also manage members through
                 POST/GET/DELETE /v1/auth/namespace/members). A namespace
                 nobody owns yet becomes the operator's.
  remove-wallet  take -wallet W out of NS: its API keys and refresh tokens
                 there are revoked (gateways refuse the keys within
                 key_cache_ttl). The wallet that founded NS cannot be removed.
  list           show who owns NS and which wallets were added

A namespace belongs to whoever created it first: an operator (orama keys
create, orama namespace add-wallet) or the first wallet to sign in to it.
Any other wallet gets 403 until it is added. Like orama keys, the command
starts the config's database and auth plugins just for the call.

flags:
`

// namespaceOptions are the parsed flags of orama namespace.
type namespaceOptions struct {
	operatorOptions // op: add-wallet, remove-wallet, list
	wallet          string
	role            string
}

// namespaceCmd is orama namespace as an operator command.
var namespaceCmd = operatorCommand{name: "namespace", ops: []string{"add-wallet", "remove-wallet", "list"},
	usage: namespaceUsage, nsUsage: "the namespace (required)"}

// namespaceCommand runs `orama namespace add-wallet|remove-wallet|list`.
func namespaceCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, code := parseNamespaceFlags(args, stdout, stderr)
	if code >= 0 {
		return code
	}
	return namespaceCmd.withAuth(ctx, o.operatorOptions, stderr, func(ctx context.Context, a auth.Auth, cfg *config.Config) error {
		return runNamespace(ctx, a, o, cfg.Server.KeyCacheTTL, stdout)
	})
}

// parseNamespaceFlags parses args; code is the exit code when the command
// should end now (usage, help), -1 otherwise.
func parseNamespaceFlags(args []string, stdout, stderr io.Writer) (namespaceOptions, int) {
	var o namespaceOptions
	code := namespaceCmd.parse(args, stdout, stderr, &o.operatorOptions, func(fs *flag.FlagSet) {
		if o.op != "list" {
			fs.StringVar(&o.wallet, "wallet", "", "the wallet address, ETH 0x… or SOL base58 (required)")
		}
		if o.op == "add-wallet" {
			fs.StringVar(&o.role, "role", auth.RoleMember, "member, or owner (may manage members too)")
		}
	}, func() string {
		if o.op != "list" && o.wallet == "" {
			return "-wallet is required"
		}
		if _, err := auth.NormalizeRole(o.role); err != nil {
			return describe(err)
		}
		return ""
	})
	return o, code
}

// memberJSON is a member as the -json output shows it.
type memberJSON struct {
	Wallet  string    `json:"wallet"`
	Role    string    `json:"role"`
	AddedBy string    `json:"added_by"`
	AddedAt time.Time `json:"added_at"`
}

func memberJSONOf(m auth.Member) memberJSON {
	return memberJSON{Wallet: m.Wallet, Role: m.Role, AddedBy: m.AddedBy, AddedAt: m.Added.UTC()}
}

// runNamespace makes the call of o.op as an operator and prints its
// outcome.
func runNamespace(ctx context.Context, a auth.Auth, o namespaceOptions, keyCacheTTL time.Duration, stdout io.Writer) error {
	switch o.op {
	case "add-wallet":
		m, err := a.AddMember(ctx, "", o.namespace, o.wallet, o.role)
		if err != nil {
			return err
		}
		if o.json {
			return writeJSONTo(stdout, struct {
				Namespace string `json:"namespace"`
				memberJSON
			}{o.namespace, memberJSONOf(m)})
		}
		fmt.Fprintf(stdout, "Wallet %s may now sign in to namespace %q (role %s).\n", m.Wallet, o.namespace, m.Role)
		return nil
	case "remove-wallet":
		if err := a.RemoveMember(ctx, "", o.namespace, o.wallet); err != nil {
			return err
		}
		if o.json {
			return writeJSONTo(stdout, map[string]string{"status": "ok", "namespace": o.namespace, "wallet": o.wallet})
		}
		fmt.Fprintf(stdout, "Removed wallet %s from namespace %q; its API keys there are revoked (gateways refuse them within key_cache_ttl, %s).\n",
			o.wallet, o.namespace, keyCacheTTL)
		return nil
	case "list":
		m, err := a.Members(ctx, "", o.namespace)
		if err != nil {
			return err
		}
		if o.json {
			members := make([]memberJSON, len(m.Members))
			for i, x := range m.Members {
				members[i] = memberJSONOf(x)
			}
			return writeJSONTo(stdout, struct {
				Namespace     string       `json:"namespace"`
				Owner         string       `json:"owner"`
				OperatorOwned bool         `json:"operator_owned"`
				CreatedAt     time.Time    `json:"created_at"`
				Members       []memberJSON `json:"members"`
				Count         int          `json:"count"`
			}{m.Namespace, m.Owner, m.OperatorOwned, m.Created.UTC(), members, len(members)})
		}
		return memberTable(stdout, m)
	}
	return fmt.Errorf("unknown subcommand %q", o.op)
}

// memberTable prints a namespace's owner and members.
func memberTable(w io.Writer, m auth.Membership) error {
	owner := m.Owner
	if m.OperatorOwned {
		owner = "an operator"
	}
	fmt.Fprintf(w, "Namespace %q, created %s by %s.\n", m.Namespace, m.Created.UTC().Format(time.RFC3339), owner)
	if len(m.Members) == 0 {
		_, err := fmt.Fprintln(w, "No wallets added.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WALLET\tROLE\tADDED BY\tADDED")
	for _, x := range m.Members {
		by := x.AddedBy
		if by == "" {
			by = "operator"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", x.Wallet, x.Role, by, x.Added.UTC().Format(time.RFC3339))
	}
	return tw.Flush()
}
