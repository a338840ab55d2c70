package libp2p

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/pnet"
)

// maxKeyFile bounds what is read from a key file.
const maxKeyFile = 64 << 10

// LoadOrCreateKey reads the node key at path, or creates an ed25519 key
// there (mode 0600, its folder 0700) when the file does not exist.
func LoadOrCreateKey(path string) (crypto.PrivKey, error) {
	b, err := readSmall(path)
	if err == nil {
		k, err := crypto.UnmarshalPrivateKey(b)
		if err != nil {
			return nil, fmt.Errorf("node key %s: %w", path, err)
		}
		return k, nil
	}
	if !os.IsNotExist(err) {
		return nil, fmt.Errorf("node key: %w", err)
	}
	k, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		return nil, err
	}
	b, err = crypto.MarshalPrivateKey(k)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("node key: %w", err)
	}
	// Write aside then rename, so a crash never leaves half a key.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".node.key-*")
	if err != nil {
		return nil, fmt.Errorf("node key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err == nil {
		_, err = tmp.Write(b)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return nil, fmt.Errorf("node key: %w", err)
	}
	return k, nil
}

// LoadSwarmKey reads a private network key in the go-libp2p-pnet format:
//
//	/key/swarm/psk/1.0.0/
//	/base16/
//	<64 hex digits>
func LoadSwarmKey(path string) (pnet.PSK, error) {
	b, err := readSmall(path)
	if err != nil {
		return nil, fmt.Errorf("swarm key: %w", err)
	}
	psk, err := pnet.DecodeV1PSK(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("swarm key %s: %w", path, err)
	}
	return psk, nil
}

func readSmall(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxKeyFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxKeyFile)
	}
	return b, nil
}
