package auth_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"google.golang.org/grpc"
)

// dial serves impl over an in-memory gRPC connection and returns a client
// whose lifetime is life.
func dial(t *testing.T, life context.Context, impl auth.Auth) *auth.Client {
	t.Helper()
	return auth.NewClient(life, plugintest.Dial(t, func(s *grpc.Server) { auth.Register(s, impl) }))
}

// Values with every field set, times on whole milliseconds (the wire's
// precision).
var (
	at      = time.UnixMilli(1893456000123)
	proof   = auth.Proof{Wallet: "0xabc", Nonce: "n1", Signature: "0xsig", Namespace: "ns", ChainType: auth.ChainSOL}
	chal    = auth.Challenge{Wallet: "0xabc", Namespace: "ns", Nonce: "n1", Purpose: "login", ExpiresAt: at}
	session = auth.Session{AccessToken: "a.b.c", ExpiresIn: 15 * time.Minute, RefreshToken: "rt", Subject: "0xabc", Namespace: "ns", APIKey: "ak_x:ns"}
	token   = auth.Token{AccessToken: "a.b.c", ExpiresIn: 90 * time.Second, Namespace: "ns"}
	apiKey  = auth.APIKey{ID: "key_1", Key: "ak_x:ns", Namespace: "ns", Plan: "pro", Wallet: "0xabc", Name: "ci", Created: at, Revoked: true}
	app     = auth.App{ClientID: "app_1", Name: "my-app", Namespace: "ns", Wallet: "0xabc"}
	princ   = auth.Principal{Method: auth.MethodAPIKey, Subject: "0xabc", Namespace: "ns", KeyID: "key_1"}
	pubKeys = []auth.PublicKey{
		{Kid: "k1", Alg: "EdDSA", JWK: []byte(`{"kty":"OKP"}`), NotAfter: at, Signing: true},
		{Kid: "k0", Alg: "EdDSA", JWK: []byte(`{"kty":"OKP","x":"y"}`)},
	}
	health = plugin.Health{OK: true, Driver: "database", Detail: "fine"}
	member = auth.Member{Wallet: "0xdef", Role: auth.RoleOwner, AddedBy: "0xabc", Added: at}
	msh    = auth.Membership{Namespace: "ns", Owner: "0xabc", Created: at, Members: []auth.Member{member, {Wallet: "0x1", Role: auth.RoleMember}}}
)

// recorder returns the values above and records the arguments it got.
type recorder struct{ args []any }

func (r *recorder) Challenge(_ context.Context, wallet, purpose, namespace, clientIP string) (auth.Challenge, error) {
	r.args = []any{wallet, purpose, namespace, clientIP}
	return chal, nil
}
func (r *recorder) Verify(_ context.Context, p auth.Proof) (auth.Session, error) {
	r.args = []any{p}
	return session, nil
}
func (r *recorder) CreateAPIKey(_ context.Context, p auth.Proof, plan string) (auth.APIKey, error) {
	r.args = []any{p, plan}
	return apiKey, nil
}
func (r *recorder) SimpleKey(_ context.Context, wallet, namespace string) (auth.APIKey, error) {
	r.args = []any{wallet, namespace}
	return apiKey, nil
}
func (r *recorder) TokenForKey(_ context.Context, key string) (auth.Token, error) {
	r.args = []any{key}
	return token, nil
}
func (r *recorder) Register(_ context.Context, p auth.Proof, name string) (auth.App, error) {
	r.args = []any{p, name}
	return app, nil
}
func (r *recorder) Refresh(_ context.Context, rt, namespace string) (auth.Session, error) {
	r.args = []any{rt, namespace}
	return session, nil
}
func (r *recorder) Logout(_ context.Context, rt, namespace string, all bool, subject string) error {
	r.args = []any{rt, namespace, all, subject}
	return nil
}
func (r *recorder) ValidateAPIKey(_ context.Context, key string) (auth.Principal, error) {
	r.args = []any{key}
	return princ, nil
}
func (r *recorder) Keys(context.Context) ([]auth.PublicKey, error) {
	r.args = nil
	return pubKeys, nil
}
func (r *recorder) CreateKey(_ context.Context, namespace, name, plan string) (auth.APIKey, error) {
	r.args = []any{namespace, name, plan}
	return apiKey, nil
}
func (r *recorder) ListKeys(_ context.Context, namespace string) ([]auth.APIKey, error) {
	r.args = []any{namespace}
	return []auth.APIKey{apiKey, {ID: "key_2", Namespace: "ns"}}, nil
}
func (r *recorder) RevokeKey(_ context.Context, namespace, id string) error {
	r.args = []any{namespace, id}
	return nil
}
func (r *recorder) ValidateKeyID(_ context.Context, id string) (auth.Principal, error) {
	r.args = []any{id}
	return princ, nil
}
func (r *recorder) AddMember(_ context.Context, actor, namespace, wallet, role string) (auth.Member, error) {
	r.args = []any{actor, namespace, wallet, role}
	return member, nil
}
func (r *recorder) RemoveMember(_ context.Context, actor, namespace, wallet string) error {
	r.args = []any{actor, namespace, wallet}
	return nil
}
func (r *recorder) Members(_ context.Context, actor, namespace string) (auth.Membership, error) {
	r.args = []any{actor, namespace}
	return msh, nil
}
func (r *recorder) Health(context.Context) (plugin.Health, error) { r.args = nil; return health, nil }

func TestRoundTrip(t *testing.T) {
	rec := &recorder{}
	c := dial(t, t.Context(), rec)
	ctx := t.Context()
	check := func(name string, got, want any, args ...any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s returned %+v, want %+v", name, got, want)
		}
		if !reflect.DeepEqual(rec.args, args) && !(len(rec.args) == 0 && len(args) == 0) {
			t.Errorf("%s: implementation got %+v, want %+v", name, rec.args, args)
		}
	}
	type result struct {
		v   any
		err error
	}
	r := func(v any, err error) result { return result{v, err} }
	ok := func(v any) result { return result{v, nil} }

	check("Challenge", r(c.Challenge(ctx, "0xabc", "login", "ns", "192.0.2.7")), ok(chal), "0xabc", "login", "ns", "192.0.2.7")
	check("Verify", r(c.Verify(ctx, proof)), ok(session), proof)
	check("CreateAPIKey", r(c.CreateAPIKey(ctx, proof, "pro")), ok(apiKey), proof, "pro")
	check("SimpleKey", r(c.SimpleKey(ctx, "0xabc", "ns")), ok(apiKey), "0xabc", "ns")
	check("TokenForKey", r(c.TokenForKey(ctx, "ak_x:ns")), ok(token), "ak_x:ns")
	check("Register", r(c.Register(ctx, proof, "my-app")), ok(app), proof, "my-app")
	check("Refresh", r(c.Refresh(ctx, "rt", "ns")), ok(session), "rt", "ns")
	check("Logout", c.Logout(ctx, "rt", "ns", true, "0xabc"), nil, "rt", "ns", true, "0xabc")
	check("ValidateAPIKey", r(c.ValidateAPIKey(ctx, "ak_x:ns")), ok(princ), "ak_x:ns")
	check("Keys", r(c.Keys(ctx)), ok(pubKeys))
	check("CreateKey", r(c.CreateKey(ctx, "ns", "ci", "pro")), ok(apiKey), "ns", "ci", "pro")
	check("ListKeys", r(c.ListKeys(ctx, "ns")), ok([]auth.APIKey{apiKey, {ID: "key_2", Namespace: "ns"}}), "ns")
	check("RevokeKey", c.RevokeKey(ctx, "ns", "key_1"), nil, "ns", "key_1")
	check("ValidateKeyID", r(c.ValidateKeyID(ctx, "key_1")), ok(princ), "key_1")
	check("AddMember", r(c.AddMember(ctx, "0xabc", "ns", "0xdef", "owner")), ok(member), "0xabc", "ns", "0xdef", "owner")
	check("RemoveMember", c.RemoveMember(ctx, "", "ns", "0xdef"), nil, "", "ns", "0xdef")
	check("Members", r(c.Members(ctx, "0xabc", "ns")), ok(msh), "0xabc", "ns")
	check("Health", r(c.Health(ctx)), ok(health))
}

// failing returns err from every method.
type failing struct{ err error }

func (f failing) Challenge(context.Context, string, string, string, string) (auth.Challenge, error) {
	return auth.Challenge{}, f.err
}
func (f failing) Verify(context.Context, auth.Proof) (auth.Session, error) {
	return auth.Session{}, f.err
}
func (f failing) CreateAPIKey(context.Context, auth.Proof, string) (auth.APIKey, error) {
	return auth.APIKey{}, f.err
}
func (f failing) SimpleKey(context.Context, string, string) (auth.APIKey, error) {
	return auth.APIKey{}, f.err
}
func (f failing) TokenForKey(context.Context, string) (auth.Token, error) { return auth.Token{}, f.err }
func (f failing) Register(context.Context, auth.Proof, string) (auth.App, error) {
	return auth.App{}, f.err
}
func (f failing) Refresh(context.Context, string, string) (auth.Session, error) {
	return auth.Session{}, f.err
}
func (f failing) Logout(context.Context, string, string, bool, string) error { return f.err }
func (f failing) ValidateAPIKey(context.Context, string) (auth.Principal, error) {
	return auth.Principal{}, f.err
}
func (f failing) Keys(context.Context) ([]auth.PublicKey, error) { return nil, f.err }
func (f failing) CreateKey(context.Context, string, string, string) (auth.APIKey, error) {
	return auth.APIKey{}, f.err
}
func (f failing) ListKeys(context.Context, string) ([]auth.APIKey, error) { return nil, f.err }
func (f failing) RevokeKey(context.Context, string, string) error         { return f.err }
func (f failing) Health(context.Context) (plugin.Health, error)           { return plugin.Health{}, f.err }
func (f failing) ValidateKeyID(context.Context, string) (auth.Principal, error) {
	return auth.Principal{}, f.err
}
func (f failing) AddMember(context.Context, string, string, string, string) (auth.Member, error) {
	return auth.Member{}, f.err
}
func (f failing) RemoveMember(context.Context, string, string, string) error { return f.err }
func (f failing) Members(context.Context, string, string) (auth.Membership, error) {
	return auth.Membership{}, f.err
}

// allErrors calls every method of c and returns their errors by name.
func allErrors(c *auth.Client) map[string]error {
	ctx := context.Background()
	errs := map[string]error{}
	_, errs["Challenge"] = c.Challenge(ctx, "w", "p", "ns", "")
	_, errs["Verify"] = c.Verify(ctx, proof)
	_, errs["CreateAPIKey"] = c.CreateAPIKey(ctx, proof, "free")
	_, errs["SimpleKey"] = c.SimpleKey(ctx, "w", "ns")
	_, errs["TokenForKey"] = c.TokenForKey(ctx, "k")
	_, errs["Register"] = c.Register(ctx, proof, "app")
	_, errs["Refresh"] = c.Refresh(ctx, "rt", "ns")
	errs["Logout"] = c.Logout(ctx, "rt", "ns", false, "")
	_, errs["ValidateAPIKey"] = c.ValidateAPIKey(ctx, "k")
	_, errs["Keys"] = c.Keys(ctx)
	_, errs["CreateKey"] = c.CreateKey(ctx, "ns", "n", "p")
	_, errs["ListKeys"] = c.ListKeys(ctx, "ns")
	errs["RevokeKey"] = c.RevokeKey(ctx, "ns", "id")
	_, errs["Health"] = c.Health(ctx)
	_, errs["ValidateKeyID"] = c.ValidateKeyID(ctx, "id")
	_, errs["AddMember"] = c.AddMember(ctx, "a", "ns", "w", "")
	errs["RemoveMember"] = c.RemoveMember(ctx, "a", "ns", "w")
	_, errs["Members"] = c.Members(ctx, "a", "ns")
	return errs
}

func TestGRPCErrorCodesSurvive(t *testing.T) {
	codes := plugintest.Codes()
	for _, code := range codes {
		want := &sdk.Error{Code: code, Message: "boom: " + string(code)}
		c := dial(t, t.Context(), failing{want})
		for op, err := range allErrors(c) {
			var got *sdk.Error
			if !errors.As(err, &got) || *got != *want {
				t.Errorf("%s with %s: got %#v, want %#v", op, code, err, want)
			}
		}
	}
}

func TestClientFailsFastAfterLifetime(t *testing.T) {
	life, cancel := context.WithCancel(t.Context())
	rec := &recorder{}
	c := dial(t, life, rec)
	if _, err := c.Keys(t.Context()); err != nil {
		t.Fatalf("Keys while alive: %v", err)
	}
	cancel()
	rec.args = []any{"untouched"}
	for op, err := range allErrors(c) {
		var e *sdk.Error
		if !errors.As(err, &e) || e.Code != sdk.CodeUnavailable {
			t.Errorf("%s after the lifetime ended: %v, want unavailable", op, err)
		}
	}
	if !reflect.DeepEqual(rec.args, []any{"untouched"}) {
		t.Errorf("a call reached the implementation after the lifetime ended: %v", rec.args)
	}
}
