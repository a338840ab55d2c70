package wallet

import (
	"crypto/subtle"
	"encoding/hex"
	"strconv"

	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"golang.org/x/crypto/sha3"
)

// PersonalHash is what personal_sign signs (EIP-191 version 0x45):
// keccak256("\x19Ethereum Signed Message:\n" + decimal byte length of
// message + message).
func PersonalHash(message string) []byte {
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte("\x19Ethereum Signed Message:\n" + strconv.Itoa(len(message)) + message))
	return h.Sum(nil)
}

// AddressOf returns the 20-byte address of an uncompressed secp256k1
// public key (0x04 || X || Y): the last 20 bytes of keccak256(X || Y).
func AddressOf(uncompressed []byte) []byte {
	h := sha3.NewLegacyKeccak256()
	h.Write(uncompressed[1:])
	return h.Sum(nil)[12:]
}

// RecoverPersonal returns the address that signed message with
// personal_sign. signature is 65 bytes r || s || v in hex (optional 0x,
// any case) with v 27/28 or 0/1.
func RecoverPersonal(message, signature string) ([]byte, error) {
	sig, err := hex.DecodeString(trimHex(signature))
	if err != nil || len(sig) != 65 {
		return nil, badSignature("an Ethereum signature is 65 bytes of hex (r, s, v)")
	}
	v := sig[64]
	if v >= 27 {
		v -= 27
	}
	if v > 1 {
		return nil, badSignature("recovery id v must be 27, 28, 0 or 1")
	}
	// decred's compact form: recovery code (27 + v, uncompressed key) || r || s.
	compact := make([]byte, 65)
	compact[0] = 27 + v
	copy(compact[1:], sig[:64])
	pub, _, err := ecdsa.RecoverCompact(compact, PersonalHash(message))
	if err != nil {
		return nil, badSignature("signature does not verify")
	}
	return AddressOf(pub.SerializeUncompressed()), nil
}

// verifyETH checks that the owner of address w signed message.
func verifyETH(w, message, signature string) error {
	want, ok := ethAddress(w)
	if !ok {
		return badSignature("wallet is not an Ethereum address")
	}
	got, err := RecoverPersonal(message, signature)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return badSignature("signature is not the wallet's")
	}
	return nil
}
