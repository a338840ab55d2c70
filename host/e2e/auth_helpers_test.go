package e2e

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/auth"
)

// testKeySecret is the auth plugin's key_secret in these tests; hosts that
// share a database share it too.
const testKeySecret = "e2e-key-secret-0123456789abcdef-0123456789"

// authBlock is a plugin block for the real auth plugin with the test
// key_secret; extra lines go inside its config block.
func authBlock(extra string) string {
	return pluginBlock("auth", bins.auth, fmt.Sprintf("    key_secret = %q\n%s", testKeySecret, extra))
}

// sqliteBlock is the database plugin on its embedded SQLite driver.
func sqliteBlock() string { return databaseBlock(`    driver = "sqlite"`) }

// authConfig is a config.hcl with authentication required: serverExtra
// goes inside the server block; plugins are the plugin blocks.
func authConfig(port int, id, serverExtra, plugins string) string {
	return serverConfig(port, id, "10s", "  auth             = \"required\"\n"+serverExtra, plugins)
}

// startAuthHost starts a host with the cache, SQLite database and auth
// plugins; authExtra goes in the auth plugin's config block.
func startAuthHost(t *testing.T, serverExtra, authExtra string) *host {
	t.Helper()
	return startHost(t, func(port int) string {
		return authConfig(port, "e2e", serverExtra, cacheBlock(bins.cache, "")+sqliteBlock()+authBlock(authExtra))
	})
}

// reply is one HTTP answer.
type reply struct {
	code   int
	header http.Header
	raw    []byte
	body   map[string]any // nil unless a JSON object
}

func (r reply) str(field string) string {
	s, _ := r.body[field].(string)
	return s
}

func (r reply) String() string { return fmt.Sprintf("%d %s", r.code, bytes.TrimSpace(r.raw)) }

// send makes one request; body is JSON-encoded unless nil; hdr are
// header name, value pairs.
func (h *host) send(method, path string, body any, hdr ...string) reply {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
		hdr = append([]string{"Content-Type", "application/json"}, hdr...)
	}
	resp, raw := h.request(method, path, rd, hdr...)
	out := reply{code: resp.StatusCode, header: resp.Header, raw: raw}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

// Credentials as headers for send.
func bearer(token string) []string { return []string{"Authorization", "Bearer " + token} }
func apiKey(key string) []string   { return []string{"X-API-Key", key} }

// wallet is what authtest's ETH and SOL wallets have in common.
type wallet interface {
	Address() string
	Proof(auth.Challenge) auth.Proof
}

// challenge asks for a nonce for address in namespace.
func (h *host) challenge(address, namespace string) auth.Challenge {
	h.t.Helper()
	r := h.send(http.MethodPost, "/v1/auth/challenge", map[string]string{"wallet": address, "purpose": "e2e", "namespace": namespace})
	if r.code != http.StatusOK || r.str("nonce") == "" {
		h.t.Fatalf("challenge for %s in %s: %s", address, namespace, r)
	}
	return auth.Challenge{Wallet: r.str("wallet"), Namespace: r.str("namespace"), Nonce: r.str("nonce"), Purpose: r.str("purpose")}
}

// proofBody is a signed challenge as a client posts it.
func proofBody(p auth.Proof) map[string]string {
	return map[string]string{"wallet": p.Wallet, "nonce": p.Nonce, "signature": p.Signature,
		"namespace": p.Namespace, "chain_type": p.ChainType}
}

// session is what a sign-in returned.
type session struct {
	access, refresh, key, subject, namespace string
}

// signIn runs challenge → sign → verify for w in namespace.
func (h *host) signIn(w wallet, namespace string) session {
	h.t.Helper()
	p := w.Proof(h.challenge(w.Address(), namespace))
	r := h.send(http.MethodPost, "/v1/auth/verify", proofBody(p))
	if r.code != http.StatusOK {
		h.t.Fatalf("verify for %s in %s: %s", w.Address(), namespace, r)
	}
	return session{access: r.str("access_token"), refresh: r.str("refresh_token"), key: r.str("api_key"),
		subject: r.str("subject"), namespace: r.str("namespace")}
}

// wantStatus checks r's status; for an error also that it has a message.
func wantStatus(t *testing.T, what string, r reply, codes ...int) bool {
	t.Helper()
	for _, c := range codes {
		if r.code == c {
			if c >= 400 && r.str("error") == "" {
				t.Errorf("%s: %d without an error message: %s", what, r.code, r.raw)
				return false
			}
			return true
		}
	}
	t.Errorf("%s: got %s, want %v", what, r, codes)
	return false
}

// --- hand-made JWTs -----------------------------------------------------------

func b64(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// jwtParts decodes a token's header and claims.
func jwtParts(t *testing.T, token string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("%q is not a JWS compact token", token)
	}
	for i, dst := range []*map[string]any{&header, &claims} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil || json.Unmarshal(raw, dst) != nil {
			t.Fatalf("token part %d does not decode: %v", i, err)
		}
	}
	return header, claims
}

// forgeEdDSA signs claims with a fresh ed25519 key of our own under kid:
// a well-formed token that no key of the gateway signed.
func forgeEdDSA(kid string, claims map[string]any) string {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	signing := b64(map[string]any{"alg": "EdDSA", "typ": "JWT", "kid": kid}) + "." + b64(claims)
	return signing + "." + base64.RawURLEncoding.EncodeToString(ed25519.Sign(priv, []byte(signing)))
}

// liveClaims are claims that would be valid now for namespace.
func liveClaims(subject, namespace string) map[string]any {
	now := time.Now().Unix()
	return map[string]any{"iss": "orama", "aud": "orama-gateway", "sub": subject, "namespace": namespace,
		"iat": now, "nbf": now, "exp": now + 600}
}

// --- the orama command ----------------------------------------------------------

// orama runs the orama binary with args (and env added) and returns its
// exit code and output.
func orama(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bins.orama, args...)
	cmd.Env = append(cmd.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("orama %v: %v", args, err)
	}
	return code, out.String(), errb.String()
}
