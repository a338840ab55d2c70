package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/jwtverify"
	"github.com/orama-network/orama/sdk/plugin"
)

// testKey returns a key in the documented format, distinct per seed.
func testKey(seed byte, ns string) string {
	return auth.FormatAPIKey(auth.APIKeyPrefix+base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{seed}, auth.APIKeySecretBytes)), ns)
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fakeVerifier verifies the tokens it was given, and nothing else.
type fakeVerifier struct {
	mu     sync.Mutex
	tokens map[string]jwtverify.Claims
	err    error // when set, Verify returns it for unknown tokens instead of unauthorized
	calls  int
}

var _ TokenVerifier = (*fakeVerifier)(nil)

func newFakeVerifier() *fakeVerifier { return &fakeVerifier{tokens: map[string]jwtverify.Claims{}} }

// add makes token verify with the given subject and namespace.
func (v *fakeVerifier) add(token, subject, ns string) jwtverify.Claims {
	v.mu.Lock()
	defer v.mu.Unlock()
	iat := time.Date(2026, 3, 1, 11, 59, 0, 0, time.UTC)
	c := jwtverify.Claims{KeyID: "k1", Issuer: "orama", Subject: subject, Audience: []string{"orama-gateway"},
		Namespace: ns, IssuedAt: iat, NotBefore: iat, ExpiresAt: iat.Add(15 * time.Minute)}
	v.tokens[token] = c
	return c
}

func (v *fakeVerifier) Verify(ctx context.Context, token string) (auth.Principal, jwtverify.Claims, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.calls++
	c, ok := v.tokens[token]
	if !ok {
		if v.err != nil {
			return auth.Principal{}, jwtverify.Claims{}, v.err
		}
		return auth.Principal{}, jwtverify.Claims{}, sdk.Errorf(sdk.CodeUnauthorized, "invalid token")
	}
	return auth.Principal{Method: auth.MethodJWT, Subject: c.Subject, Namespace: c.Namespace, KeyID: c.APIKeyID}, c, nil
}

// addForKey makes token verify like add, as a token minted from the API
// key with id keyID (claim api_key_id).
func (v *fakeVerifier) addForKey(token, subject, ns, keyID string) {
	c := v.add(token, subject, ns)
	c.APIKeyID = keyID
	v.mu.Lock()
	defer v.mu.Unlock()
	v.tokens[token] = c
}

func (v *fakeVerifier) callCount() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.calls
}

// fakeAuth is an auth.Auth with canned answers. It records every call and
// knows the API keys it was given; Verify, CreateAPIKey and Register
// accept any signature but "bad".
type fakeAuth struct {
	mu        sync.Mutex
	keys      map[string]auth.Principal
	calls     []authCall
	validates int   // ValidateAPIKey calls
	err       error // when set, every call returns it
	pubKeys   []auth.PublicKey
	simpleOK  bool // SimpleKey allowed
	keyIDs    int  // ValidateKeyID calls
}

var _ auth.Auth = (*fakeAuth)(nil)

type authCall struct {
	method                              string
	wallet, namespace, purpose, nonce   string
	signature, chain, plan, name, token string
	all                                 bool
	subject                             string
	clientIP, actor, role               string
}

func newFakeAuth() *fakeAuth { return &fakeAuth{keys: map[string]auth.Principal{}} }

// addKey makes key valid in ns with the given key id.
func (f *fakeAuth) addKey(key, ns, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys[key] = auth.Principal{Method: auth.MethodAPIKey, Subject: "0xwallet", Namespace: ns, KeyID: id}
}

// revoke makes key invalid.
func (f *fakeAuth) revoke(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.keys, key)
}

func (f *fakeAuth) setErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func (f *fakeAuth) validateCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.validates
}

func (f *fakeAuth) record(c authCall) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
	return f.err
}

// lastCall returns the last recorded call.
func (f *fakeAuth) lastCall(t testing.TB) authCall {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		t.Fatal("no call reached the auth plugin")
	}
	return f.calls[len(f.calls)-1]
}

func (f *fakeAuth) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

var fakeExpiry = time.Date(2026, 3, 1, 12, 5, 0, 0, time.UTC)

func (f *fakeAuth) Challenge(ctx context.Context, wallet, purpose, ns, clientIP string) (auth.Challenge, error) {
	if err := f.record(authCall{method: "Challenge", wallet: wallet, purpose: purpose, namespace: ns, clientIP: clientIP}); err != nil {
		return auth.Challenge{}, err
	}
	return auth.Challenge{Wallet: wallet, Namespace: ns, Nonce: "nonce-1", Purpose: purpose, ExpiresAt: fakeExpiry}, nil
}

func (f *fakeAuth) proof(method string, p auth.Proof, plan, name string) error {
	if err := f.record(authCall{method: method, wallet: p.Wallet, nonce: p.Nonce, signature: p.Signature,
		namespace: p.Namespace, chain: p.ChainType, plan: plan, name: name}); err != nil {
		return err
	}
	if p.Signature == "bad" {
		return sdk.Errorf(sdk.CodeUnauthorized, "signature does not match the wallet")
	}
	return nil
}

func (f *fakeAuth) Verify(ctx context.Context, p auth.Proof) (auth.Session, error) {
	if err := f.proof("Verify", p, "", ""); err != nil {
		return auth.Session{}, err
	}
	return auth.Session{AccessToken: "a.b.c", ExpiresIn: 15 * time.Minute, RefreshToken: "rt-1",
		Subject: p.Wallet, Namespace: p.Namespace, APIKey: testKey(9, p.Namespace)}, nil
}

func (f *fakeAuth) CreateAPIKey(ctx context.Context, p auth.Proof, plan string) (auth.APIKey, error) {
	if err := f.proof("CreateAPIKey", p, plan, ""); err != nil {
		return auth.APIKey{}, err
	}
	return auth.APIKey{ID: "kid-1", Key: testKey(8, p.Namespace), Namespace: p.Namespace, Plan: plan, Wallet: p.Wallet}, nil
}

func (f *fakeAuth) SimpleKey(ctx context.Context, wallet, ns string) (auth.APIKey, error) {
	if err := f.record(authCall{method: "SimpleKey", wallet: wallet, namespace: ns}); err != nil {
		return auth.APIKey{}, err
	}
	f.mu.Lock()
	ok := f.simpleOK
	f.mu.Unlock()
	if !ok {
		return auth.APIKey{}, sdk.Errorf(sdk.CodeForbidden, "unsigned keys are disabled")
	}
	return auth.APIKey{ID: "kid-2", Key: testKey(7, ns), Namespace: ns, Wallet: wallet, Created: fakeExpiry}, nil
}

func (f *fakeAuth) TokenForKey(ctx context.Context, key string) (auth.Token, error) {
	if err := f.record(authCall{method: "TokenForKey", token: key}); err != nil {
		return auth.Token{}, err
	}
	f.mu.Lock()
	p, ok := f.keys[key]
	f.mu.Unlock()
	if !ok {
		return auth.Token{}, sdk.Errorf(sdk.CodeUnauthorized, "invalid API key")
	}
	return auth.Token{AccessToken: "x.y.z", ExpiresIn: 900 * time.Second, Namespace: p.Namespace}, nil
}

func (f *fakeAuth) Register(ctx context.Context, p auth.Proof, name string) (auth.App, error) {
	if err := f.proof("Register", p, "", name); err != nil {
		return auth.App{}, err
	}
	return auth.App{ClientID: "app_123", Name: name, Namespace: p.Namespace, Wallet: p.Wallet}, nil
}

func (f *fakeAuth) Refresh(ctx context.Context, token, ns string) (auth.Session, error) {
	if err := f.record(authCall{method: "Refresh", token: token, namespace: ns}); err != nil {
		return auth.Session{}, err
	}
	if token != "rt-1" {
		return auth.Session{}, sdk.Errorf(sdk.CodeUnauthorized, "invalid refresh token")
	}
	return auth.Session{AccessToken: "d.e.f", ExpiresIn: 10 * time.Minute, RefreshToken: "rt-2",
		Subject: "0xwallet", Namespace: ns}, nil
}

func (f *fakeAuth) Logout(ctx context.Context, token, ns string, all bool, subject string) error {
	return f.record(authCall{method: "Logout", token: token, namespace: ns, all: all, subject: subject})
}

func (f *fakeAuth) ValidateAPIKey(ctx context.Context, key string) (auth.Principal, error) {
	f.mu.Lock()
	f.validates++
	p, ok := f.keys[key]
	err := f.err
	f.mu.Unlock()
	if err != nil {
		return auth.Principal{}, err
	}
	if !ok {
		return auth.Principal{}, sdk.Errorf(sdk.CodeUnauthorized, "invalid API key")
	}
	return p, nil
}

func (f *fakeAuth) Keys(ctx context.Context) ([]auth.PublicKey, error) {
	if err := f.record(authCall{method: "Keys"}); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]auth.PublicKey(nil), f.pubKeys...), nil
}

func (f *fakeAuth) CreateKey(ctx context.Context, ns, name, plan string) (auth.APIKey, error) {
	return auth.APIKey{}, sdk.Errorf(sdk.CodeInternal, "not used by the server")
}

func (f *fakeAuth) ListKeys(ctx context.Context, ns string) ([]auth.APIKey, error) {
	return nil, sdk.Errorf(sdk.CodeInternal, "not used by the server")
}

func (f *fakeAuth) RevokeKey(ctx context.Context, ns, id string) error {
	return sdk.Errorf(sdk.CodeInternal, "not used by the server")
}

// ValidateKeyID answers for the ids of the keys it was given.
func (f *fakeAuth) ValidateKeyID(ctx context.Context, id string) (auth.Principal, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keyIDs++
	if f.err != nil {
		return auth.Principal{}, f.err
	}
	for _, p := range f.keys {
		if p.KeyID == id {
			return p, nil
		}
	}
	return auth.Principal{}, sdk.Errorf(sdk.CodeUnauthorized, "the API key this token was issued for is revoked")
}

func (f *fakeAuth) keyIDCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.keyIDs
}

// AddMember lets actor "0xowner" (and operators) add anyone.
func (f *fakeAuth) AddMember(ctx context.Context, actor, ns, wallet, role string) (auth.Member, error) {
	if err := f.record(authCall{method: "AddMember", actor: actor, namespace: ns, wallet: wallet, role: role}); err != nil {
		return auth.Member{}, err
	}
	if actor != "0xowner" && actor != "" {
		return auth.Member{}, sdk.Errorf(sdk.CodeForbidden, "only an owner can manage members")
	}
	if role == "" {
		role = auth.RoleMember
	}
	return auth.Member{Wallet: wallet, Role: role, AddedBy: actor, Added: fakeExpiry}, nil
}

func (f *fakeAuth) RemoveMember(ctx context.Context, actor, ns, wallet string) error {
	if err := f.record(authCall{method: "RemoveMember", actor: actor, namespace: ns, wallet: wallet}); err != nil {
		return err
	}
	if actor != "0xowner" && actor != "" {
		return sdk.Errorf(sdk.CodeForbidden, "only an owner can manage members")
	}
	return nil
}

func (f *fakeAuth) Members(ctx context.Context, actor, ns string) (auth.Membership, error) {
	if err := f.record(authCall{method: "Members", actor: actor, namespace: ns}); err != nil {
		return auth.Membership{}, err
	}
	if actor != "0xowner" && actor != "" {
		return auth.Membership{}, sdk.Errorf(sdk.CodeForbidden, "only an owner can manage members")
	}
	return auth.Membership{Namespace: ns, Owner: "0xowner", Created: fakeExpiry,
		Members: []auth.Member{{Wallet: "0xfriend", Role: auth.RoleMember, AddedBy: "0xowner", Added: fakeExpiry}}}, nil
}

func (f *fakeAuth) Health(ctx context.Context) (plugin.Health, error) {
	return plugin.Health{OK: true, Driver: "fake"}, nil
}

// newAuthEnv is a test env with authentication required, keys
// keyAlpha (namespace alpha, id ka) and keyBeta (beta, kb), and a JWT
// jwtBeta (beta, subject 0xbeta).
func newAuthEnv(t testing.TB, mod func(*Options)) *testEnv {
	t.Helper()
	e := newTestEnv(t, func(o *Options) {
		o.Auth.Mode = AuthRequired
		if mod != nil {
			mod(o)
		}
	})
	e.auth.addKey(keyAlpha, "alpha", "ka")
	e.auth.addKey(keyBeta, "beta", "kb")
	e.jwt.add(jwtBeta, "0xbeta", "beta")
	return e
}

var (
	keyAlpha = testKey(1, "alpha")
	keyBeta  = testKey(2, "beta")
)

const jwtBeta = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIweGJldGEifQ.c2ln"

func principalOf(ns string) auth.Principal {
	return auth.Principal{Method: auth.MethodAPIKey, Subject: "0xw", Namespace: ns, KeyID: "id-" + ns}
}
