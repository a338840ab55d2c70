//go:build ignore

// Devkey makes sure each FILE holds a libp2p node key and prints each
// one's peer id, one line per file, in order:
//
//	go run scripts/devkey.go .dev/node1/data/pubsub/node.key ...
//
// scripts/dev.sh calls it so every node of the local cluster can name the
// others' /p2p/<id> in its pubsub peers before any of them starts. A
// missing file gets a new ed25519 key (mode 0600, folder 0700); an
// existing one is only read, so the ids stay the same from run to run.
//
// The format is the one the pubsub plugin reads and writes
// (<data_dir>/pubsub/node.key, libp2p's protobuf encoding), the same as
// host/e2e's pubsub cluster test writes:
//   - the key file is PrivateKey{Type: Ed25519 (1), Data: the 64-byte
//     ed25519 private key}: 08 01 12 40 <64 bytes>;
//   - the peer id is the identity multihash (00, length) of
//     PublicKey{Type: 1, Data: 32 bytes} (08 01 12 20 <32 bytes>), in
//     base58btc: "12D3KooW…".
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
)

var keyPrefix = []byte{0x08, 0x01, 0x12, 0x40}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/devkey.go FILE...")
		os.Exit(2)
	}
	for _, path := range os.Args[1:] {
		id, err := peerID(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "devkey:", err)
			os.Exit(1)
		}
		fmt.Println(id)
	}
}

// peerID reads the key at path, creating it first when it is missing.
func peerID(path string) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if b, err = create(path); err != nil {
			return "", err
		}
	} else if err != nil {
		return "", err
	}
	if len(b) != len(keyPrefix)+ed25519.PrivateKeySize || !bytes.HasPrefix(b, keyPrefix) {
		return "", fmt.Errorf("%s is not an ed25519 libp2p node key; remove it to get a new one", path)
	}
	pub := ed25519.PrivateKey(b[len(keyPrefix):]).Public().(ed25519.PublicKey)
	pubProto := append([]byte{0x08, 0x01, 0x12, 0x20}, pub...)
	return base58btc(append([]byte{0x00, byte(len(pubProto))}, pubProto...)), nil
}

// create writes a new key to path (aside, then renamed into place).
func create(path string) ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	b := append(append([]byte{}, keyPrefix...), priv...)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return nil, err
	}
	return b, os.Rename(tmp, path)
}

// base58btc encodes b in the bitcoin alphabet (leading zero bytes as 1s).
func base58btc(b []byte) string {
	const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	n := new(big.Int).SetBytes(b)
	radix, mod := big.NewInt(58), new(big.Int)
	var out []byte
	for n.Sign() > 0 {
		n.DivMod(n, radix, mod)
		out = append(out, alphabet[mod.Int64()])
	}
	for _, c := range b {
		if c != 0 {
			break
		}
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}
