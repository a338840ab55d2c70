package jwtverify

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

// Defaults of a Verifier's zero fields.
const (
	DefaultRefreshEvery = 10 * time.Second
	DefaultMaxAge       = 5 * time.Minute
)

// Verifier verifies access tokens. Set the exported fields before the
// first Verify and do not change them afterwards; Verify is safe for
// concurrent use.
type Verifier struct {
	// Keys lists the public keys (auth.Auth.Keys of the auth plugin).
	Keys func(ctx context.Context) ([]auth.PublicKey, error)
	// Issuer and Audience are the required iss and aud. Both must be set.
	Issuer, Audience string
	// Skew is the clock tolerance of exp, nbf and iat (0: auth.DefaultSkew).
	Skew time.Duration
	// RefreshEvery is the least time between two fetches of Keys caused
	// by tokens naming an unknown kid (0: DefaultRefreshEvery), so a
	// flood of forged kids cannot hammer the auth plugin.
	RefreshEvery time.Duration
	// MaxAge is how old the cached keys may get before Verify fetches
	// them again (0: DefaultMaxAge). When that fetch fails the old keys
	// keep serving.
	MaxAge time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// VerifiedCacheSize bounds how many verified tokens are remembered
	// (0: DefaultVerifiedCacheSize; negative: no cache).
	VerifiedCacheSize int

	cache    keyCache
	verified verifiedCache
}

// Claims are the verified claims of an access token.
type Claims struct {
	KeyID     string // the header's kid: the signing key
	APIKeyID  string // claim api_key_id: the API key a token was minted from (TokenForKey), else ""
	Issuer    string
	Subject   string
	Audience  []string
	Namespace string
	IssuedAt  time.Time
	NotBefore time.Time // zero when the token has no nbf
	ExpiresAt time.Time
}

// tokenClaims is the JSON payload: the registered claims plus namespace.
type tokenClaims struct {
	jwt.RegisteredClaims
	Namespace string `json:"namespace"`
	APIKeyID  string `json:"api_key_id,omitempty"` // auth.ClaimAPIKeyID
}

// validMethods are the only algorithms a token may name.
var validMethods = []string{AlgEdDSA, AlgES256}

// Verify checks token and returns its principal (Method auth.MethodJWT)
// and claims. Errors: unauthorized for any token that does not verify;
// unavailable (or Keys' own error) when no keys could be fetched at all;
// internal when Issuer, Audience or Keys is not set.
func (v *Verifier) Verify(ctx context.Context, token string) (auth.Principal, Claims, error) {
	if v.Keys == nil || v.Issuer == "" || v.Audience == "" {
		return auth.Principal{}, Claims{}, sdk.Errorf(sdk.CodeInternal, "jwtverify: Verifier needs Keys, Issuer and Audience")
	}
	now := v.now()
	size := v.VerifiedCacheSize
	if size == 0 {
		size = DefaultVerifiedCacheSize
	}
	var sum [sha256.Size]byte
	if size > 0 {
		sum = sha256.Sum256([]byte(token))
		if e, ok := v.verified.get(sum, now, v.skew()); ok {
			return e.principal, e.claims, nil
		}
	}
	p, c, err := v.verify(ctx, token, now)
	if err == nil && size > 0 {
		v.verified.put(sum, verified{principal: p, claims: c}, size, now, v.skew())
	}
	return p, c, err
}

// verify checks token's signature and claims (no cache).
func (v *Verifier) verify(ctx context.Context, token string, now time.Time) (auth.Principal, Claims, error) {
	if err := v.cache.ensure(ctx, v, now); err != nil {
		return auth.Principal{}, Claims{}, err
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods(validMethods),
		jwt.WithIssuer(v.Issuer),
		jwt.WithAudience(v.Audience),
		jwt.WithLeeway(v.skew()),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(v.now),
		jwt.WithStrictDecoding(),
	)
	var tc tokenClaims
	var kid string
	_, err := parser.ParseWithClaims(token, &tc, func(t *jwt.Token) (any, error) {
		id, ok := t.Header["kid"].(string)
		if !ok || id == "" {
			return nil, errors.New("no kid in the header")
		}
		kid = id
		k, found := v.cache.lookup(ctx, v, id, now)
		if !found {
			return nil, fmt.Errorf("unknown kid %q", id)
		}
		if t.Method.Alg() != k.Alg {
			return nil, fmt.Errorf("alg %s does not match key %s (%s)", t.Method.Alg(), id, k.Alg)
		}
		return k.Key, nil
	})
	if err != nil {
		return auth.Principal{}, Claims{}, sdk.Errorf(sdk.CodeUnauthorized, "invalid token: %v", err)
	}
	if tc.Subject == "" || tc.Namespace == "" {
		return auth.Principal{}, Claims{}, sdk.Errorf(sdk.CodeUnauthorized, "invalid token: sub and namespace are required")
	}
	c := Claims{KeyID: kid, APIKeyID: tc.APIKeyID, Issuer: tc.Issuer, Subject: tc.Subject, Audience: tc.Audience, Namespace: tc.Namespace}
	if tc.IssuedAt != nil {
		c.IssuedAt = tc.IssuedAt.Time
	}
	if tc.NotBefore != nil {
		c.NotBefore = tc.NotBefore.Time
	}
	c.ExpiresAt = tc.ExpiresAt.Time
	return auth.Principal{Method: auth.MethodJWT, Subject: c.Subject, Namespace: c.Namespace, KeyID: c.APIKeyID}, c, nil
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Verifier) skew() time.Duration {
	if v.Skew > 0 {
		return v.Skew
	}
	return auth.DefaultSkew
}

func (v *Verifier) refreshEvery() time.Duration {
	if v.RefreshEvery > 0 {
		return v.RefreshEvery
	}
	return DefaultRefreshEvery
}

func (v *Verifier) maxAge() time.Duration {
	if v.MaxAge > 0 {
		return v.MaxAge
	}
	return DefaultMaxAge
}

// keyCache holds the parsed keys of the last successful fetch.
type keyCache struct {
	mu      sync.RWMutex
	keys    map[string]cachedKey
	fetched time.Time // last successful fetch

	fetchMu   sync.Mutex // one fetch at a time
	lastTried time.Time  // last fetch attempt, successful or not
}

type cachedKey struct {
	JWK
	notAfter time.Time // zero: no end
}

// ensure fetches the keys when none are cached or the cache is older than
// MaxAge (then a failed fetch keeps the old keys).
func (c *keyCache) ensure(ctx context.Context, v *Verifier, now time.Time) error {
	c.mu.RLock()
	empty, age := c.keys == nil, now.Sub(c.fetched)
	c.mu.RUnlock()
	switch {
	case empty:
		return c.fetch(ctx, v, now, 0)
	case age > v.maxAge():
		_ = c.fetch(ctx, v, now, v.refreshEvery())
	}
	return nil
}

// lookup returns the key kid names; on a miss it refetches, at most once
// per RefreshEvery, and looks again. Keys whose NotAfter (plus Skew) has
// passed are not returned.
func (c *keyCache) lookup(ctx context.Context, v *Verifier, kid string, now time.Time) (JWK, bool) {
	if k, ok := c.get(kid, now, v.skew()); ok {
		return k, true
	}
	if c.fetch(ctx, v, now, v.refreshEvery()) != nil {
		return JWK{}, false
	}
	return c.get(kid, now, v.skew())
}

func (c *keyCache) get(kid string, now time.Time, skew time.Duration) (JWK, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	k, ok := c.keys[kid]
	if !ok || (!k.notAfter.IsZero() && now.After(k.notAfter.Add(skew))) {
		return JWK{}, false
	}
	return k.JWK, true
}

// fetch calls Keys unless another fetch was tried less than minGap ago
// (then it returns nil: the caller uses what is cached).
func (c *keyCache) fetch(ctx context.Context, v *Verifier, now time.Time, minGap time.Duration) error {
	c.fetchMu.Lock()
	defer c.fetchMu.Unlock()
	if minGap > 0 && !c.lastTried.IsZero() && now.Sub(c.lastTried) < minGap {
		return nil
	}
	c.lastTried = now
	pks, err := v.Keys(ctx)
	if err != nil {
		return sdk.AsError(err)
	}
	keys := make(map[string]cachedKey, len(pks))
	for _, pk := range pks {
		k, err := ParseJWK(pk.JWK)
		if err != nil || k.Kid != pk.Kid || (pk.Alg != "" && pk.Alg != k.Alg) {
			continue // a key this package cannot use verifies nothing
		}
		keys[k.Kid] = cachedKey{JWK: k, notAfter: pk.NotAfter}
	}
	c.mu.Lock()
	c.keys, c.fetched = keys, now
	c.mu.Unlock()
	return nil
}
