package server

import (
	"context"
	"net/http"
	"time"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk/auth"
)

// The /v1/auth sign-in handlers of API.md. Each decodes its request,
// checks the namespace it names against the caller's (requestNamespace:
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

// withAuth runs fn with the auth domain under a context bounded by the
// request timeout.
func (s *Server) withAuth(r *http.Request, fn func(ctx context.Context, a auth.Auth) error) error {
	ctx, cancel := s.pluginContext(r.Context())
	defer cancel()
	a, err := s.plugins.Auth(ctx)
	if err != nil {
		return err
	}
	return fn(ctx, a)
}

func (s *Server) handleAuthChallenge(w http.ResponseWriter, r *http.Request) error {
	var req challengeRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return err
	}
	if req.Wallet == "" {
		return api.Invalidf("wallet is required")
	}
	ns, err := api.RequestNamespace(r.Context(), req.Namespace)
	if err != nil {
		return err
	}
	ip := ""
	if addr := s.ipOf.of(r); addr.IsValid() {
		ip = addr.String() // IPv6 by /64, as the per-IP rate limit counts
	}
	return s.withAuth(r, func(ctx context.Context, a auth.Auth) error {
		c, err := a.Challenge(ctx, req.Wallet, req.Purpose, ns, ip)
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, challengeResponse{Wallet: c.Wallet, Namespace: c.Namespace,
			Nonce: c.Nonce, Purpose: c.Purpose, ExpiresAt: c.ExpiresAt.UTC()})
	})
}

// proof decodes a signed challenge and checks its namespace.
func proof(r *http.Request) (auth.Proof, proofRequest, error) {
	var req proofRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return auth.Proof{}, req, err
	}
	for _, f := range []struct{ name, v string }{{"wallet", req.Wallet}, {"nonce", req.Nonce}, {"signature", req.Signature}} {
		if f.v == "" {
			return auth.Proof{}, req, api.Invalidf("%s is required", f.name)
		}
	}
	ns, err := api.RequestNamespace(r.Context(), req.Namespace)
	if err != nil {
		return auth.Proof{}, req, err
	}
	return auth.Proof{Wallet: req.Wallet, Nonce: req.Nonce, Signature: req.Signature,
		Namespace: ns, ChainType: req.ChainType}, req, nil
}

func (s *Server) handleAuthVerify(w http.ResponseWriter, r *http.Request) error {
	p, _, err := proof(r)
	if err != nil {
		return err
	}
	return s.withAuth(r, func(ctx context.Context, a auth.Auth) error {
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

func (s *Server) handleAuthAPIKey(w http.ResponseWriter, r *http.Request) error {
	p, req, err := proof(r)
	if err != nil {
		return err
	}
	return s.withAuth(r, func(ctx context.Context, a auth.Auth) error {
		k, err := a.CreateAPIKey(ctx, p, req.Plan)
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, apiKeyResponse{APIKey: k.Key, Namespace: k.Namespace, Plan: k.Plan, Wallet: k.Wallet})
	})
}

func (s *Server) handleAuthSimpleKey(w http.ResponseWriter, r *http.Request) error {
	var req simpleKeyRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return err
	}
	if req.Wallet == "" {
		return api.Invalidf("wallet is required")
	}
	ns, err := api.RequestNamespace(r.Context(), req.Namespace)
	if err != nil {
		return err
	}
	return s.withAuth(r, func(ctx context.Context, a auth.Auth) error {
		k, err := a.SimpleKey(ctx, req.Wallet, ns)
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, simpleKeyResponse{APIKey: k.Key, Namespace: k.Namespace,
			Wallet: k.Wallet, Created: k.Created.UTC()})
	})
}

func (s *Server) handleAuthRegister(w http.ResponseWriter, r *http.Request) error {
	p, req, err := proof(r)
	if err != nil {
		return err
	}
	if req.Name == "" {
		return api.Invalidf("name is required")
	}
	return s.withAuth(r, func(ctx context.Context, a auth.Auth) error {
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
