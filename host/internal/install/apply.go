package install

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Owner ids for Apply; nil when nothing is chowned (a dry run).
type Owner struct {
	UID, GID int // the service user's
}

// Apply writes pl under root ("/" on the system). With owner, the files
// and directories get their owners (Apply then runs as root); without,
// they keep the caller's. Each file is written to a temporary file and
// renamed into place. Kept files are left alone.
func Apply(pl *Plan, root string, owner *Owner) error {
	for _, d := range pl.Dirs {
		path := filepath.Join(root, d.Path)
		// Missing parents are 0755, so the service user can reach the
		// directory; the directory itself gets its own mode.
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.Mkdir(path, d.Mode); err != nil && !os.IsExist(err) {
			return err
		}
		if err := os.Chmod(path, d.Mode); err != nil {
			return err
		}
		if err := chown(path, d.Owner, owner); err != nil {
			return err
		}
	}
	for _, f := range pl.Files {
		if f.Kept {
			continue
		}
		if err := writeFile(filepath.Join(root, f.Path), f, owner); err != nil {
			return fmt.Errorf("writing %s: %w", f.Path, err)
		}
	}
	return nil
}

func writeFile(path string, f File, owner *Owner) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(f.Mode); err != nil {
		tmp.Close()
		return err
	}
	if err := chown(tmp.Name(), f.Owner, owner); err != nil {
		tmp.Close()
		return err
	}
	if f.From != "" {
		err = copyFrom(tmp, f.From)
	} else {
		_, err = tmp.Write(f.Data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func copyFrom(w io.Writer, from string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	_, err = io.Copy(w, src)
	return err
}

func chown(path, who string, owner *Owner) error {
	if owner == nil {
		return nil
	}
	switch who {
	case OwnerService:
		return os.Lchown(path, owner.UID, owner.GID)
	case OwnerGroup:
		return os.Lchown(path, 0, owner.GID)
	default:
		return os.Lchown(path, 0, 0)
	}
}
