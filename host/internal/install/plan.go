package install

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Owners of what the install writes.
const (
	OwnerRoot    = "root"    // root:root
	OwnerService = "service" // the service user and group
	OwnerGroup   = "group"   // root, group the service's (it reads, never writes)
)

// File is one file of a plan: Data, or a copy of the file at From.
type File struct {
	Path  string // on the installed system
	Mode  fs.FileMode
	Owner string
	Data  []byte
	From  string // a binary to copy
	Note  string // what it is, for the report
	Kept  bool   // already there and kept as is (the cluster secret)
}

// Dir is a directory of a plan.
type Dir struct {
	Path  string
	Mode  fs.FileMode
	Owner string
}

// Plan is everything an install writes.
type Plan struct {
	Options *Options
	Paths   Paths
	Dirs    []Dir
	Files   []File
	// SecretGenerated reports that no -cluster-secret was given and none
	// was installed, so the plan makes a new one.
	SecretGenerated bool
}

// NewPlan renders o's files. root is where an earlier install would be
// (the system's "/", or a dry run's directory): an installed cluster
// secret is kept unless o gives one.
func NewPlan(o *Options, root string) (*Plan, error) {
	p := PathsOf(o)
	pl := &Plan{Options: o, Paths: p}
	cfg, err := RenderConfig(o, p)
	if err != nil {
		return nil, err
	}
	pl.Dirs = append(pl.Dirs,
		Dir{Path: ConfigDir, Mode: 0o750, Owner: OwnerGroup},
		Dir{Path: o.DataDir, Mode: 0o750, Owner: OwnerService},
	)
	pl.Files = append(pl.Files,
		File{Path: p.Config, Mode: 0o640, Owner: OwnerGroup, Data: cfg, Note: "gateway config"},
		File{Path: p.Unit, Mode: 0o644, Owner: OwnerRoot, Data: RenderUnit(o, p), Note: "systemd unit"},
	)
	secret := File{Path: p.SecretFile, Mode: 0o600, Owner: OwnerService, Note: "cluster secret (auth, serverless)"}
	switch {
	case o.ClusterSecret != "":
		secret.Data = []byte(o.ClusterSecret + "\n")
	default:
		_, err := os.Stat(filepath.Join(root, p.SecretFile))
		switch {
		case err == nil:
			secret.Kept = true
		case errors.Is(err, fs.ErrNotExist):
			raw := make([]byte, 48)
			if _, err := rand.Read(raw); err != nil {
				return nil, err
			}
			secret.Data = []byte(base64.RawURLEncoding.EncodeToString(raw) + "\n")
			pl.SecretGenerated = true
		default:
			return nil, err
		}
	}
	pl.Files = append(pl.Files, secret)
	if p.SwarmKeyFile != "" {
		pl.Files = append(pl.Files, File{Path: p.SwarmKeyFile, Mode: 0o600, Owner: OwnerService,
			Data: []byte(o.swarmKeyFile), Note: "pubsub swarm key"})
	}
	if o.CopyBinaries {
		pl.Dirs = append(pl.Dirs, Dir{Path: BinInstallDir, Mode: 0o755, Owner: OwnerRoot})
		for _, name := range BinaryNames {
			pl.Files = append(pl.Files, File{Path: filepath.Join(BinInstallDir, name), Mode: 0o755, Owner: OwnerRoot,
				From: filepath.Join(o.BinDir, name), Note: "binary"})
		}
	}
	return pl, nil
}

// MissingBinaries are the binaries o needs that are not in o.BinDir.
func MissingBinaries(o *Options) []string {
	var missing []string
	for _, name := range BinaryNames {
		if fi, err := os.Stat(filepath.Join(o.BinDir, name)); err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			missing = append(missing, name)
		}
	}
	return missing
}
