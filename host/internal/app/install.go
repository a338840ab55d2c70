package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/orama-network/orama/host/internal/config"
	"github.com/orama-network/orama/host/internal/install"
)

const installUsage = `usage: orama install [flags]

Installs the gateway as a systemd service: /etc/orama/config.hcl (the
defaults of config.hcl, adjusted by the flags), the unit
/etc/systemd/system/orama.service, the data directory (mode 0750, owned by
the service's user, created with useradd when missing), the cluster secret
(/etc/orama/cluster_secret, 0600: given, kept, or made on a first node),
the swarm key (/etc/orama/swarm.key, 0600) and the binaries
(/usr/local/lib/orama, copied from -bin-dir). It needs root, refuses to
overwrite an installed config without -force, checks the config with the
same loader as the gateway and the unit with systemd-analyze verify, then
prints the systemctl commands that start the service.

-dry-run -root DIR writes every file under DIR instead (DIR/etc/orama/…,
DIR/etc/systemd/system/orama.service, DIR/var/lib/orama, …) for review; it
needs no root and touches nothing else.

Join a cluster with -bind-addr (this node's IP), -peers (cache members
host:port, pubsub peers /ip4/…/tcp/4101/p2p/ID), -join (the rqlite HTTP API
the database plugin uses; rqlited itself is not installed: run it beside,
rqlited -join <raft address>), -cluster-secret and -swarm-key (as given to
the first node).

flags:
`

// installOptions are the parsed flags of orama install.
type installOptions struct {
	install.Options
	dryRun, force bool
	root          string
	noCopy        bool
	secretFile    string // -cluster-secret-file
}

// geteuid, systemRoot and serviceUser are the system an install writes
// to; tests replace them.
var (
	geteuid     = os.Geteuid
	systemRoot  = "/"
	serviceUser = ensureUser
)

// listFlag is a repeatable flag of comma-separated values.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

// installCommand runs orama install.
func installCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, code := parseInstallFlags(args, stdout, stderr)
	if code >= 0 {
		return code
	}
	if err := runInstall(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "orama install: %v\n", err)
		return 1
	}
	return 0
}

// parseInstallFlags parses and checks args; code is the exit code when the
// command should end now, -1 otherwise.
func parseInstallFlags(args []string, stdout, stderr io.Writer) (installOptions, int) {
	if len(args) > 0 && slicesHelp(args[0]) {
		fmt.Fprint(stdout, installUsage)
		return installOptions{}, 0
	}
	var o installOptions
	host, _ := os.Hostname()
	binDir := ""
	if exe, err := os.Executable(); err == nil {
		if exe, err = filepath.EvalSymlinks(exe); err == nil {
			binDir = filepath.Dir(exe)
		}
	}
	fs := flag.NewFlagSet("orama install", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, installUsage); fs.PrintDefaults() }
	fs.BoolVar(&o.dryRun, "dry-run", false, "write every file under -root instead of the system")
	fs.StringVar(&o.root, "root", "", "with -dry-run: the directory the files are written under")
	fs.BoolVar(&o.force, "force", false, "overwrite an installed config (the cluster secret is kept unless -cluster-secret is given)")
	fs.StringVar(&o.NodeID, "node-id", host, "this node's id, unique in the cluster")
	fs.StringVar(&o.Listen, "listen", ":6001", "the gateway's HTTP address, host:port")
	fs.StringVar(&o.DataDir, "data-dir", install.DefaultData, "the data directory (absolute)")
	fs.StringVar(&o.User, "user", install.DefaultUser, "the service's user and group")
	fs.StringVar(&o.BindAddr, "bind-addr", "", "this node's IP that other nodes reach (cache memberlist :3322, Olric :3320, libp2p :4101); needed with -peers")
	fs.Var((*listFlag)(&o.Peers), "peers", "peers to join, comma-separated or repeated: cache members host:port, pubsub multiaddrs /ip4/IP/tcp/4101/p2p/ID")
	fs.Var((*listFlag)(&o.Join), "join", "the rqlite cluster's HTTP API, e.g. http://10.0.0.1:4001 (comma-separated or repeated): the database plugin uses rqlite")
	fs.StringVar(&o.ClusterSecret, "cluster-secret", "", "the cluster's key secret (≥ 32 characters; the same on every node); default: keep the installed one, or make one")
	fs.StringVar(&o.secretFile, "cluster-secret-file", "", "read -cluster-secret from this file (keeps it out of ps and the shell history)")
	fs.StringVar(&o.SwarmKey, "swarm-key", "", "the pubsub private network key: 64 hex digits or a swarm.key file's content (implies libp2p)")
	fs.BoolVar(&o.Libp2p, "libp2p", false, "pubsub over libp2p even without -peers (the first node of a cluster)")
	fs.StringVar(&o.BinDir, "bin-dir", binDir, "the directory holding orama and orama-plugin-* (default: this binary's)")
	fs.BoolVar(&o.noCopy, "no-copy", false, "reference the binaries in -bin-dir instead of copying them to "+install.BinInstallDir)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, 0
		}
		return o, 2
	}
	o.CopyBinaries = !o.noCopy
	if abs, err := filepath.Abs(o.BinDir); err == nil && o.BinDir != "" {
		o.BinDir = abs
	}
	var problem string
	switch {
	case fs.NArg() > 0:
		problem = fmt.Sprintf("unexpected argument %q", fs.Arg(0))
	case o.dryRun && o.root == "":
		problem = "-dry-run needs -root DIR: the directory the files are written under"
	case !o.dryRun && o.root != "":
		problem = "-root is for -dry-run only (the install writes to / otherwise)"
	case o.secretFile != "" && o.ClusterSecret != "":
		problem = "give -cluster-secret or -cluster-secret-file, not both"
	case o.secretFile != "":
		b, err := os.ReadFile(o.secretFile)
		if err != nil {
			problem = fmt.Sprintf("-cluster-secret-file: %v", err)
			break
		}
		o.ClusterSecret = strings.TrimSpace(string(b))
		if err := o.Check(); err != nil {
			problem = err.Error()
		}
	default:
		if err := o.Check(); err != nil {
			problem = err.Error()
		}
	}
	if problem != "" {
		fmt.Fprintf(stderr, "orama install: %s\n", problem)
		return o, 2
	}
	return o, -1
}

func slicesHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "-help" || arg == "--help"
}

// runInstall installs (or, with -dry-run, renders under -root) what o
// describes and reports it on stdout.
func runInstall(ctx context.Context, o installOptions, stdout, stderr io.Writer) error {
	root := systemRoot
	if o.dryRun {
		abs, err := filepath.Abs(o.root)
		if err != nil {
			return err
		}
		root = abs
	} else if geteuid() != 0 {
		return errors.New("installing a service needs root: run it with sudo, or add -dry-run -root DIR to only render the files")
	}
	cfgPath := filepath.Join(root, install.ConfigDir, "config.hcl")
	if _, err := os.Stat(cfgPath); err == nil && !o.force {
		return fmt.Errorf("%s exists: an install is there already. Add -force to overwrite it (the cluster secret is kept unless -cluster-secret is given)", cfgPath)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if missing := install.MissingBinaries(&o.Options); len(missing) > 0 {
		return fmt.Errorf("%s lacks %s: run `make build` and give -bin-dir bin (absolute or relative)", o.BinDir, strings.Join(missing, ", "))
	}
	pl, err := install.NewPlan(&o.Options, root)
	if err != nil {
		return err
	}
	// Check before writing: the config as the gateway loads it, the unit
	// as systemd reads it, with the binaries where they are now.
	pre := install.Preflight(pl)
	if _, diags := install.VerifyConfig(pre, root); diags.HasErrors() {
		_ = config.WriteDiagnostics(stderr, diags, false)
		return errors.New("the rendered config does not load (above); nothing was written")
	}
	unitNote := "systemd-analyze verify: ok"
	if out, err := install.VerifyUnit(ctx, pre, root); errors.Is(err, install.ErrNoSystemdAnalyze) {
		unitNote = "not verified: " + err.Error()
	} else if err != nil {
		return fmt.Errorf("%v; nothing was written:\n%s", err, out)
	}
	var owner *install.Owner
	if !o.dryRun {
		if owner, err = serviceUser(ctx, o.User, o.DataDir, stdout); err != nil {
			return err
		}
	}
	if err := install.Apply(pl, root, owner); err != nil {
		return err
	}
	if !o.dryRun {
		if _, diags := config.Load(cfgPath); diags.HasErrors() {
			_ = config.WriteDiagnostics(stderr, diags, false)
			return fmt.Errorf("the installed %s does not load (above)", cfgPath)
		}
	}
	reportInstall(stdout, pl, root, o.dryRun, unitNote)
	return nil
}
