package tokens

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
)

// wrapInfo binds derived keys to their one use (HKDF info).
const wrapInfo = "orama auth: signing key wrapping v1"

// MinSecretLen is the least length of key_secret.
const MinSecretLen = 32

// Wrapper seals signing keys at rest. Each sealed key has its own random
// salt, from which HKDF-SHA256 derives the AES-256-GCM key out of the
// secret; the key id is the additional data, so a sealed key cannot be
// passed off under another id.
type Wrapper struct {
	secret []byte
}

// NewWrapper returns a Wrapper for secret (at least MinSecretLen bytes).
func NewWrapper(secret string) (*Wrapper, error) {
	if len(secret) < MinSecretLen {
		return nil, errors.New("key_secret is too short")
	}
	return &Wrapper{secret: []byte(secret)}, nil
}

// ErrUnwrap is returned when a sealed key does not open: another
// key_secret sealed it, or it was changed.
var ErrUnwrap = errors.New("signing key does not decrypt with this key_secret")

// Wrap seals plain under kid and returns the salt and the sealed bytes
// (GCM nonce || ciphertext || tag).
func (w *Wrapper) Wrap(kid string, plain []byte) (salt, sealed []byte, err error) {
	salt = Random(16)
	aead, err := w.aead(salt)
	if err != nil {
		return nil, nil, err
	}
	nonce := Random(aead.NonceSize())
	return salt, aead.Seal(nonce, nonce, plain, []byte(kid)), nil
}

// Unwrap opens what Wrap sealed. Errors: ErrUnwrap.
func (w *Wrapper) Unwrap(kid string, salt, sealed []byte) ([]byte, error) {
	aead, err := w.aead(salt)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, ErrUnwrap
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(kid))
	if err != nil {
		return nil, ErrUnwrap
	}
	return plain, nil
}

func (w *Wrapper) aead(salt []byte) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, w.secret, salt, wrapInfo, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
