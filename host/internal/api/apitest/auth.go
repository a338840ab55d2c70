package apitest

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

// TestKey returns a key in the documented format, distinct per seed.
func TestKey(seed byte, ns string) string {
	return auth.FormatAPIKey(auth.APIKeyPrefix+base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{seed}, auth.APIKeySecretBytes)), ns)
}

// FakeClock is a clock tests move by hand.
type FakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func NewFakeClock() *FakeClock {
	return &FakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// FakeVerifier verifies the tokens it was given, and nothing else.
type FakeVerifier struct {
	mu     sync.Mutex
	Tokens map[string]jwtverify.Claims
	Err    error // when set, Verify returns it for unknown tokens instead of unauthorized
	calls  int
}

func NewFakeVerifier() *FakeVerifier { return &FakeVerifier{Tokens: map[string]jwtverify.Claims{}} }

// add makes token verify with the given subject and namespace.
func (v *FakeVerifier) Add(token, subject, ns string) jwtverify.Claims {
	v.mu.Lock()
	defer v.mu.Unlock()
	iat := time.Date(2026, 3, 1, 11, 59, 0, 0, time.UTC)
	c := jwtverify.Claims{KeyID: "k1", Issuer: "orama", Subject: subject, Audience: []string{"orama-gateway"},
		Namespace: ns, IssuedAt: iat, NotBefore: iat, ExpiresAt: iat.Add(15 * time.Minute)}
	v.Tokens[token] = c
	return c
}

func (v *FakeVerifier) Verify(ctx context.Context, token string) (auth.Principal, jwtverify.Claims, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.calls++
	c, ok := v.Tokens[token]
	if !ok {
		if v.Err != nil {
			return auth.Principal{}, jwtverify.Claims{}, v.Err
		}
		return auth.Principal{}, jwtverify.Claims{}, sdk.Errorf(sdk.CodeUnauthorized, "invalid token")
	}
	return auth.Principal{Method: auth.MethodJWT, Subject: c.Subject, Namespace: c.Namespace, KeyID: c.APIKeyID}, c, nil
}

// addForKey makes token verify like add, as a token minted from the API
// key with id keyID (claim api_key_id).
func (v *FakeVerifier) AddForKey(token, subject, ns, keyID string) {
	c := v.Add(token, subject, ns)
	c.APIKeyID = keyID
	v.mu.Lock()
	defer v.mu.Unlock()
	v.Tokens[token] = c
}

func (v *FakeVerifier) CallCount() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.calls
}

// FakeAuth is an auth.Auth with canned answers. It records every call and
// knows the API keys it was given; Verify, CreateAPIKey and Register
// accept any signature but "bad".
type FakeAuth struct {
	Mu        sync.Mutex
	KeyMap    map[string]auth.Principal
	calls     []AuthCall
	validates int   // ValidateAPIKey calls
	err       error // when set, every call returns it
	PubKeys   []auth.PublicKey
	SimpleOK  bool // SimpleKey allowed
	keyIDs    int  // ValidateKeyID calls
}

var _ auth.Auth = (*FakeAuth)(nil)

// AuthCall is one recorded call of FakeAuth.
type AuthCall struct {
	Method                              string
	Wallet, Namespace, Purpose, Nonce   string
	Signature, Chain, Plan, Name, Token string
	All                                 bool
	Subject                             string
	ClientIP, Actor, Role               string
}

func NewFakeAuth() *FakeAuth { return &FakeAuth{KeyMap: map[string]auth.Principal{}} }

// addKey makes key valid in ns with the given key id.
func (f *FakeAuth) AddKey(key, ns, id string) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.KeyMap[key] = auth.Principal{Method: auth.MethodAPIKey, Subject: "0xwallet", Namespace: ns, KeyID: id}
}

// revoke makes key invalid.
func (f *FakeAuth) Revoke(key string) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	delete(f.KeyMap, key)
}

func (f *FakeAuth) SetErr(err error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.err = err
}

func (f *FakeAuth) ValidateCount() int {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return f.validates
}

func (f *FakeAuth) record(c AuthCall) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.calls = append(f.calls, c)
	return f.err
}

// lastCall returns the last recorded call.
func (f *FakeAuth) LastCall(t testing.TB) AuthCall {
	t.Helper()
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if len(f.calls) == 0 {
		t.Fatal("no call reached the auth plugin")
	}
	return f.calls[len(f.calls)-1]
}

func (f *FakeAuth) CallCount() int {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return len(f.calls)
}

var FakeExpiry = time.Date(2026, 3, 1, 12, 5, 0, 0, time.UTC)

func (f *FakeAuth) Challenge(ctx context.Context, wallet, purpose, ns, clientIP string) (auth.Challenge, error) {
	if err := f.record(AuthCall{Method: "Challenge", Wallet: wallet, Purpose: purpose, Namespace: ns, ClientIP: clientIP}); err != nil {
		return auth.Challenge{}, err
	}
	return auth.Challenge{Wallet: wallet, Namespace: ns, Nonce: "nonce-1", Purpose: purpose, ExpiresAt: FakeExpiry}, nil
}

func (f *FakeAuth) proof(method string, p auth.Proof, plan, name string) error {
	if err := f.record(AuthCall{Method: method, Wallet: p.Wallet, Nonce: p.Nonce, Signature: p.Signature,
		Namespace: p.Namespace, Chain: p.ChainType, Plan: plan, Name: name}); err != nil {
		return err
	}
	if p.Signature == "bad" {
		return sdk.Errorf(sdk.CodeUnauthorized, "signature does not match the wallet")
	}
	return nil
}

func (f *FakeAuth) Verify(ctx context.Context, p auth.Proof) (auth.Session, error) {
	if err := f.proof("Verify", p, "", ""); err != nil {
		return auth.Session{}, err
	}
	return auth.Session{AccessToken: "a.b.c", ExpiresIn: 15 * time.Minute, RefreshToken: "rt-1",
		Subject: p.Wallet, Namespace: p.Namespace, APIKey: TestKey(9, p.Namespace)}, nil
}

func (f *FakeAuth) CreateAPIKey(ctx context.Context, p auth.Proof, plan string) (auth.APIKey, error) {
	if err := f.proof("CreateAPIKey", p, plan, ""); err != nil {
		return auth.APIKey{}, err
	}
	return auth.APIKey{ID: "kid-1", Key: TestKey(8, p.Namespace), Namespace: p.Namespace, Plan: plan, Wallet: p.Wallet}, nil
}

func (f *FakeAuth) SimpleKey(ctx context.Context, wallet, ns string) (auth.APIKey, error) {
	if err := f.record(AuthCall{Method: "SimpleKey", Wallet: wallet, Namespace: ns}); err != nil {
		return auth.APIKey{}, err
	}
	f.Mu.Lock()
	ok := f.SimpleOK
	f.Mu.Unlock()
	if !ok {
		return auth.APIKey{}, sdk.Errorf(sdk.CodeForbidden, "unsigned keys are disabled")
	}
	return auth.APIKey{ID: "kid-2", Key: TestKey(7, ns), Namespace: ns, Wallet: wallet, Created: FakeExpiry}, nil
}

func (f *FakeAuth) TokenForKey(ctx context.Context, key string) (auth.Token, error) {
	if err := f.record(AuthCall{Method: "TokenForKey", Token: key}); err != nil {
		return auth.Token{}, err
	}
	f.Mu.Lock()
	p, ok := f.KeyMap[key]
	f.Mu.Unlock()
	if !ok {
		return auth.Token{}, sdk.Errorf(sdk.CodeUnauthorized, "invalid API key")
	}
	return auth.Token{AccessToken: "x.y.z", ExpiresIn: 900 * time.Second, Namespace: p.Namespace}, nil
}

func (f *FakeAuth) Register(ctx context.Context, p auth.Proof, name string) (auth.App, error) {
	if err := f.proof("Register", p, "", name); err != nil {
		return auth.App{}, err
	}
	return auth.App{ClientID: "app_123", Name: name, Namespace: p.Namespace, Wallet: p.Wallet}, nil
}

func (f *FakeAuth) Refresh(ctx context.Context, token, ns string) (auth.Session, error) {
	if err := f.record(AuthCall{Method: "Refresh", Token: token, Namespace: ns}); err != nil {
		return auth.Session{}, err
	}
	if token != "rt-1" {
		return auth.Session{}, sdk.Errorf(sdk.CodeUnauthorized, "invalid refresh token")
	}
	return auth.Session{AccessToken: "d.e.f", ExpiresIn: 10 * time.Minute, RefreshToken: "rt-2",
		Subject: "0xwallet", Namespace: ns}, nil
}

func (f *FakeAuth) Logout(ctx context.Context, token, ns string, all bool, subject string) error {
	return f.record(AuthCall{Method: "Logout", Token: token, Namespace: ns, All: all, Subject: subject})
}

func (f *FakeAuth) ValidateAPIKey(ctx context.Context, key string) (auth.Principal, error) {
	f.Mu.Lock()
	f.validates++
	p, ok := f.KeyMap[key]
	err := f.err
	f.Mu.Unlock()
	if err != nil {
		return auth.Principal{}, err
	}
	if !ok {
		return auth.Principal{}, sdk.Errorf(sdk.CodeUnauthorized, "invalid API key")
	}
	return p, nil
}

func (f *FakeAuth) Keys(ctx context.Context) ([]auth.PublicKey, error) {
	if err := f.record(AuthCall{Method: "Keys"}); err != nil {
		return nil, err
	}
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return append([]auth.PublicKey(nil), f.PubKeys...), nil
}

func (f *FakeAuth) CreateKey(ctx context.Context, ns, name, plan string) (auth.APIKey, error) {
	return auth.APIKey{}, sdk.Errorf(sdk.CodeInternal, "not used by the server")
}

func (f *FakeAuth) ListKeys(ctx context.Context, ns string) ([]auth.APIKey, error) {
	return nil, sdk.Errorf(sdk.CodeInternal, "not used by the server")
}

func (f *FakeAuth) RevokeKey(ctx context.Context, ns, id string) error {
	return sdk.Errorf(sdk.CodeInternal, "not used by the server")
}

// ValidateKeyID answers for the ids of the keys it was given.
func (f *FakeAuth) ValidateKeyID(ctx context.Context, id string) (auth.Principal, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.keyIDs++
	if f.err != nil {
		return auth.Principal{}, f.err
	}
	for _, p := range f.KeyMap {
		if p.KeyID == id {
			return p, nil
		}
	}
	return auth.Principal{}, sdk.Errorf(sdk.CodeUnauthorized, "the API key this token was issued for is revoked")
}

func (f *FakeAuth) KeyIDCount() int {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return f.keyIDs
}

// AddMember lets actor "0xowner" (and operators) add anyone.
func (f *FakeAuth) AddMember(ctx context.Context, actor, ns, wallet, role string) (auth.Member, error) {
	if err := f.record(AuthCall{Method: "AddMember", Actor: actor, Namespace: ns, Wallet: wallet, Role: role}); err != nil {
		return auth.Member{}, err
	}
	if actor != "0xowner" && actor != "" {
		return auth.Member{}, sdk.Errorf(sdk.CodeForbidden, "only an owner can manage members")
	}
	if role == "" {
		role = auth.RoleMember
	}
	return auth.Member{Wallet: wallet, Role: role, AddedBy: actor, Added: FakeExpiry}, nil
}

func (f *FakeAuth) RemoveMember(ctx context.Context, actor, ns, wallet string) error {
	if err := f.record(AuthCall{Method: "RemoveMember", Actor: actor, Namespace: ns, Wallet: wallet}); err != nil {
		return err
	}
	if actor != "0xowner" && actor != "" {
		return sdk.Errorf(sdk.CodeForbidden, "only an owner can manage members")
	}
	return nil
}

func (f *FakeAuth) Members(ctx context.Context, actor, ns string) (auth.Membership, error) {
	if err := f.record(AuthCall{Method: "Members", Actor: actor, Namespace: ns}); err != nil {
		return auth.Membership{}, err
	}
	if actor != "0xowner" && actor != "" {
		return auth.Membership{}, sdk.Errorf(sdk.CodeForbidden, "only an owner can manage members")
	}
	return auth.Membership{Namespace: ns, Owner: "0xowner", Created: FakeExpiry,
		Members: []auth.Member{{Wallet: "0xfriend", Role: auth.RoleMember, AddedBy: "0xowner", Added: FakeExpiry}}}, nil
}

func (f *FakeAuth) Health(ctx context.Context) (plugin.Health, error) {
	return plugin.Health{OK: true, Driver: "fake"}, nil
}

var (
	KeyAlpha = TestKey(1, "alpha")
	KeyBeta  = TestKey(2, "beta")
)

const JWTBeta = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIweGJldGEifQ.c2ln"

func PrincipalOf(ns string) auth.Principal {
	return auth.Principal{Method: auth.MethodAPIKey, Subject: "0xw", Namespace: ns, KeyID: "id-" + ns}
}
