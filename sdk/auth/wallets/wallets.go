// Package wallets signs Orama sign-in challenges with a wallet's private
// key held in the process: Ethereum (secp256k1, personal_sign / EIP-191)
// and Solana (ed25519). Applications and services use them with the Go
// client's Auth().SignIn; tests use them through authtest. A browser or
// hardware wallet signs elsewhere: implement client.Signer instead.
package wallets

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/mr-tron/base58"
	"github.com/orama-network/orama/sdk/auth"
	"golang.org/x/crypto/sha3"
)

// ETH is an Ethereum account: a secp256k1 key that signs like
// personal_sign (EIP-191).
type ETH struct {
	key *secp256k1.PrivateKey
}

// NewETH returns a wallet with a fresh random key.
func NewETH() *ETH {
	k, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		panic("wallets: " + err.Error())
	}
	return &ETH{key: k}
}

// ETHFromHex returns the wallet of a 32-byte private key in hex
// (optional 0x).
func ETHFromHex(privateKey string) (*ETH, error) {
	b, err := hex.DecodeString(strings.TrimPrefix(privateKey, "0x"))
	if err != nil || len(b) != 32 {
		return nil, fmt.Errorf("private key must be 32 bytes of hex")
	}
	return &ETH{key: secp256k1.PrivKeyFromBytes(b)}, nil
}

// Address returns the EIP-55 (mixed-case checksum) address, "0x…".
func (w *ETH) Address() string {
	pub := w.key.PubKey().SerializeUncompressed() // 0x04 || X || Y
	return checksumAddress(keccak256(pub[1:])[12:])
}

// EIP191Hash is what personal_sign signs: keccak256("\x19Ethereum Signed
// Message:\n" + len(message) + message).
func EIP191Hash(message string) []byte {
	return keccak256([]byte("\x19Ethereum Signed Message:\n" + strconv.Itoa(len(message)) + message))
}

// SignPersonal signs message like personal_sign: 65 bytes r || s || v with
// v 27 or 28.
func (w *ETH) SignPersonal(message string) []byte {
	compact := ecdsa.SignCompact(w.key, EIP191Hash(message), false) // v || r || s, v 27/28
	return append(compact[1:65:65], compact[0])
}

// Proof signs c's nonce and returns the proof as a client sends it:
// hex signature with 0x and v 27/28, chain_type ETH.
func (w *ETH) Proof(c auth.Challenge) auth.Proof {
	return auth.Proof{
		Wallet:    w.Address(),
		Nonce:     c.Nonce,
		Signature: "0x" + hex.EncodeToString(w.SignPersonal(c.Nonce)),
		Namespace: c.Namespace,
		ChainType: auth.ChainETH,
	}
}

func keccak256(b []byte) []byte {
	h := sha3.NewLegacyKeccak256()
	h.Write(b)
	return h.Sum(nil)
}

// checksumAddress spells a 20-byte address the EIP-55 way: a hex letter is
// upper case when the matching nibble of keccak256(lower-case hex) is ≥ 8.
func checksumAddress(addr []byte) string {
	lower := hex.EncodeToString(addr)
	h := keccak256([]byte(lower))
	out := []byte(lower)
	for i, c := range out {
		nibble := h[i/2] >> 4
		if i%2 == 1 {
			nibble = h[i/2] & 0x0f
		}
		if c >= 'a' && nibble >= 8 {
			out[i] = c - 'a' + 'A'
		}
	}
	return "0x" + string(out)
}

// SOL is a Solana account: an ed25519 key.
type SOL struct {
	key ed25519.PrivateKey
}

// NewSOL returns a wallet with a fresh random key.
func NewSOL() *SOL {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic("wallets: " + err.Error())
	}
	return &SOL{key: k}
}

// SOLFromKey returns the wallet of an ed25519 private key.
func SOLFromKey(k ed25519.PrivateKey) (*SOL, error) {
	if len(k) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("private key must be %d bytes", ed25519.PrivateKeySize)
	}
	return &SOL{key: k}, nil
}

// Address returns the base58 public key.
func (w *SOL) Address() string {
	return base58.Encode(w.key.Public().(ed25519.PublicKey))
}

// Sign signs message's bytes.
func (w *SOL) Sign(message string) []byte { return ed25519.Sign(w.key, []byte(message)) }

// Proof signs c's nonce and returns the proof as a client sends it:
// standard base64 signature, chain_type SOL.
func (w *SOL) Proof(c auth.Challenge) auth.Proof {
	return auth.Proof{
		Wallet:    w.Address(),
		Nonce:     c.Nonce,
		Signature: base64.StdEncoding.EncodeToString(w.Sign(c.Nonce)),
		Namespace: c.Namespace,
		ChainType: auth.ChainSOL,
	}
}

// SignChallenge is Proof for client.Signer: signing in memory cannot fail.
func (w *ETH) SignChallenge(_ context.Context, c auth.Challenge) (auth.Proof, error) {
	return w.Proof(c), nil
}

// SignChallenge is Proof for client.Signer: signing in memory cannot fail.
func (w *SOL) SignChallenge(_ context.Context, c auth.Challenge) (auth.Proof, error) {
	return w.Proof(c), nil
}
