package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/authtest"
)

// Attacks of issue 8 on authentication, mounted over HTTP against the
// real binaries: namespace takeover (defect 1), a token that outlives
// its revoked key (7), the challenge flood (8 and the per-IP limit of 3)
// and credential precedence with both headers (10).

// tryVerify runs challenge → sign → verify for w in namespace and
// returns verify's reply (signIn fails the test on anything but 200).
func (h *host) tryVerify(w wallet, namespace string) reply {
	h.t.Helper()
	return h.send(http.MethodPost, "/v1/auth/verify", proofBody(w.Proof(h.challenge(w.Address(), namespace))))
}

// wantLockedOut checks that every sign-in route refuses w in namespace
// with 403.
func wantLockedOut(t *testing.T, h *host, w wallet, namespace, why string) {
	t.Helper()
	wantStatus(t, why+": verify", h.tryVerify(w, namespace), http.StatusForbidden)
	body := proofBody(w.Proof(h.challenge(w.Address(), namespace)))
	body["plan"] = "free"
	wantStatus(t, why+": api-key", h.send(http.MethodPost, "/v1/auth/api-key", body), http.StatusForbidden)
	body = proofBody(w.Proof(h.challenge(w.Address(), namespace)))
	body["name"] = "app-" + w.Address()[2:10]
	wantStatus(t, why+": register", h.send(http.MethodPost, "/v1/auth/register", body), http.StatusForbidden)
	r := h.send(http.MethodPost, "/v1/auth/simple-key", map[string]string{"wallet": w.Address(), "namespace": namespace})
	wantStatus(t, why+": simple-key", r, http.StatusForbidden)
}

// cliCreateKey runs orama keys create -json for namespace.
func cliCreateKey(t *testing.T, h *host, namespace string) cliKey {
	t.Helper()
	code, out, errs := orama(t, nil, "keys", "create", "-config", h.config, "-namespace", namespace, "-json")
	var k cliKey
	if code != 0 || json.Unmarshal([]byte(out), &k) != nil || k.Key == "" {
		t.Fatalf("orama keys create -namespace %s: exit %d\n%s\n%s", namespace, code, out, errs)
	}
	return k
}

// TestSecurityNamespaceTakeover (defect 1): a namespace an operator made
// with `orama keys create` cannot be taken by a stranger's wallet through
// any sign-in route; wallets get in only when an operator (orama
// namespace add-wallet) or an owner (POST /v1/auth/namespace/members)
// adds them, and a removed member is out again. Reserved names are
// refused in any case.
func TestSecurityNamespaceTakeover(t *testing.T) {
	h := startAuthHost(t, `  key_cache_ttl = "1s"`, `    allow_simple_keys = true`)
	op := cliCreateKey(t, h, "victim")
	put := h.send(http.MethodPost, "/v1/cache/put", map[string]any{"dmap": "secrets", "key": "k", "value": "crown-jewels"}, apiKey(op.Key)...)
	wantStatus(t, "operator writes", put, http.StatusOK)

	stranger, invited := authtest.NewETHWallet(), authtest.NewETHWallet()
	wantLockedOut(t, h, stranger, "victim", "a stranger in the operator's namespace")

	// The operator lets one wallet in.
	code, out, errs := orama(t, nil, "namespace", "add-wallet", "-config", h.config, "-namespace", "victim", "-wallet", invited.Address())
	if code != 0 {
		t.Fatalf("orama namespace add-wallet: exit %d\n%s\n%s", code, out, errs)
	}
	s := h.signIn(invited, "victim")
	got := h.send(http.MethodPost, "/v1/cache/get", map[string]any{"dmap": "secrets", "key": "k"}, apiKey(s.key)...)
	if got.code != http.StatusOK || got.body["value"] != "crown-jewels" {
		t.Errorf("the invited wallet reads the namespace: %s", got)
	}
	wantLockedOut(t, h, stranger, "victim", "the stranger after another wallet was added")
	code, out, _ = orama(t, nil, "namespace", "list", "-config", h.config, "-namespace", "victim")
	if code != 0 || !strings.Contains(out, "operator") || !strings.Contains(strings.ToLower(out), strings.ToLower(invited.Address())) {
		t.Errorf("orama namespace list: exit %d\n%s", code, out)
	}

	// A wallet's namespace: the owner manages members over HTTP.
	owner, friend, other := authtest.NewETHWallet(), authtest.NewETHWallet(), authtest.NewETHWallet()
	ownerS := h.signIn(owner, "team")
	wantStatus(t, "a second wallet before it is added", h.tryVerify(friend, "team"), http.StatusForbidden)
	add := h.send(http.MethodPost, "/v1/auth/namespace/members", map[string]string{"wallet": friend.Address()}, bearer(ownerS.access)...)
	if !wantStatus(t, "owner adds a member with its JWT", add, http.StatusOK) || add.str("role") != "member" || add.str("namespace") != "team" {
		t.Fatalf("add member: %s", add)
	}
	fs := h.signIn(friend, "team")
	wantStatus(t, "a member adds a wallet", h.send(http.MethodPost, "/v1/auth/namespace/members",
		map[string]string{"wallet": other.Address()}, bearer(fs.access)...), http.StatusForbidden)
	wantStatus(t, "a member lists members", h.send(http.MethodGet, "/v1/auth/namespace/members", nil, apiKey(fs.key)...), http.StatusForbidden)
	wantStatus(t, "an operator key of the victim namespace lists team", h.send(http.MethodGet, "/v1/auth/namespace/members", nil, apiKey(op.Key)...), http.StatusForbidden)
	list := h.send(http.MethodGet, "/v1/auth/namespace/members", nil, apiKey(ownerS.key)...)
	if !wantStatus(t, "owner lists with its API key", list, http.StatusOK) || !strings.EqualFold(list.str("owner"), owner.Address()) || list.body["count"] != float64(1) {
		t.Errorf("members: %s", list)
	}
	del := h.send(http.MethodDelete, "/v1/auth/namespace/members/"+friend.Address(), nil, bearer(ownerS.access)...)
	wantStatus(t, "owner removes the member", del, http.StatusOK)
	waitFor(t, 15*time.Second, "the removed member's key refused", func() bool {
		return h.send(http.MethodGet, "/v1/auth/whoami", nil, apiKey(fs.key)...).code == http.StatusUnauthorized
	})
	wantStatus(t, "the removed member signs in again", h.tryVerify(friend, "team"), http.StatusForbidden)
	h.signIn(owner, "team") // the owner keeps its namespace

	for _, ns := range []string{"_SYSTEM", "_System", "_private"} {
		r := h.send(http.MethodPost, "/v1/auth/challenge", map[string]string{"wallet": stranger.Address(), "namespace": ns})
		wantStatus(t, "challenge in reserved "+ns, r, http.StatusForbidden)
	}
	if code, _, errs := orama(t, nil, "keys", "create", "-config", h.config, "-namespace", "_SYSTEM"); code == 0 {
		t.Errorf("orama keys create -namespace _SYSTEM succeeded (%s)", errs)
	}
}

// TestSecurityRevokedKeyToken (defect 7): a JWT minted from an API key
// (POST /v1/auth/token) stops working within key_cache_ttl of the key's
// revocation, like the key itself, instead of living until it expires.
func TestSecurityRevokedKeyToken(t *testing.T) {
	h := startAuthHost(t, `  key_cache_ttl = "1s"`, "")
	k := cliCreateKey(t, h, "ops")
	tok := h.send(http.MethodPost, "/v1/auth/token", nil, apiKey(k.Key)...)
	if !wantStatus(t, "token for the key", tok, http.StatusOK) {
		t.FailNow()
	}
	jwt := tok.str("access_token")
	if _, claims := jwtParts(t, jwt); claims["api_key_id"] != k.ID {
		t.Errorf("token claims %v, want api_key_id %s", claims, k.ID)
	}
	who := h.send(http.MethodGet, "/v1/auth/whoami", nil, bearer(jwt)...)
	if who.code != http.StatusOK || who.str("method") != "jwt" {
		t.Fatalf("whoami with the token: %s", who)
	}
	if code, out, errs := orama(t, nil, "keys", "revoke", "-config", h.config, "-namespace", "ops", "-id", k.ID); code != 0 {
		t.Fatalf("orama keys revoke: exit %d\n%s\n%s", code, out, errs)
	}
	// key_cache_ttl is 1 s; 20 s bounds the poll (the token itself lives 15 min).
	waitFor(t, 20*time.Second, "the token of the revoked key refused", func() bool {
		return h.send(http.MethodGet, "/v1/auth/whoami", nil, bearer(jwt)...).code == http.StatusUnauthorized
	})
	r := h.send(http.MethodPost, "/v1/cache/put", map[string]any{"dmap": "d", "key": "k", "value": 1}, bearer(jwt)...)
	wantStatus(t, "cache put with the revoked key's token", r, http.StatusUnauthorized)
	r = h.send(http.MethodPost, "/v1/auth/token", nil, apiKey(k.Key)...)
	wantStatus(t, "a new token for the revoked key", r, http.StatusUnauthorized)
}

// TestSecurityChallengeFlood (defects 8 and 3): challenges from one
// address are rate limited by default; with the rate limit off, the
// outstanding challenges of one wallet and of one address are still
// bounded (10 and 100 by default), a used one frees its place, and the
// refusals are 429 rate_limited.
func TestSecurityChallengeFlood(t *testing.T) {
	t.Run("rate limited by default", func(t *testing.T) {
		h := startAuthHost(t, "", "")
		var ok, limited int
		for i := 0; i < 400 && limited == 0; i++ {
			r := h.send(http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": "junk", "namespace": "ns"})
			switch r.code {
			case http.StatusTooManyRequests:
				limited++
				if r.header.Get("Retry-After") == "" || r.str("code") != "rate_limited" {
					t.Errorf("429 without Retry-After or code rate_limited: %v %s", r.header, r)
				}
			case http.StatusUnauthorized:
				ok++
			default:
				t.Fatalf("refresh with a junk token: %s", r)
			}
		}
		if limited == 0 {
			t.Fatalf("400 requests to a public auth route from one address: none refused; want the default per-IP limit")
		}
		t.Logf("%d requests passed before the first 429", ok)
	})

	t.Run("outstanding challenges bounded", func(t *testing.T) {
		h := startAuthHost(t, `  rate_limit "auth" {
    requests_per_second    = 0
    ip_requests_per_second = 0
  }`, "")
		challenge := func(address string) reply {
			return h.send(http.MethodPost, "/v1/auth/challenge", map[string]string{"wallet": address, "namespace": "flood"})
		}
		w := authtest.NewETHWallet()
		var first reply
		for i := 0; i < 10; i++ {
			r := challenge(w.Address())
			if !wantStatus(t, "challenge within the wallet's bound", r, http.StatusOK) {
				t.FailNow()
			}
			if i == 0 {
				first = r
			}
		}
		r := challenge(w.Address())
		if wantStatus(t, "the wallet's 11th outstanding challenge", r, http.StatusTooManyRequests) && r.str("code") != "rate_limited" {
			t.Errorf("code %q, want rate_limited", r.str("code"))
		}
		// Using one frees its place.
		p := w.Proof(authChallengeOf(first))
		wantStatus(t, "verify an issued challenge", h.send(http.MethodPost, "/v1/auth/verify", proofBody(p)), http.StatusOK)
		wantStatus(t, "a challenge after one was used", challenge(w.Address()), http.StatusOK)

		// 10 outstanding from this address so far; 90 more with fresh
		// wallets reach the address's bound of 100.
		issued := 0
		for i := 0; i < 150; i++ {
			r := challenge(authtest.NewETHWallet().Address())
			if r.code == http.StatusTooManyRequests {
				if r.str("code") != "rate_limited" {
					t.Errorf("refusal %s, want code rate_limited", r)
				}
				break
			}
			if !wantStatus(t, "challenge from the address", r, http.StatusOK) {
				t.FailNow()
			}
			issued++
		}
		if issued != 90 {
			t.Errorf("%d challenges with fresh wallets before the first refusal, want 90 (the address's bound of 100 outstanding)", issued)
		}
	})
}

// authChallengeOf turns a challenge reply into what a wallet signs.
func authChallengeOf(r reply) auth.Challenge {
	return auth.Challenge{Wallet: r.str("wallet"), Namespace: r.str("namespace"), Nonce: r.str("nonce"), Purpose: r.str("purpose")}
}

// TestSecurityBothCredentials (defect 10): after a wallet sign-in the
// established clients send X-API-Key and Authorization: Bearer <jwt> on
// every request; the JWT is then the identity, so whoami says jwt and
// logout {all:true} revokes the wallet's refresh tokens.
func TestSecurityBothCredentials(t *testing.T) {
	h := startAuthHost(t, "", "")
	w := authtest.NewETHWallet()
	s := h.signIn(w, "both")
	both := append(apiKey(s.key), bearer(s.access)...)
	who := h.send(http.MethodGet, "/v1/auth/whoami", nil, both...)
	if who.code != http.StatusOK || who.str("method") != "jwt" || !strings.EqualFold(who.str("subject"), w.Address()) {
		t.Errorf("whoami with both headers: %s, want method jwt for the wallet", who)
	}
	wantStatus(t, "cache put with both headers", h.send(http.MethodPost, "/v1/cache/put",
		map[string]any{"dmap": "d", "key": "k", "value": 1}, both...), http.StatusOK)
	tok := h.send(http.MethodPost, "/v1/auth/token", nil, both...)
	wantStatus(t, "token with both headers (for the key)", tok, http.StatusOK)
	out := h.send(http.MethodPost, "/v1/auth/logout", map[string]any{"all": true}, both...)
	wantStatus(t, "logout all with both headers", out, http.StatusOK)
	r := h.send(http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": s.refresh, "namespace": "both"})
	wantStatus(t, "refresh after logout all", r, http.StatusUnauthorized)
	// A Bearer that does not verify leaves the key as the identity.
	who = h.send(http.MethodGet, "/v1/auth/whoami", nil, append(apiKey(s.key), bearer("not.a.jwt")...)...)
	if who.code != http.StatusOK || who.str("method") != "api_key" {
		t.Errorf("whoami with the key and a bad Bearer: %s, want api_key", who)
	}
}

// TestSecurityMembersAcrossNodes (defect 1, cluster): two gateways on one
// rqlited. Ownership and membership are cluster-wide: an operator-made
// namespace refuses a stranger on either node, a member added through
// one node signs in through the other, and its removal through the
// other node locks it out of the first; a token of a key revoked through
// one node dies on the other within key_cache_ttl (defect 7).
func TestSecurityMembersAcrossNodes(t *testing.T) {
	n := startRqliteSingle(t)
	mk := func(id string) func(port int) string {
		return func(port int) string {
			return authConfig(port, id, `  key_cache_ttl = "1s"`, rqliteBlock(n)+authBlock(""))
		}
	}
	h1 := startHost(t, mk("node-a"))
	h2 := startHost(t, mk("node-b"))

	op := cliCreateKey(t, h1, "opns")
	stranger := authtest.NewETHWallet()
	wantStatus(t, "a stranger in an operator's namespace, other node", h2.tryVerify(stranger, "opns"), http.StatusForbidden)

	owner, friend := authtest.NewETHWallet(), authtest.NewETHWallet()
	ownerS := h1.signIn(owner, "crew")
	wantStatus(t, "a second wallet on the other node", h2.tryVerify(friend, "crew"), http.StatusForbidden)
	wantStatus(t, "owner adds through node 1", h1.send(http.MethodPost, "/v1/auth/namespace/members",
		map[string]string{"wallet": friend.Address()}, bearer(ownerS.access)...), http.StatusOK)
	fs := h2.signIn(friend, "crew")
	wantStatus(t, "owner removes through node 2", h2.send(http.MethodDelete, "/v1/auth/namespace/members/"+friend.Address(),
		nil, apiKey(ownerS.key)...), http.StatusOK)
	waitFor(t, 15*time.Second, "the removed member's key refused on node 1", func() bool {
		return h1.send(http.MethodGet, "/v1/auth/whoami", nil, apiKey(fs.key)...).code == http.StatusUnauthorized
	})
	wantStatus(t, "the removed member signs in on node 1", h1.tryVerify(friend, "crew"), http.StatusForbidden)

	tok := h1.send(http.MethodPost, "/v1/auth/token", nil, apiKey(op.Key)...)
	if !wantStatus(t, "token on node 1", tok, http.StatusOK) {
		t.FailNow()
	}
	wantStatus(t, "the token on node 2", h2.send(http.MethodGet, "/v1/auth/whoami", nil, bearer(tok.str("access_token"))...), http.StatusOK)
	if code, out, errs := orama(t, nil, "keys", "revoke", "-config", h1.config, "-namespace", "opns", "-id", op.ID); code != 0 {
		t.Fatalf("orama keys revoke: exit %d\n%s\n%s", code, out, errs)
	}
	waitFor(t, 20*time.Second, "the revoked key's token refused on node 2", func() bool {
		return h2.send(http.MethodGet, "/v1/auth/whoami", nil, bearer(tok.str("access_token"))...).code == http.StatusUnauthorized
	})
}
