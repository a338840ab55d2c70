package seal_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk/seal"
)

const (
	secret  = "0123456789abcdef0123456789abcdef-test"
	purpose = "orama test: wrapping v1"
)

func random(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func TestWrapRoundTrip(t *testing.T) {
	w, err := seal.NewWrapper(secret, purpose)
	if err != nil {
		t.Fatal(err)
	}
	plain := random(32)
	salt, sealed, err := w.Wrap("kid-1", plain)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, plain) {
		t.Fatal("sealed bytes contain the plain key")
	}
	got, err := w.Unwrap("kid-1", salt, sealed)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Unwrap = %x, %v", got, err)
	}
	_, sealed2, _ := w.Wrap("kid-1", plain)
	if bytes.Equal(sealed, sealed2) {
		t.Error("two wraps of one key are equal: nonce or salt reused")
	}

	other, _ := seal.NewWrapper(secret+"x", purpose)
	otherPurpose, _ := seal.NewWrapper(secret, purpose+" (other)")
	tampered := append([]byte(nil), sealed...)
	tampered[len(tampered)-1] ^= 1
	for name, open := range map[string]func() ([]byte, error){
		"other secret":  func() ([]byte, error) { return other.Unwrap("kid-1", salt, sealed) },
		"other purpose": func() ([]byte, error) { return otherPurpose.Unwrap("kid-1", salt, sealed) },
		"other kid":     func() ([]byte, error) { return w.Unwrap("kid-2", salt, sealed) },
		"other salt":    func() ([]byte, error) { return w.Unwrap("kid-1", random(16), sealed) },
		"tampered":      func() ([]byte, error) { return w.Unwrap("kid-1", salt, tampered) },
		"truncated":     func() ([]byte, error) { return w.Unwrap("kid-1", salt, sealed[:5]) },
	} {
		if _, err := open(); !errors.Is(err, seal.ErrUnwrap) {
			t.Errorf("%s: %v, want ErrUnwrap", name, err)
		}
	}
	if _, err := seal.NewWrapper(strings.Repeat("x", seal.MinSecretLen-1), purpose); err == nil {
		t.Error("a short secret was accepted")
	}
}

func TestWrapperNeedsPurpose(t *testing.T) {
	if _, err := seal.NewWrapper(secret, ""); err == nil {
		t.Error("a Wrapper without a purpose was made")
	}
}
