package authtest

import (
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// checkNewKey checks a key as creation returns it.
func checkNewKey(t *testing.T, k auth.APIKey, ns, wallet, plan string) {
	t.Helper()
	secret, keyNS, err := auth.ParseAPIKey(k.Key)
	if err != nil || keyNS != ns || !strings.HasPrefix(secret, auth.APIKeyPrefix) {
		t.Errorf("new key %q: want ak_<base64url 18 bytes>:%s (%v)", k.Key, ns, err)
	}
	if k.ID == "" || strings.Contains(k.Key, k.ID) || strings.Contains(k.ID, secret) {
		t.Errorf("key id %q: want a public id that is not part of the secret", k.ID)
	}
	if k.Namespace != ns || !strings.EqualFold(k.Wallet, wallet) || k.Plan != plan || k.Revoked || k.Created.IsZero() {
		t.Errorf("new key %+v, want namespace %s, wallet %q, plan %q, created, not revoked", k, ns, wallet, plan)
	}
}

// wantValid fails unless key validates to ns (and wallet, unless "").
func wantValid(t *testing.T, e Env, key, id, ns, wallet string) {
	t.Helper()
	p, err := e.Auth.ValidateAPIKey(t.Context(), key)
	if err != nil {
		t.Errorf("ValidateAPIKey: %v", err)
		return
	}
	if p.Method != auth.MethodAPIKey || p.Namespace != ns || p.KeyID != id || (wallet != "" && !strings.EqualFold(p.Subject, wallet)) {
		t.Errorf("principal %+v, want api_key, namespace %s, key id %s, subject %q", p, ns, id, wallet)
	}
}

// listed returns the keys ListKeys shows for ns by id, checking that
// none carries a secret.
func listed(t *testing.T, e Env, ns string, secrets ...string) map[string]auth.APIKey {
	t.Helper()
	keys, err := e.Auth.ListKeys(t.Context(), ns)
	if err != nil {
		t.Fatalf("ListKeys(%s): %v", ns, err)
	}
	out := make(map[string]auth.APIKey, len(keys))
	for _, k := range keys {
		if k.Key != "" {
			t.Errorf("ListKeys shows the secret of %s", k.ID)
		}
		for _, s := range secrets {
			sec, _, _ := strings.Cut(s, ":")
			for _, f := range []string{k.ID, k.Name, k.Plan, k.Wallet, k.Namespace} {
				if strings.Contains(f, sec[len(auth.APIKeyPrefix):]) {
					t.Errorf("ListKeys leaks a secret in key %s", k.ID)
				}
			}
		}
		if k.Namespace != ns {
			t.Errorf("ListKeys(%s) shows key %s of namespace %s", ns, k.ID, k.Namespace)
		}
		out[k.ID] = k
	}
	return out
}

func testCreateAPIKey(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("apikey")
	k, err := e.Auth.CreateAPIKey(t.Context(), w.Proof(challenge(t, e, w.Address(), ns)), "pro")
	if err != nil {
		t.Fatal(err)
	}
	checkNewKey(t, k, ns, w.Address(), "pro")
	wantValid(t, e, k.Key, k.ID, ns, w.Address())
	got, ok := listed(t, e, ns, k.Key)[k.ID]
	if !ok || got.Plan != "pro" || got.Revoked || !strings.EqualFold(got.Wallet, w.Address()) {
		t.Errorf("ListKeys entry %+v (found %v), want plan pro, not revoked, wallet %s", got, ok, w.Address())
	}
	// Another namespace lists none of it.
	if other := listed(t, e, plugintest.Unique("apikey-other")); len(other) != 0 {
		t.Errorf("ListKeys of an unused namespace: %d keys", len(other))
	}
}

func testOperatorKeys(t *testing.T, e Env) {
	ns := plugintest.Unique("operator")
	k, err := e.Auth.CreateKey(t.Context(), ns, "ci", "free")
	if err != nil {
		t.Fatal(err)
	}
	checkNewKey(t, k, ns, "", "free")
	if k.Name != "ci" {
		t.Errorf("name %q, want ci", k.Name)
	}
	wantValid(t, e, k.Key, k.ID, ns, "")
	k2, err := e.Auth.CreateKey(t.Context(), ns, "deploy", "pro")
	if err != nil {
		t.Fatal(err)
	}
	if k2.Key == k.Key || k2.ID == k.ID {
		t.Error("two keys share a secret or an id")
	}
	all := listed(t, e, ns, k.Key, k2.Key)
	if len(all) != 2 || all[k.ID].Name != "ci" || all[k2.ID].Name != "deploy" {
		t.Errorf("ListKeys = %+v, want the two keys", all)
	}
	_, err = e.Auth.CreateKey(t.Context(), "_system", "x", "free")
	plugintest.WantCode(t, err, "key in the system namespace", sdk.CodeInvalid, sdk.CodeForbidden)
	_, err = e.Auth.CreateKey(t.Context(), "", "x", "free")
	plugintest.WantCode(t, err, "key without namespace", sdk.CodeInvalid)
}

func testRevokeKey(t *testing.T, e Env) {
	ns := plugintest.Unique("revoke")
	k, err := e.Auth.CreateKey(t.Context(), ns, "temp", "free")
	if err != nil {
		t.Fatal(err)
	}
	keep, err := e.Auth.CreateKey(t.Context(), ns, "keep", "free")
	if err != nil {
		t.Fatal(err)
	}
	err = e.Auth.RevokeKey(t.Context(), plugintest.Unique("revoke-other"), k.ID)
	plugintest.WantCode(t, err, "revoke through another namespace", sdk.CodeNotFound)
	wantValid(t, e, k.Key, k.ID, ns, "")

	if err := e.Auth.RevokeKey(t.Context(), ns, k.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.Auth.ValidateAPIKey(t.Context(), k.Key)
	plugintest.WantCode(t, err, "revoked key", sdk.CodeUnauthorized)
	_, err = e.Auth.TokenForKey(t.Context(), k.Key)
	plugintest.WantCode(t, err, "token for a revoked key", sdk.CodeUnauthorized)
	if got := listed(t, e, ns)[k.ID]; !got.Revoked {
		t.Errorf("ListKeys after revoke: %+v, want Revoked", got)
	}
	wantValid(t, e, keep.Key, keep.ID, ns, "")

	err = e.Auth.RevokeKey(t.Context(), ns, "no-such-key")
	plugintest.WantCode(t, err, "revoke an unknown id", sdk.CodeNotFound)
}

func testBadAPIKeys(t *testing.T, e Env) {
	ns := plugintest.Unique("badkey")
	k, err := e.Auth.CreateKey(t.Context(), ns, "x", "free")
	if err != nil {
		t.Fatal(err)
	}
	secret, _, _ := strings.Cut(k.Key, ":")
	// One character of the secret changed (keeping it base64url).
	last := secret[len(secret)-2]
	swap := byte('A')
	if last == 'A' {
		swap = 'B'
	}
	changed := secret[:len(secret)-2] + string(swap) + secret[len(secret)-1:]
	for name, key := range map[string]string{
		"empty":                  "",
		"garbage":                "not-a-key",
		"short secret":           "ak_abc:" + ns,
		"no namespace":           secret,
		"empty namespace":        secret + ":",
		"other namespace":        secret + ":" + plugintest.Unique("badkey-other"),
		"changed secret":         changed + ":" + ns,
		"upper-cased secret":     strings.ToUpper(secret) + ":" + ns,
		"namespace with a colon": k.Key + ":x",
	} {
		_, err := e.Auth.ValidateAPIKey(t.Context(), key)
		plugintest.WantCode(t, err, name, sdk.CodeUnauthorized)
	}
}

func testTokenForKey(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("token")
	k, err := e.Auth.CreateAPIKey(t.Context(), w.Proof(challenge(t, e, w.Address(), ns)), "free")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := e.Auth.TokenForKey(t.Context(), k.Key)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Namespace != ns || tok.ExpiresIn <= 0 {
		t.Errorf("token %+v, want namespace %s and a lifetime", tok, ns)
	}
	checkAccessToken(t, e, tok.AccessToken, w.Address(), ns)

	op, err := e.Auth.CreateKey(t.Context(), ns, "op", "free")
	if err != nil {
		t.Fatal(err)
	}
	tok, err = e.Auth.TokenForKey(t.Context(), op.Key)
	if err != nil {
		t.Fatal(err)
	}
	checkAccessToken(t, e, tok.AccessToken, "", ns)
	_, err = e.Auth.TokenForKey(t.Context(), "ak_nope:"+ns)
	plugintest.WantCode(t, err, "token for a bad key", sdk.CodeUnauthorized)
}
