package tokens

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/jwtverify"
)

// SigningKey is an Ed25519 key that signs access tokens during one slot
// of the rotation schedule.
type SigningKey struct {
	Kid       string
	Private   ed25519.PrivateKey
	Every     time.Duration // rotate_every when the key was made
	Slot      int64         // slot of the schedule it signs in
	Created   time.Time
	SignUntil time.Time // end of its slot: it signs nothing after
}

// NewSigningKey returns a fresh key for slot of s.
func NewSigningKey(s Schedule, slot int64, now time.Time) (SigningKey, error) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return SigningKey{}, err
	}
	return SigningKey{Kid: Thumbprint(pub), Private: priv, Every: s.Every, Slot: slot, Created: now, SignUntil: s.SlotEnd(slot)}, nil
}

// Public returns the key's public half.
func (k SigningKey) Public() ed25519.PublicKey { return k.Private.Public().(ed25519.PublicKey) }

// PublicKey returns the key as Keys lists it: a JWK, valid until every
// token it may have signed has expired.
func (k SigningKey) PublicKey(s Schedule, signing bool) (auth.PublicKey, error) {
	alg, jwk, err := jwtverify.MarshalJWK(k.Kid, k.Public())
	if err != nil {
		return auth.PublicKey{}, err
	}
	return auth.PublicKey{Kid: k.Kid, Alg: alg, JWK: jwk, NotAfter: s.NotAfter(k.SignUntil), Signing: signing}, nil
}

// Thumbprint is the RFC 7638 JWK thumbprint of an Ed25519 key (RFC 8037
// members crv, kty, x in lexical order), base64url: a kid every node
// derives alike.
func Thumbprint(pub ed25519.PublicKey) string {
	canonical := fmt.Sprintf(`{"crv":"Ed25519","kty":"OKP","x":"%s"}`, base64.RawURLEncoding.EncodeToString(pub))
	sum := sha256.Sum256([]byte(canonical))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// KeyFromSeed rebuilds a key's private half from its 32-byte seed (what is
// stored, wrapped).
func KeyFromSeed(seed []byte) (ed25519.PrivateKey, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("ed25519 seed of %d bytes", len(seed))
	}
	return ed25519.NewKeyFromSeed(seed), nil
}
