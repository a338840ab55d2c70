package auth

import (
	"bytes"
	"crypto/rand"
	_ "embed"
	"encoding/base64"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk/auth"
)

// The login page (GET /v1/auth/login?callback=URL[&namespace=NS][&plan=P])
// lets a command-line tool or local app obtain an API key from a browser
// wallet: the page asks window.ethereum for an account, gets a challenge,
// has the wallet personal_sign it, creates a key through /v1/auth/api-key
// and redirects to the callback with api_key, namespace, wallet and plan
// added to its query.
//
// The page is self-contained (no external script, style or font) and its
// one inline script runs under a per-response CSP nonce. Every value it
// shows or embeds goes through html/template, which escapes it for its
// context (HTML text, or a JavaScript string in the script).

//go:embed login.html
var loginHTML string

var loginTemplate = template.Must(template.New("login").Parse(loginHTML))

const maxCallbackLen = 2048

type loginPage struct {
	Callback       string
	CallbackOrigin string
	Namespace      string
	Plan           string
	Nonce          string
}

// Login is GET /v1/auth/login: the sign-in page for a browser wallet.
func (*Handlers) Login(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	cb, err := checkCallback(q.Get("callback"))
	if err != nil {
		return err
	}
	ns := q.Get("namespace")
	if ns == "" {
		ns = api.DefaultNamespace
	}
	if err := auth.CheckNamespace(ns); err != nil {
		return err
	}
	plan := q.Get("plan")
	if err := auth.CheckText("plan", plan, auth.MaxNameLen, true); err != nil {
		return err
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return err
	}
	nonce := base64.RawURLEncoding.EncodeToString(raw[:]) // no + or /: the same in HTML and CSP
	var page bytes.Buffer
	if err := loginTemplate.Execute(&page, loginPage{Callback: cb.String(), CallbackOrigin: cb.Scheme + "://" + cb.Host,
		Namespace: ns, Plan: plan, Nonce: nonce}); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+nonce+"'; style-src 'unsafe-inline'; "+
		"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(page.Bytes())
	return err
}

// checkCallback accepts an absolute https URL, or an http URL on the
// loopback host (127.0.0.1, localhost, ::1) for local tools; never one
// with credentials in it. Errors: invalid (400).
func checkCallback(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, api.Invalidf("callback is required")
	}
	if len(raw) > maxCallbackLen {
		return nil, api.Invalidf("callback longer than %d bytes", maxCallbackLen)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, api.Invalidf("callback must be an absolute http(s) URL")
	}
	if u.User != nil {
		return nil, api.Invalidf("callback must not carry credentials")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return u, nil
	case "http":
		host := strings.ToLower(u.Hostname())
		if host == "localhost" || host == "127.0.0.1" || net.ParseIP(host).Equal(net.IPv6loopback) {
			return u, nil
		}
		return nil, api.Invalidf("callback over http must be on 127.0.0.1 or localhost; use https otherwise")
	}
	return nil, api.Invalidf("callback must be an https URL, or http on 127.0.0.1 or localhost")
}
