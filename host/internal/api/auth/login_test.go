package auth_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/server/servertest"
	"github.com/orama-network/orama/sdk"
)

func loginPath(callback string, extra ...string) string {
	q := url.Values{"callback": {callback}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return "/v1/auth/login?" + q.Encode()
}

func TestLoginCallbackValidation(t *testing.T) {
	e := servertest.NewAuth(t, nil)
	for _, ok := range []string{
		"https://app.example/cb", "https://app.example:8443/cb?state=1", "http://127.0.0.1:8765/callback",
		"http://localhost:3000/", "http://LOCALHOST/x", "http://[::1]:9000/cb", "HTTPS://App.Example/",
	} {
		if rec := e.Do(t, "GET", loginPath(ok), ""); rec.Code != 200 {
			t.Errorf("%q refused: %d %s", ok, rec.Code, rec.Body)
		}
	}
	for _, bad := range []string{
		"", "http://app.example/cb", "http://127.0.0.1.evil.example/", "http://localhost.evil.example/",
		"javascript:alert(1)", "data:text/html,hi", "//app.example/cb", "/relative", "ftp://app.example/",
		"https://user:pass@app.example/", "https:opaque", "http://10.0.0.1/", "https://app.example/" + strings.Repeat("a", 2100),
	} {
		apitest.WantError(t, e.Do(t, "GET", loginPath(bad), ""), 400, sdk.CodeInvalid, "callback")
	}
	apitest.WantError(t, e.Do(t, "GET", "/v1/auth/login", ""), 400, sdk.CodeInvalid, "callback is required")
	apitest.WantError(t, e.Do(t, "GET", loginPath("https://app.example/", "namespace", "_system"), ""), 403, sdk.CodeForbidden, "reserved")
	apitest.WantError(t, e.Do(t, "GET", loginPath("https://app.example/", "namespace", "a b"), ""), 400, sdk.CodeInvalid, "namespace")
}

func TestLoginPage(t *testing.T) {
	e := servertest.NewAuth(t, nil)
	cb := `https://app.example/cb?x="></code><script>alert(1)</script>&y='+alert(2)+'`
	rec := e.Do(t, "GET", loginPath(cb, "namespace", "team-1", "plan", `</script><b>pro</b>`), "")
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	page := rec.Body.String()
	h := rec.Header()
	if ct := h.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if h.Get("Cache-Control") != "no-store" || h.Get("X-Frame-Options") != "DENY" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers %v", h)
	}
	// Self-contained: no external script, style or resource.
	for _, bad := range []string{"<script src", "<link", "http://", "@import", "<iframe"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	// Exactly one script element, carrying the nonce the CSP names.
	csp := h.Get("Content-Security-Policy")
	m := regexp.MustCompile(`script-src 'nonce-([A-Za-z0-9_-]+)'`).FindStringSubmatch(csp)
	if m == nil || !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "connect-src 'self'") {
		t.Fatalf("CSP %q", csp)
	}
	if n := strings.Count(page, "<script"); n != 1 || !strings.Contains(page, `<script nonce="`+m[1]+`">`) {
		t.Errorf("%d script elements; nonce %s", n, m[1])
	}
	if other := e.Do(t, "GET", loginPath("https://app.example/"), "").Header().Get("Content-Security-Policy"); other == csp {
		t.Error("the CSP nonce repeats between responses")
	}
	// Injected markup is escaped everywhere: no closing tag or script from
	// the callback or plan survives, and no quote ends the JS string.
	for _, raw := range []string{"<script>alert(1)", "</code><script>", "<b>pro</b>", `x=">`} {
		if strings.Contains(page, raw) {
			t.Errorf("page carries %q unescaped", raw)
		}
	}
	if !strings.Contains(page, `plan: "\u003c/script\u003e\u003cb\u003epro`) || !strings.Contains(page, `x=\"\u003e`) {
		t.Errorf("script values not JS-escaped")
	}
	if strings.Count(page, "</script>") != 1 {
		t.Errorf("extra </script> in the page")
	}
	// The flow: wallet account, challenge, personal_sign, api-key, redirect
	// with the four values.
	for _, want := range []string{"eth_requestAccounts", "/v1/auth/challenge", "personal_sign", "/v1/auth/api-key",
		`"api_key"`, `"namespace"`, `"wallet"`, `"plan"`, "window.location.replace", `"team-1"`, "https://app.example"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
