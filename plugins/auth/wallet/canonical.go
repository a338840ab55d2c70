package wallet

import (
	"crypto/ed25519"
	"encoding/hex"
	"strings"

	"github.com/mr-tron/base58"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

// Canonical returns the one spelling of a wallet of chain (auth.ChainETH
// or auth.ChainSOL): for ETH "0x" and 40 lower-case hex digits (the input
// may omit 0x and use any case, e.g. EIP-55), for SOL the base58 encoding
// of its 32-byte public key. Errors: invalid when w is not an address of
// chain.
func Canonical(chain, w string) (string, error) {
	switch chain {
	case auth.ChainETH:
		if a, ok := ethAddress(w); ok {
			return "0x" + hex.EncodeToString(a), nil
		}
		return "", sdk.Errorf(sdk.CodeInvalid, "wallet %q is not an Ethereum address (0x and 40 hex digits)", short(w))
	case auth.ChainSOL:
		if k, ok := solKey(w); ok {
			return base58.Encode(k), nil
		}
		return "", sdk.Errorf(sdk.CodeInvalid, "wallet %q is not a Solana address (base58 of a 32-byte key)", short(w))
	}
	return "", sdk.Errorf(sdk.CodeInvalid, "unknown chain type %q", chain)
}

// CanonicalAny is Canonical for a wallet whose chain is not known yet (a
// challenge): an Ethereum address if it is one, else a Solana one.
func CanonicalAny(w string) (string, error) {
	if c, err := Canonical(auth.ChainETH, w); err == nil {
		return c, nil
	}
	if c, err := Canonical(auth.ChainSOL, w); err == nil {
		return c, nil
	}
	return "", sdk.Errorf(sdk.CodeInvalid, "wallet %q is neither an Ethereum address (0x and 40 hex digits) nor a Solana one (base58 public key)", short(w))
}

// ethAddress decodes an Ethereum address with or without 0x, any case.
func ethAddress(w string) ([]byte, bool) {
	h := w
	if len(h) >= 2 && (h[:2] == "0x" || h[:2] == "0X") {
		h = h[2:]
	}
	if len(h) != 40 {
		return nil, false
	}
	b, err := hex.DecodeString(h)
	return b, err == nil
}

// solKey decodes a base58 ed25519 public key.
func solKey(w string) (ed25519.PublicKey, bool) {
	if w == "" || len(w) > 64 {
		return nil, false
	}
	b, err := base58.Decode(w)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, false
	}
	return ed25519.PublicKey(b), true
}

// short abbreviates long input in messages.
func short(s string) string {
	if len(s) <= 48 {
		return s
	}
	return s[:40] + "…"
}

// trimHex strips an optional 0x from hex input.
func trimHex(s string) string {
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		return s[2:]
	}
	return s
}
