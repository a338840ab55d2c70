package app

import (
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"text/tabwriter"

	"github.com/orama-network/orama/host/internal/install"
)

// ensureUser returns the ids of the service's user, creating it (a
// system user and group, no login, home dataDir) when missing.
func ensureUser(ctx context.Context, name, dataDir string, stdout io.Writer) (*install.Owner, error) {
	u, err := user.Lookup(name)
	if _, unknown := err.(user.UnknownUserError); unknown {
		cmd := exec.CommandContext(ctx, "useradd", "--system", "--user-group", "--home-dir", dataDir,
			"--no-create-home", "--shell", "/usr/sbin/nologin", name)
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("useradd %s: %v: %s", name, err, out)
		}
		fmt.Fprintf(stdout, "created system user and group %s\n", name)
		u, err = user.Lookup(name)
	}
	if err != nil {
		return nil, fmt.Errorf("user %s: %w", name, err)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("user %s has ids %s:%s", name, u.Uid, u.Gid)
	}
	return &install.Owner{UID: uid, GID: gid}, nil
}

// reportInstall prints what pl wrote under root and what comes next.
func reportInstall(w io.Writer, pl *install.Plan, root string, dryRun bool, unitNote string) {
	o := pl.Options
	at := func(p string) string { return filepath.Join(root, p) }
	if dryRun {
		fmt.Fprintf(w, "Dry run: rendered under %s (nothing else touched).\n\n", root)
	} else {
		fmt.Fprintln(w, "Installed the Orama gateway as a systemd service.")
		fmt.Fprintln(w)
	}
	owners := map[string]string{install.OwnerRoot: "root:root", install.OwnerService: o.User + ":" + o.User,
		install.OwnerGroup: "root:" + o.User}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  PATH\tMODE\tOWNER\tWHAT")
	for _, d := range pl.Dirs {
		fmt.Fprintf(tw, "  %s\t%04o\t%s\tdirectory\n", at(d.Path)+"/", d.Mode, owners[d.Owner])
	}
	for _, f := range pl.Files {
		note := f.Note
		if f.Kept {
			note += " (kept: already installed)"
		}
		fmt.Fprintf(tw, "  %s\t%04o\t%s\t%s\n", at(f.Path), f.Mode, owners[f.Owner], note)
	}
	_ = tw.Flush()
	if dryRun {
		fmt.Fprintln(w, "  (owners are set by the install as root; a dry run leaves the files the caller's)")
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "node %s, listening on %s, data in %s\n", o.NodeID, o.Listen, o.DataDir)
	fmt.Fprintln(w, "config: loads (config.Load); unit:", unitNote)
	if pl.SecretGenerated {
		fmt.Fprintf(w, "A new cluster secret was made: every other node needs it, e.g.\n"+
			"  orama install -cluster-secret \"$(sudo cat %s)\" …\n", pl.Paths.SecretFile)
	}
	if dryRun {
		fmt.Fprintln(w, "\nReview the files; run the same command as root without -dry-run -root to install.")
		return
	}
	fmt.Fprintf(w, "\nNext:\n  systemctl daemon-reload\n  systemctl enable --now %s\n", install.ServiceName)
	fmt.Fprintf(w, "  orama status -gateway http://%s\n  journalctl -u %s -f\n", statusAddr(o.Listen), install.ServiceName)
}

// statusAddr is listen as an address to connect to: a wildcard host is
// localhost.
func statusAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
