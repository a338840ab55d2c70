package wallet

import (
	"crypto/ed25519"
	"encoding/base64"
	"strings"
)

// verifySOL checks that the ed25519 key w (base58) signed message's bytes;
// signature is 64 bytes in standard base64 (padding optional).
func verifySOL(w, message, signature string) error {
	key, ok := solKey(w)
	if !ok {
		return badSignature("wallet is not a Solana address")
	}
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		sig, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(signature, "="))
	}
	if err != nil || len(sig) != ed25519.SignatureSize {
		return badSignature("a Solana signature is 64 bytes in standard base64")
	}
	if !ed25519.Verify(key, []byte(message), sig) {
		return badSignature("signature is not the wallet's")
	}
	return nil
}
