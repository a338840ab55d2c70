package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
)

// MinSecretLen is the least length of key_secret.
const MinSecretLen = 32

// Wrapper seals values at rest. Each sealed value has its own random
// salt, from which HKDF-SHA256 derives the AES-256-GCM key out of the
// secret and the Wrapper's purpose; the value's id is the additional
// data, so a sealed value cannot be passed off under another id.
type Wrapper struct {
	secret  []byte
	purpose string
}

// NewWrapper returns a Wrapper for secret (at least MinSecretLen bytes)
// whose keys are bound to purpose (the HKDF info, e.g. "orama auth:
// signing key wrapping v1"): values sealed for one purpose never open for
// another. A purpose must never change once values are sealed with it.
func NewWrapper(secret, purpose string) (*Wrapper, error) {
	if len(secret) < MinSecretLen {
		return nil, errors.New("key_secret is too short")
	}
	if purpose == "" {
		return nil, errors.New("seal: a Wrapper needs a purpose")
	}
	return &Wrapper{secret: []byte(secret), purpose: purpose}, nil
}

// ErrUnwrap is returned when a sealed value does not open: another
// key_secret (or purpose, or id) sealed it, or it was changed.
var ErrUnwrap = errors.New("sealed value does not decrypt with this key_secret")

// Wrap seals plain under id and returns the salt and the sealed bytes
// (GCM nonce || ciphertext || tag).
func (w *Wrapper) Wrap(id string, plain []byte) (salt, sealed []byte, err error) {
	salt = random(16)
	aead, err := w.aead(salt)
	if err != nil {
		return nil, nil, err
	}
	nonce := random(aead.NonceSize())
	return salt, aead.Seal(nonce, nonce, plain, []byte(id)), nil
}

// Unwrap opens what Wrap sealed under id. Errors: ErrUnwrap.
func (w *Wrapper) Unwrap(id string, salt, sealed []byte) ([]byte, error) {
	aead, err := w.aead(salt)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, ErrUnwrap
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(id))
	if err != nil {
		return nil, ErrUnwrap
	}
	return plain, nil
}

func (w *Wrapper) aead(salt []byte) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, w.secret, salt, w.purpose, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// random returns n bytes from crypto/rand.
func random(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand panics rather)
	return b
}
