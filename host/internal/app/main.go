package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
)

// Build information, set with -ldflags by the Makefile.
var (
	Version   = "dev"
	Commit    = "unknown"
	BuildTime = "unknown"
)

const usage = `usage: orama <command> [flags]

commands:
  serve     run the gateway (default)
  validate  check a config file; plugins check their own blocks
  reload    make a running gateway re-read its config (SIGHUP); upgrades
            plugins whose path or sha256 changed
  keys      create, list or revoke API keys (orama keys create|list|revoke
            -config FILE -namespace NS); starts the config's database and
            auth plugins for the call
  namespace add-wallet, remove-wallet or list the wallets allowed into a
            namespace (orama namespace add-wallet -config FILE
            -namespace NS -wallet W)
  pubsub    publish to a topic or print its messages through a gateway
            (orama pubsub publish|subscribe -topic T)
  functions deploy, invoke, list, get, list the versions of, read the
            logs of or delete WASM functions through a gateway (orama
            functions deploy NAME -file F.wasm; functions invoke NAME)
  secrets   set, list or delete the secrets functions read with
            get_secret (orama secrets set NAME)
  auth      orama auth login: sign in with a browser wallet and keep the
            API key in ~/.orama/credentials.json
  install   install the gateway as a systemd service (config, unit,
            data dir, secrets, binaries); -dry-run -root DIR only renders
            the files under DIR
  status    print a gateway's node, plugins and backends as a table
            (orama status -gateway URL)
  version   print the version

environment of orama serve:
  ORAMA_LOG_LEVEL   trace, debug, info (default), warn (no access log), error
  ORAMA_PLUGIN_MUX  off: one unary gRPC call per request to a plugin instead
            of frames on one long-lived stream per plugin (for comparison)

Run 'orama <command> -h' for the flags of a command.
`

// Main runs the command line args and returns the process exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "keys":
		return keysCommand(ctx, args, stdout, stderr)
	case "namespace":
		return namespaceCommand(ctx, args, stdout, stderr)
	case "auth":
		return authCommand(ctx, args, stdout, stderr)
	case "pubsub":
		return pubsubCommand(ctx, args, os.Stdin, stdout, stderr)
	case "functions":
		return functionsCommand(ctx, args, os.Stdin, stdout, stderr)
	case "secrets":
		return secretsCommand(ctx, args, os.Stdin, stdout, stderr)
	case "install":
		return installCommand(ctx, args, stdout, stderr)
	case "status":
		return statusCommand(ctx, args, stdout, stderr)
	}
	fs := flag.NewFlagSet("orama "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "config.hcl", "path of the config file")
	switch cmd {
	case "serve", "validate", "reload":
	case "version":
		fmt.Fprintf(stdout, "orama %s (commit %s, built %s)\n", Version, Commit, BuildTime)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "orama: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	switch cmd {
	case "validate":
		return validate(ctx, *configPath, stdout, stderr)
	case "reload":
		return reload(*configPath, stdout, stderr)
	}
	return serve(ctx, *configPath, stderr)
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
