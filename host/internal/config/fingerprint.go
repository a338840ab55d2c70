package config

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"os"
)

// Fingerprint is a stable hash of everything that makes a running plugin
// out of date: its kind, binary path, pinned checksum, config block, and
// the binary's size and modification time. Reload restarts a plugin iff
// its fingerprint changed. Formatting and comments in the file do not
// count: ConfigJSON is canonical.
func (p *Plugin) Fingerprint() string {
	h := sha256.New()
	field(h, []byte(p.Kind))
	field(h, []byte(p.Path))
	field(h, p.SHA256)
	field(h, p.ConfigJSON)
	if info, err := os.Stat(p.Path); err == nil {
		var b [16]byte
		binary.BigEndian.PutUint64(b[:8], uint64(info.Size()))
		binary.BigEndian.PutUint64(b[8:], uint64(info.ModTime().UnixNano()))
		field(h, b[:])
	} else {
		field(h, []byte("missing"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// field writes b length-prefixed, so adjacent fields cannot run together.
func field(h hash.Hash, b []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(b)))
	h.Write(n[:])
	h.Write(b)
}
