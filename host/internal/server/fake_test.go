package server

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/pluginmgr"
)

// testEnv is a Server over fakes. It is servertest.Env for the server's
// own tests, which cannot import servertest (an import cycle).
type testEnv struct {
	srv     *Server
	plugins *apitest.Plugins
	cache   *apitest.FakeCache
	db      *apitest.FakeDB
	auth    *apitest.FakeAuth
	jwt     *apitest.FakeVerifier
	clock   *apitest.FakeClock
	logs    *apitest.SyncBuffer
}

// newTestEnv is a Server over fakes with authentication disabled (every
// request in namespace "default"); newAuthEnv turns it on.
func newTestEnv(t testing.TB, mod func(*Options)) *testEnv {
	t.Helper()
	c := apitest.NewFakeCache()
	db := apitest.NewFakeDB()
	a := apitest.NewFakeAuth()
	v := apitest.NewFakeVerifier()
	clock := apitest.NewFakeClock()
	p := &apitest.Plugins{CacheFake: c, DBFake: db, AuthFake: a, StatusMap: map[string]pluginmgr.Status{"cache": apitest.RunningCache()}}
	logs := &apitest.SyncBuffer{}
	opts := Options{
		CORSOrigins:    []string{"https://app.example"},
		MaxBodyBytes:   1 << 16,
		RequestTimeout: 2 * time.Second,
		NodeID:         "node-1",
		Version:        "v0.1.0",
		Commit:         "abc123",
		BuildTime:      "2026-01-01T00:00:00Z",
		Logger:         hclog.New(&hclog.LoggerOptions{Output: logs, Level: hclog.Debug}),
		Plugins:        p,
		Auth:           AuthOptions{Mode: AuthDisabled, Verifier: v},
		Now:            clock.Now,
	}
	if mod != nil {
		mod(&opts)
	}
	return &testEnv{srv: New(opts), plugins: p, cache: c, db: db, auth: a, jwt: v, clock: clock, logs: logs}
}

// do sends a request through the full handler; hdr are name/value pairs.
func (e *testEnv) do(t testing.TB, method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	return apitest.Do(t, e.srv.Handler(), method, path, body, hdr...)
}

// newAuthEnv is newTestEnv with authentication required and two API keys
// known: apitest.KeyAlpha (namespace alpha, id ka) and apitest.KeyBeta
// (beta, kb), and a JWT apitest.JWTBeta (beta, subject 0xbeta).
func newAuthEnv(t testing.TB, mod func(*Options)) *testEnv {
	t.Helper()
	e := newTestEnv(t, func(o *Options) {
		o.Auth.Mode = AuthRequired
		if mod != nil {
			mod(o)
		}
	})
	e.auth.AddKey(apitest.KeyAlpha, "alpha", "ka")
	e.auth.AddKey(apitest.KeyBeta, "beta", "kb")
	e.jwt.Add(apitest.JWTBeta, "0xbeta", "beta")
	return e
}
