// Package servertest runs a whole server (middleware chain, router, every
// adapter) over the fakes of apitest, for the adapters' tests: a request
// goes through exactly what a client's would.
package servertest

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/pluginmgr"
	"github.com/orama-network/orama/host/internal/server"
)

// Env is a Server over fakes.
type Env struct {
	Srv     *server.Server
	Plugins *apitest.Plugins
	Cache   *apitest.FakeCache
	DB      *apitest.FakeDB
	Auth    *apitest.FakeAuth
	PubSub  *apitest.FakePubSub
	Fn      *apitest.FakeServerless
	JWT     *apitest.FakeVerifier
	Clock   *apitest.FakeClock
	Logs    *apitest.SyncBuffer
}

// New is a Server over fakes with authentication disabled (every request
// in namespace "default"); mod may change the options first. NewAuth
// turns authentication on.
func New(t testing.TB, mod func(*server.Options)) *Env {
	t.Helper()
	e := &Env{
		Cache:  apitest.NewFakeCache(),
		DB:     apitest.NewFakeDB(),
		Auth:   apitest.NewFakeAuth(),
		PubSub: apitest.NewFakePubSub(),
		Fn:     apitest.NewFakeServerless(),
		JWT:    apitest.NewFakeVerifier(),
		Clock:  apitest.NewFakeClock(),
		Logs:   &apitest.SyncBuffer{},
	}
	e.Plugins = &apitest.Plugins{CacheFake: e.Cache, DBFake: e.DB, AuthFake: e.Auth,
		PubSubFake: e.PubSub, FnFake: e.Fn,
		StatusMap: map[string]pluginmgr.Status{"cache": apitest.RunningCache()}}
	opts := server.Options{
		CORSOrigins:    []string{"https://app.example"},
		MaxBodyBytes:   1 << 16,
		RequestTimeout: 2 * time.Second,
		NodeID:         "node-1",
		Version:        "v0.1.0",
		Commit:         "abc123",
		BuildTime:      "2026-01-01T00:00:00Z",
		Logger:         hclog.New(&hclog.LoggerOptions{Output: e.Logs, Level: hclog.Debug}),
		Plugins:        e.Plugins,
		Auth:           server.AuthOptions{Mode: server.AuthDisabled, Verifier: e.JWT},
		Now:            e.Clock.Now,
	}
	if mod != nil {
		mod(&opts)
	}
	e.Srv = server.New(opts)
	t.Cleanup(func() { _ = e.PubSub.Close() })
	return e
}

// NewAuth is New with authentication required and two API keys known:
// apitest.KeyAlpha (namespace alpha, id ka) and apitest.KeyBeta (beta,
// kb), and a JWT apitest.JWTBeta (beta, subject 0xbeta).
func NewAuth(t testing.TB, mod func(*server.Options)) *Env {
	t.Helper()
	e := New(t, func(o *server.Options) {
		o.Auth.Mode = server.AuthRequired
		if mod != nil {
			mod(o)
		}
	})
	e.Auth.AddKey(apitest.KeyAlpha, "alpha", "ka")
	e.Auth.AddKey(apitest.KeyBeta, "beta", "kb")
	e.JWT.Add(apitest.JWTBeta, "0xbeta", "beta")
	return e
}

// Do sends a request through the full handler; hdr are name/value pairs.
func (e *Env) Do(t testing.TB, method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	return apitest.Do(t, e.Srv.Handler(), method, path, body, hdr...)
}
