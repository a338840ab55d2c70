package e2e

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/authtest"
)

// TestAuthWalletSignIn: the whole wallet flow over HTTP against the real
// host, auth, database (SQLite) and cache plugins, for an Ethereum key
// (secp256k1, EIP-191) and a Solana key (ed25519), each in its own
// namespace: challenge → verify → access token and API key, cache and
// database with each kind of credential, whoami, token for a key; then
// what one namespace can see of the other.
func TestAuthWalletSignIn(t *testing.T) {
	h := startAuthHost(t, "", "")
	eth, sol := authtest.NewETHWallet(), authtest.NewSOLWallet()

	a := walletFlow(t, h, eth, "team-eth", auth.ChainETH)
	b := walletFlow(t, h, sol, "team-sol", auth.ChainSOL)

	t.Run("namespaces", func(t *testing.T) {
		crossNamespace(t, h, a, b)
	})
	t.Run("ownership", func(t *testing.T) {
		// The first wallet to sign in owns the namespace.
		p := sol.Proof(h.challenge(sol.Address(), "team-eth"))
		wantStatus(t, "another wallet signing in to an owned namespace", h.send(http.MethodPost, "/v1/auth/verify", proofBody(p)), http.StatusForbidden)
	})
}

// walletFlow signs w in to namespace and uses what it gets.
func walletFlow(t *testing.T, h *host, w wallet, namespace, chain string) session {
	t.Helper()
	c := h.challenge(w.Address(), namespace)
	if c.Namespace != namespace || !strings.EqualFold(c.Wallet, w.Address()) {
		t.Errorf("challenge: %+v", c)
	}
	p := w.Proof(c)
	if p.ChainType != chain {
		t.Fatalf("proof chain %q, want %q", p.ChainType, chain)
	}
	r := h.send(http.MethodPost, "/v1/auth/verify", proofBody(p))
	if r.code != http.StatusOK {
		t.Fatalf("verify (%s): %s", chain, r)
	}
	s := session{access: r.str("access_token"), refresh: r.str("refresh_token"), key: r.str("api_key"),
		subject: r.str("subject"), namespace: r.str("namespace")}
	if r.str("token_type") != "Bearer" || r.body["signature_verified"] != true || r.str("nonce") != c.Nonce ||
		s.namespace != namespace || !strings.EqualFold(s.subject, w.Address()) || s.refresh == "" {
		t.Errorf("verify (%s) answer: %s", chain, r.raw)
	}
	if exp, _ := r.body["expires_in"].(float64); exp <= 0 {
		t.Errorf("expires_in %v", r.body["expires_in"])
	}
	if !auth.LooksLikeJWT(s.access) {
		t.Errorf("access_token %q is not a JWT", s.access)
	}
	if _, ns, err := auth.ParseAPIKey(s.key); err != nil || ns != namespace {
		t.Errorf("api_key %q: namespace %q, %v", s.key, ns, err)
	}

	// Every way of presenting a credential reaches the namespace's cache.
	creds := map[string][]string{
		"jwt":           bearer(s.access),
		"x-api-key":     apiKey(s.key),
		"bearer-key":    bearer(s.key),
		"apikey-scheme": {"Authorization", "ApiKey " + s.key},
	}
	for name, hdr := range creds {
		put := h.send(http.MethodPost, "/v1/cache/put", map[string]any{"dmap": "notes", "key": name, "value": map[string]any{"by": name}}, hdr...)
		wantStatus(t, "cache put with "+name, put, http.StatusOK)
		got := h.send(http.MethodPost, "/v1/cache/get", map[string]any{"dmap": "notes", "key": name}, hdr...)
		if wantStatus(t, "cache get with "+name, got, http.StatusOK) && !jsonEqual(got.body["value"], `{"by":"`+name+`"}`) {
			t.Errorf("cache get with %s: %s", name, got.raw)
		}
	}
	q := h.send(http.MethodPost, "/v1/cache/get?api_key="+url.QueryEscape(s.key), map[string]any{"dmap": "notes", "key": "jwt"})
	wantStatus(t, "cache get with ?api_key=", q, http.StatusOK)

	// The database, with the JWT and with the key: the same namespace.
	wantStatus(t, "create-table with the JWT", h.send(http.MethodPost, "/v1/rqlite/create-table",
		map[string]any{"schema": "CREATE TABLE items (id INTEGER PRIMARY KEY, owner TEXT NOT NULL)"}, bearer(s.access)...), http.StatusCreated)
	wantStatus(t, "insert with the key", h.send(http.MethodPost, "/v1/rqlite/exec",
		map[string]any{"sql": "INSERT INTO items (owner) VALUES (?)", "args": []any{w.Address()}}, apiKey(s.key)...), http.StatusOK)
	rows := h.send(http.MethodPost, "/v1/rqlite/query", map[string]any{"sql": "SELECT owner FROM items"}, bearer(s.access)...)
	if !wantStatus(t, "query with the JWT", rows, http.StatusOK) || !jsonEqual(rows.body["items"], `[{"owner":"`+w.Address()+`"}]`) {
		t.Errorf("query with the JWT: %s", rows.raw)
	}

	whoamiShapes(t, h, s)

	// A token for the key: a JWT of the same namespace and subject.
	tok := h.send(http.MethodPost, "/v1/auth/token", nil, apiKey(s.key)...)
	if !wantStatus(t, "token for the key", tok, http.StatusOK) || tok.str("namespace") != namespace || tok.str("token_type") != "Bearer" {
		t.Fatalf("token: %s", tok)
	}
	who := h.send(http.MethodGet, "/v1/auth/whoami", nil, bearer(tok.str("access_token"))...)
	if who.str("method") != auth.MethodJWT || who.str("namespace") != namespace || !strings.EqualFold(who.str("subject"), w.Address()) {
		t.Errorf("whoami with the key's token: %s", who)
	}
	return s
}

// whoamiShapes checks the two documents of GET /v1/auth/whoami (API.md).
func whoamiShapes(t *testing.T, h *host, s session) {
	t.Helper()
	j := h.send(http.MethodGet, "/v1/auth/whoami", nil, bearer(s.access)...)
	wantStatus(t, "whoami with the JWT", j, http.StatusOK)
	if got := keysOf(j.body); got != "audience authenticated expires_at issued_at issuer method namespace not_before subject" {
		t.Errorf("whoami (JWT) fields: %s", got)
	}
	if j.body["authenticated"] != true || j.str("method") != "jwt" || j.str("subject") != s.subject ||
		j.str("issuer") != "orama" || j.str("audience") != "orama-gateway" || j.str("namespace") != s.namespace {
		t.Errorf("whoami (JWT): %s", j.raw)
	}
	iat, err1 := time.Parse(time.RFC3339, j.str("issued_at"))
	exp, err2 := time.Parse(time.RFC3339, j.str("expires_at"))
	if _, err3 := time.Parse(time.RFC3339, j.str("not_before")); err1 != nil || err2 != nil || err3 != nil || !exp.After(iat) {
		t.Errorf("whoami (JWT) times: %s", j.raw)
	}

	k := h.send(http.MethodGet, "/v1/auth/whoami", nil, apiKey(s.key)...)
	wantStatus(t, "whoami with the key", k, http.StatusOK)
	if got := keysOf(k.body); got != "api_key authenticated method namespace" {
		t.Errorf("whoami (key) fields: %s", got)
	}
	if k.body["authenticated"] != true || k.str("method") != "api_key" || k.str("api_key") != s.key || k.str("namespace") != s.namespace {
		t.Errorf("whoami (key): %s", k.raw)
	}
}

func keysOf(m map[string]any) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, " ")
}

// crossNamespace: b's credentials see nothing of a's namespace.
func crossNamespace(t *testing.T, h *host, a, b session) {
	// a keeps a private value and a table b has no counterpart of.
	wantStatus(t, "a's private put", h.send(http.MethodPost, "/v1/cache/put",
		map[string]any{"dmap": "private", "key": "k", "value": "a's secret"}, bearer(a.access)...), http.StatusOK)
	wantStatus(t, "a's own table", h.send(http.MethodPost, "/v1/rqlite/create-table",
		map[string]any{"schema": "CREATE TABLE secrets (v TEXT)"}, apiKey(a.key)...), http.StatusCreated)

	for name, hdr := range map[string][]string{"b's JWT": bearer(b.access), "b's key": apiKey(b.key)} {
		got := h.send(http.MethodPost, "/v1/cache/get", map[string]any{"dmap": "private", "key": "k"}, hdr...)
		wantStatus(t, name+": get of a's key in the same dmap name", got, http.StatusNotFound)
		scan := h.send(http.MethodPost, "/v1/cache/scan", map[string]any{"dmap": "private"}, hdr...)
		if wantStatus(t, name+": scan", scan, http.StatusOK) && scan.body["count"] != float64(0) {
			t.Errorf("%s: scan of a's dmap name: %s", name, scan.raw)
		}
		q := h.send(http.MethodPost, "/v1/rqlite/query", map[string]any{"sql": "SELECT v FROM secrets"}, hdr...)
		if wantStatus(t, name+": a's table", q, http.StatusBadRequest) && !strings.Contains(q.str("error"), "no such table") {
			t.Errorf("%s: query of a's table: %s", name, q.raw)
		}
		// b's own items table holds b's row only.
		rows := h.send(http.MethodPost, "/v1/rqlite/query", map[string]any{"sql": "SELECT owner FROM items"}, hdr...)
		if items, _ := rows.body["items"].([]any); rows.code != http.StatusOK || len(items) != 1 {
			t.Errorf("%s: own items: %s", name, rows)
		}

		// Naming a's namespace explicitly is forbidden.
		wantStatus(t, name+": challenge in a's namespace", h.send(http.MethodPost, "/v1/auth/challenge",
			map[string]string{"wallet": "0x0000000000000000000000000000000000000001", "namespace": a.namespace}, hdr...), http.StatusForbidden)
		wantStatus(t, name+": ?namespace= a's", h.send(http.MethodPost, "/v1/cache/get?namespace="+a.namespace,
			map[string]any{"dmap": "private", "key": "k"}, hdr...), http.StatusForbidden)
		wantStatus(t, name+": ?namespace=_system", h.send(http.MethodGet, "/v1/auth/whoami?namespace=_system", nil, hdr...), http.StatusForbidden)
		wantStatus(t, name+": refresh naming a's namespace", h.send(http.MethodPost, "/v1/auth/refresh",
			map[string]string{"refresh_token": b.refresh, "namespace": a.namespace}, hdr...), http.StatusForbidden)
	}
	// a still reads its own value.
	got := h.send(http.MethodPost, "/v1/cache/get", map[string]any{"dmap": "private", "key": "k"}, apiKey(a.key)...)
	if !wantStatus(t, "a's own get", got, http.StatusOK) || got.body["value"] != "a's secret" {
		t.Errorf("a's own get: %s", got)
	}
}

// TestAuthPublicAndMissing: public paths need no credential; everything
// else answers 401 with WWW-Authenticate without one; unsigned keys are
// refused by default.
func TestAuthPublicAndMissing(t *testing.T) {
	h := startAuthHost(t, "", "")
	for _, p := range []string{"/health", "/v1/health", "/status", "/v1/status", "/v1/version", "/metrics",
		"/v1/auth/jwks", "/.well-known/jwks.json"} {
		wantStatus(t, "GET "+p, h.send(http.MethodGet, p, nil), http.StatusOK)
	}
	jwks := h.send(http.MethodGet, "/.well-known/jwks.json", nil)
	if keys, _ := jwks.body["keys"].([]any); len(keys) == 0 {
		t.Errorf("JWKS without keys: %s", jwks)
	}
	login := h.send(http.MethodGet, "/v1/auth/login?callback="+url.QueryEscape("http://127.0.0.1:9/callback"), nil)
	if login.code != http.StatusOK || !strings.HasPrefix(login.header.Get("Content-Type"), "text/html") {
		t.Errorf("login page: %d %s", login.code, login.header.Get("Content-Type"))
	}
	// The sign-in routes answer without a credential.
	wantStatus(t, "challenge", h.send(http.MethodPost, "/v1/auth/challenge", map[string]string{"wallet": authtest.NewETHWallet().Address(), "namespace": "pub"}), http.StatusOK)

	for _, c := range []struct{ method, path string }{
		{http.MethodPost, "/v1/cache/get"}, {http.MethodPost, "/v1/rqlite/query"}, {http.MethodGet, "/v1/rqlite/schema"},
		{http.MethodGet, "/v1/auth/whoami"}, {http.MethodPost, "/v1/auth/token"}, {http.MethodGet, "/v1/cache/health"},
	} {
		r := h.send(c.method, c.path, map[string]any{"dmap": "d", "key": "k", "sql": "SELECT 1"})
		if wantStatus(t, c.method+" "+c.path+" without a credential", r, http.StatusUnauthorized) {
			if r.header.Get("WWW-Authenticate") != `Bearer realm="gateway"` || r.str("error") != "missing API key" {
				t.Errorf("%s: WWW-Authenticate %q, error %q", c.path, r.header.Get("WWW-Authenticate"), r.str("error"))
			}
		}
	}
	for name, hdr := range map[string][]string{
		"unknown key":     apiKey("ak_AAAAAAAAAAAAAAAAAAAAAAAA:pub"),
		"garbage bearer":  bearer("not-a-credential"),
		"garbage JWT":     bearer("a.b.c"),
		"basic auth only": {"Authorization", "Basic dXNlcjpwYXNz"},
	} {
		r := h.send(http.MethodPost, "/v1/cache/get", map[string]any{"dmap": "d", "key": "k"}, hdr...)
		wantStatus(t, name, r, http.StatusUnauthorized)
		if r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: no WWW-Authenticate", name)
		}
	}

	simple := h.send(http.MethodPost, "/v1/auth/simple-key", map[string]string{"wallet": authtest.NewETHWallet().Address(), "namespace": "pub"})
	wantStatus(t, "simple-key with the default config", simple, http.StatusForbidden)
}
