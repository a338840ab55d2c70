// Package auth is the HTTP adapter of the auth domain: the /v1/auth/*
// routes of API.md and the JWKS (/.well-known/jwks.json) translated to
// calls on sdk/auth's Auth. Resolving a request's credential (API key,
// JWT, key cache, rate limits) is the server's middleware, not this
// package: the handlers read what it verified through api.From.
package auth

import (
	"context"
	"net/http"
	"net/netip"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk/auth"
)

// Handlers serves the auth routes.
type Handlers struct {
	api.Domain[auth.Auth]
	clientIP func(*http.Request) netip.Addr // the address the per-IP rate limit counts
	apiKey   func(*http.Request) string     // the X-API-Key of a request, or ""
	now      func() time.Time
	log      hclog.Logger
}

// New returns the auth handlers over the domain get returns, each plugin
// call bounded by timeout. From the server they take clientIP (a
// request's client address, as the per-IP rate limit counts it; the
// challenge passes it to the plugin), apiKey (the X-API-Key header of a
// request, as the credential middleware reads it), the clock now and log.
func New(get func(context.Context) (auth.Auth, error), timeout time.Duration,
	clientIP func(*http.Request) netip.Addr, apiKey func(*http.Request) string,
	now func() time.Time, log hclog.Logger) *Handlers {
	return &Handlers{Domain: api.Domain[auth.Auth]{Plugin: get, Timeout: timeout},
		clientIP: clientIP, apiKey: apiKey, now: now, log: log}
}

// The /v1/auth sign-in handlers of API.md. Each decodes its request,
// checks the namespace it names against the caller's (api.RequestNamespace:
// an authenticated caller may act only in its own namespace, nobody in
// the system namespace) and makes one call on the auth domain. The
// plugin's errors pass through the adapter: invalid (400), unauthorized
// (401: bad signature, unknown/used nonce), forbidden (403: unsigned keys
// disabled, a namespace owned by someone else), conflict (409),
// rate_limited (429: too many outstanding challenges for the wallet or
// the client address).

type challengeRequest struct {
	Wallet    string `json:"wallet"`
	Purpose   string `json:"purpose"`
	Namespace string `json:"namespace"`
}

type challengeResponse struct {
	Wallet    string    `json:"wallet"`
	Namespace string    `json:"namespace"`
	Nonce     string    `json:"nonce"`
	Purpose   string    `json:"purpose"`
	ExpiresAt time.Time `json:"expires_at"`
}

// proofRequest is the body of verify, and with Plan or Name of api-key
// and register.
type proofRequest struct {
	Wallet    string `json:"wallet"`
	Nonce     string `json:"nonce"`
	Signature string `json:"signature"`
	Namespace string `json:"namespace"`
	ChainType string `json:"chain_type"`
	Plan      string `json:"plan"` // api-key
	Name      string `json:"name"` // register
}

type verifyResponse struct {
	AccessToken       string `json:"access_token"`
	TokenType         string `json:"token_type"`
	ExpiresIn         int64  `json:"expires_in"`
	RefreshToken      string `json:"refresh_token"`
	Subject           string `json:"subject"`
	Namespace         string `json:"namespace"`
	APIKey            string `json:"api_key"`
	Nonce             string `json:"nonce"`
	SignatureVerified bool   `json:"signature_verified"`
}

type apiKeyResponse struct {
	APIKey    string `json:"api_key"`
	Namespace string `json:"namespace"`
	Plan      string `json:"plan"`
	Wallet    string `json:"wallet"`
}

type simpleKeyRequest struct {
	Wallet    string `json:"wallet"`
	Namespace string `json:"namespace"`
}

type simpleKeyResponse struct {
	APIKey    string    `json:"api_key"`
	Namespace string    `json:"namespace"`
	Wallet    string    `json:"wallet"`
	Created   time.Time `json:"created"`
}

type appView struct {
	AppID     string `json:"app_id"`
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	Wallet    string `json:"wallet"`
}

type registerResponse struct {
	ClientID          string  `json:"client_id"`
	App               appView `json:"app"`
	SignatureVerified bool    `json:"signature_verified"`
}

// tokenTypeBearer is the token_type of every access token.
const tokenTypeBearer = "Bearer"

// expiresIn is a lifetime in whole seconds, as the JSON of API.md has it.
func expiresIn(d time.Duration) int64 { return int64(d / time.Second) }

// Challenge is POST /v1/auth/challenge: a nonce for a wallet to sign.
func (h *Handlers) Challenge(w http.ResponseWriter, r *http.Request) error {
	var req challengeRequest
	ns, err := decode(r, &req, &req.Namespace, required{"wallet", &req.Wallet})
	if err != nil {
		return err
	}
	ip := ""
	if addr := h.clientIP(r); addr.IsValid() {
		ip = addr.String() // IPv6 by /64, as the per-IP rate limit counts
	}
	return h.Do(r, func(ctx context.Context, a auth.Auth) error {
		c, err := a.Challenge(ctx, req.Wallet, req.Purpose, ns, ip)
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, challengeResponse{Wallet: c.Wallet, Namespace: c.Namespace,
			Nonce: c.Nonce, Purpose: c.Purpose, ExpiresAt: c.ExpiresAt.UTC()})
	})
}

// required names a field a request body must set: decode checks it after
// decoding, through v (a pointer into the request).
type required struct {
	name string
	v    *string
}

// decode decodes r's JSON body into req, checks that each of fields is
// set ("<name> is required") and then the namespace the body names (at
// named, a pointer into req) through api.RequestNamespace, which it
// returns.
func decode(r *http.Request, req any, named *string, fields ...required) (string, error) {
	if err := api.DecodeJSON(r, req); err != nil {
		return "", err
	}
	for _, f := range fields {
		if *f.v == "" {
			return "", api.Invalidf("%s is required", f.name)
		}
	}
	return api.RequestNamespace(r.Context(), *named)
}

// proof decodes a signed challenge and checks its namespace.
func proof(r *http.Request) (auth.Proof, proofRequest, error) {
	var req proofRequest
	ns, err := decode(r, &req, &req.Namespace,
		required{"wallet", &req.Wallet}, required{"nonce", &req.Nonce}, required{"signature", &req.Signature})
	if err != nil {
		return auth.Proof{}, req, err
	}
	return auth.Proof{Wallet: req.Wallet, Nonce: req.Nonce, Signature: req.Signature,
		Namespace: ns, ChainType: req.ChainType}, req, nil
}

// Verify is POST /v1/auth/verify: a session (access and refresh token,
// API key) for a signed challenge.
func (h *Handlers) Verify(w http.ResponseWriter, r *http.Request) error {
	p, _, err := proof(r)
	if err != nil {
		return err
	}
	return h.Do(r, func(ctx context.Context, a auth.Auth) error {
		sess, err := a.Verify(ctx, p)
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, verifyResponse{
			AccessToken: sess.AccessToken, TokenType: tokenTypeBearer, ExpiresIn: expiresIn(sess.ExpiresIn),
			RefreshToken: sess.RefreshToken, Subject: sess.Subject, Namespace: sess.Namespace,
			APIKey: sess.APIKey, Nonce: p.Nonce, SignatureVerified: true,
		})
	})
}

// APIKey is POST /v1/auth/api-key: a new API key for a signed challenge.
func (h *Handlers) APIKey(w http.ResponseWriter, r *http.Request) error {
	p, req, err := proof(r)
	if err != nil {
		return err
	}
	return h.Do(r, func(ctx context.Context, a auth.Auth) error {
		k, err := a.CreateAPIKey(ctx, p, req.Plan)
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, apiKeyResponse{APIKey: k.Key, Namespace: k.Namespace, Plan: k.Plan, Wallet: k.Wallet})
	})
}

// SimpleKey is POST /v1/auth/simple-key: an API key for a wallet without
// a signature (forbidden unless the plugin allows it).
func (h *Handlers) SimpleKey(w http.ResponseWriter, r *http.Request) error {
	var req simpleKeyRequest
	ns, err := decode(r, &req, &req.Namespace, required{"wallet", &req.Wallet})
	if err != nil {
		return err
	}
	return h.Do(r, func(ctx context.Context, a auth.Auth) error {
		k, err := a.SimpleKey(ctx, req.Wallet, ns)
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, simpleKeyResponse{APIKey: k.Key, Namespace: k.Namespace,
			Wallet: k.Wallet, Created: k.Created.UTC()})
	})
}

// Register is POST /v1/auth/register: registers an app for a signed
// challenge.
func (h *Handlers) Register(w http.ResponseWriter, r *http.Request) error {
	p, req, err := proof(r)
	if err != nil {
		return err
	}
	if req.Name == "" {
		return api.Invalidf("name is required")
	}
	return h.Do(r, func(ctx context.Context, a auth.Auth) error {
		app, err := a.Register(ctx, p, req.Name)
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusCreated, registerResponse{
			ClientID:          app.ClientID,
			App:               appView{AppID: app.ClientID, Name: app.Name, Namespace: app.Namespace, Wallet: app.Wallet},
			SignatureVerified: true,
		})
	})
}
