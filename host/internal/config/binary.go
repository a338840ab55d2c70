package config

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"runtime"

	"github.com/hashicorp/hcl/v2"
)

// checkBinary checks that pl.Path is an executable file and, when sha256
// is set (and valid), that its checksum matches.
func (p *parser) checkBinary(pl *Plugin, pathAttr, shaAttr *hcl.Attribute, shaOK bool) {
	at := pathAttr.Expr.Range()
	info, err := os.Stat(pl.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		p.errorf(at, "Plugin binary not found",
			"There is no file at %s. Run `make build` to build the plugin binaries into bin/, or fix path.", pl.Path)
		return
	case err != nil:
		p.errorf(at, "Cannot read plugin binary", "%s. Fix path or the file's permissions.", err)
		return
	case info.IsDir():
		p.errorf(at, "Plugin path is a directory",
			"%s is a directory. Set path to the plugin binary, such as ./bin/orama-plugin-%s.", pl.Path, pl.Kind)
		return
	case runtime.GOOS != "windows" && info.Mode().Perm()&0o111 == 0:
		p.errorf(at, "Plugin binary not executable",
			"%s is not executable. Run `chmod +x %s`, or rebuild it with `make build`.", pl.Path, pl.Path)
	}
	if shaAttr == nil || !shaOK || pl.SHA256 == nil {
		return
	}
	sum, err := fileSHA256(pl.Path)
	if err != nil {
		p.errorf(at, "Cannot read plugin binary", "%s. Fix the file's permissions so the host can verify its sha256.", err)
		return
	}
	if !bytes.Equal(sum, pl.SHA256) {
		p.errorf(shaAttr.Expr.Range(), "Plugin checksum mismatch",
			"The binary %s has sha256 %s, but sha256 expects %s. If the binary was rebuilt or upgraded on purpose, verify it, then update sha256 to %q; otherwise restore the expected binary.",
			pl.Path, hex.EncodeToString(sum), hex.EncodeToString(pl.SHA256), hex.EncodeToString(sum))
	}
}

func fileSHA256(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}
