package e2e

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth/wallets"
	"github.com/orama-network/orama/sdk/client"
)

// The Go client's storage, auth and network parts against the real host
// and plugins (cache, SQLite database, embedded storage, auth).

func wantCode(t *testing.T, what string, err error, code sdk.Code) {
	t.Helper()
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("%s: error %v, want %s", what, err, code)
	}
}

func TestClientAuthStorageNetwork(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte{0xff, 'o', 'k'}) }))
	t.Cleanup(target.Close)
	proxy := fmt.Sprintf("  proxy {\n    allow = [%q]\n  }\n", strings.TrimPrefix(target.URL, "http://"))
	h := startHost(t, func(port int) string {
		return authConfig(port, "e2e", proxy, cacheBlock(bins.cache, "")+sqliteBlock()+storageBlock("")+authBlock(""))
	})
	ctx := ctxT(t)
	anon := client.New(h.URL)

	// auth: sign in with a Solana wallet, then an Ethereum one for an API key
	sol := wallets.NewSOL()
	s, err := anon.Auth().SignIn(ctx, sol, "clientns")
	if err != nil {
		t.Fatal(err)
	}
	if s.Subject != sol.Address() || s.Namespace != "clientns" || s.AccessToken == "" || s.RefreshToken == "" || s.APIKey == "" {
		t.Fatalf("session %+v", s)
	}
	c := anon.With(client.WithJWT(s.AccessToken))
	id, err := c.Auth().Whoami(ctx)
	if err != nil || id.Method != "jwt" || id.Subject != sol.Address() || id.Namespace != "clientns" {
		t.Fatalf("whoami %+v %v", id, err)
	}
	s2, err := anon.Auth().Refresh(ctx, s.RefreshToken, "clientns")
	if err != nil || s2.AccessToken == "" || s2.Subject != sol.Address() {
		t.Fatalf("refresh %+v %v", s2, err)
	}
	eth := wallets.NewETH()
	k, err := anon.Auth().CreateAPIKey(ctx, eth, "ethns", "free")
	if err != nil || !strings.HasSuffix(k.APIKey, ":ethns") {
		t.Fatalf("api key %+v %v", k, err)
	}
	tok, err := anon.With(client.WithAPIKey(k.APIKey)).Auth().Token(ctx)
	if err != nil || tok.AccessToken == "" || tok.Namespace != "ethns" {
		t.Fatalf("token %+v %v", tok, err)
	}
	if err := c.Auth().Logout(ctx, s2.RefreshToken, "clientns", false); err != nil {
		t.Fatal(err)
	}
	_, err = anon.Auth().Refresh(ctx, s2.RefreshToken, "clientns")
	wantCode(t, "refresh after logout", err, sdk.CodeUnauthorized)
	_, err = anon.Auth().Whoami(ctx)
	wantCode(t, "whoami without a credential", err, sdk.CodeUnauthorized)

	// storage: a streamed upload, a whole and a ranged download, status, unpin
	data := make([]byte, 3<<20+17)
	_, _ = rand.Read(data)
	up, err := c.Storage().Upload(ctx, "blob.bin", bytes.NewReader(data))
	if err != nil || up.Size != int64(len(data)) || up.Name != "blob.bin" || up.CID == "" {
		t.Fatalf("upload %+v %v", up, err)
	}
	d, err := c.Storage().Get(ctx, up.CID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(d)
	d.Close()
	if err != nil || sha256.Sum256(got) != sha256.Sum256(data) || d.Size != int64(len(data)) {
		t.Fatalf("download: %d bytes (size %d), %v", len(got), d.Size, err)
	}
	d, err = c.Storage().GetRange(ctx, up.CID, 1<<20, 10)
	if err != nil {
		t.Fatal(err)
	}
	got, _ = io.ReadAll(d)
	d.Close()
	if !bytes.Equal(got, data[1<<20:1<<20+10]) {
		t.Fatalf("range: %x", got)
	}
	st, err := c.Storage().Status(ctx, up.CID)
	if err != nil || st.CID != up.CID || st.Status == "" {
		t.Fatalf("status %+v %v", st, err)
	}
	// another namespace's credential sees nothing of it
	_, err = anon.With(client.WithAPIKey(k.APIKey)).Storage().Status(ctx, up.CID)
	wantCode(t, "status from another namespace", err, sdk.CodeNotFound)
	if err := c.Storage().Unpin(ctx, up.CID); err != nil {
		t.Fatal(err)
	}
	_, err = c.Storage().Get(ctx, "not-a-cid")
	wantCode(t, "malformed cid", err, sdk.CodeInvalid)

	// network: the proxy, binary body decoded
	pr, err := c.Network().ProxyAnon(ctx, client.ProxyRequest{URL: target.URL})
	if err != nil || pr.StatusCode != 200 || !bytes.Equal(pr.Body, []byte{0xff, 'o', 'k'}) {
		t.Fatalf("proxy %+v %v", pr, err)
	}
	_, err = c.Network().ProxyAnon(ctx, client.ProxyRequest{URL: "http://127.0.0.1:1/"})
	wantCode(t, "proxy to loopback", err, sdk.CodeForbidden)
}
