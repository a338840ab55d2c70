package auth

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

// The /v1/auth handlers around a session: token, refresh, logout,
// whoami and the JWKS.

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Namespace   string `json:"namespace"`
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
	Namespace    string `json:"namespace"`
}

type refreshResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	Subject      string `json:"subject"`
	Namespace    string `json:"namespace"`
}

type logoutRequest struct {
	RefreshToken string `json:"refresh_token"`
	Namespace    string `json:"namespace"`
	All          bool   `json:"all"`
}

type whoamiJWT struct {
	Authenticated bool      `json:"authenticated"`
	Method        string    `json:"method"`
	Subject       string    `json:"subject"`
	Issuer        string    `json:"issuer"`
	Audience      any       `json:"audience"` // a string, or a list when the token names several
	IssuedAt      time.Time `json:"issued_at"`
	NotBefore     time.Time `json:"not_before"`
	ExpiresAt     time.Time `json:"expires_at"`
	Namespace     string    `json:"namespace"`
}

type whoamiKey struct {
	Authenticated bool   `json:"authenticated"`
	Method        string `json:"method"`
	APIKey        string `json:"api_key"`
	Namespace     string `json:"namespace"`
}

type whoamiAnonymous struct {
	Authenticated bool   `json:"authenticated"`
	Namespace     string `json:"namespace"`
}

type jwksResponse struct {
	Keys []json.RawMessage `json:"keys"`
}

// jwksCacheControl lets clients cache the key set briefly: a new signing
// key is listed before it signs, and a verifier refetches on an unknown kid.
var jwksCacheControl = []string{"public, max-age=60"}

// Token is POST /v1/auth/token: an access token for the API key the
// request authenticated with. A client that sends its X-API-Key beside a
// JWT (which then is the request's identity) still gets a token for the
// key.
func (h *Handlers) Token(w http.ResponseWriter, r *http.Request) error {
	st := api.From(r.Context())
	if st == nil || !st.Authed {
		return sdk.Errorf(sdk.CodeUnauthorized, "an API key is required (X-API-Key or Authorization: ApiKey)")
	}
	key := st.Credential
	if st.Principal.Method != auth.MethodAPIKey {
		key = h.apiKey(r)
		if key == "" {
			return sdk.Errorf(sdk.CodeUnauthorized, "an API key is required (X-API-Key or Authorization: ApiKey)")
		}
	}
	return h.Do(r, func(ctx context.Context, a auth.Auth) error {
		tok, err := a.TokenForKey(ctx, key)
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, tokenResponse{AccessToken: tok.AccessToken, TokenType: tokenTypeBearer,
			ExpiresIn: expiresIn(tok.ExpiresIn), Namespace: tok.Namespace})
	})
}

// Refresh is POST /v1/auth/refresh: a new session for a refresh token.
func (h *Handlers) Refresh(w http.ResponseWriter, r *http.Request) error {
	var req refreshRequest
	ns, err := decode(r, &req, &req.Namespace, required{"refresh_token", &req.RefreshToken})
	if err != nil {
		return err
	}
	return h.Do(r, func(ctx context.Context, a auth.Auth) error {
		sess, err := a.Refresh(ctx, req.RefreshToken, ns)
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, refreshResponse{AccessToken: sess.AccessToken, TokenType: tokenTypeBearer,
			ExpiresIn: expiresIn(sess.ExpiresIn), RefreshToken: sess.RefreshToken, Subject: sess.Subject,
			Namespace: sess.Namespace})
	})
}

// Logout is POST /v1/auth/logout: revokes one refresh token or, with all,
// every refresh token of the subject of the request's JWT.
func (h *Handlers) Logout(w http.ResponseWriter, r *http.Request) error {
	var req logoutRequest
	ns, err := decode(r, &req, &req.Namespace)
	if err != nil {
		return err
	}
	subject := ""
	if req.All {
		p, ok := api.Principal(r.Context())
		if !ok || p.Method != auth.MethodJWT {
			return sdk.Errorf(sdk.CodeUnauthorized, "all:true needs a valid JWT (Authorization: Bearer)")
		}
		subject = p.Subject
	} else if req.RefreshToken == "" {
		return api.Invalidf("refresh_token is required (or all:true with a JWT)")
	}
	return h.Do(r, func(ctx context.Context, a auth.Auth) error {
		if err := a.Logout(ctx, req.RefreshToken, ns, req.All, subject); err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, api.OK)
	})
}

// Whoami is GET /v1/auth/whoami: the request's credential as verified
// (the JWT's claims, or the API key's principal).
func (h *Handlers) Whoami(w http.ResponseWriter, r *http.Request) error {
	st := api.From(r.Context())
	if st == nil || !st.Authed {
		ns, err := api.Namespace(r.Context())
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, whoamiAnonymous{Authenticated: false, Namespace: ns})
	}
	if st.Principal.Method == auth.MethodJWT {
		c := st.Claims
		var aud any = c.Audience
		if len(c.Audience) == 1 {
			aud = c.Audience[0]
		}
		nbf := c.NotBefore
		if nbf.IsZero() {
			nbf = c.IssuedAt // a token without nbf is valid from its issue
		}
		return api.WriteJSON(w, http.StatusOK, whoamiJWT{Authenticated: true, Method: auth.MethodJWT,
			Subject: c.Subject, Issuer: c.Issuer, Audience: aud, IssuedAt: c.IssuedAt.UTC(),
			NotBefore: nbf.UTC(), ExpiresAt: c.ExpiresAt.UTC(), Namespace: st.Principal.Namespace})
	}
	return api.WriteJSON(w, http.StatusOK, whoamiKey{Authenticated: true, Method: auth.MethodAPIKey,
		APIKey: st.Credential, Namespace: st.Principal.Namespace})
}

// JWKS is GET /v1/auth/jwks and GET /.well-known/jwks.json: every public
// key that may still verify a live token, as a JWK Set.
func (h *Handlers) JWKS(w http.ResponseWriter, r *http.Request) error {
	return h.Do(r, func(ctx context.Context, a auth.Auth) error {
		keys, err := a.Keys(ctx)
		if err != nil {
			return err
		}
		now := h.now()
		resp := jwksResponse{Keys: make([]json.RawMessage, 0, len(keys))}
		for _, k := range keys {
			if !k.NotAfter.IsZero() && now.After(k.NotAfter) {
				continue
			}
			if !json.Valid(k.JWK) {
				h.log.Warn("auth plugin listed a key that is not JSON; left out of the JWKS", "kid", k.Kid)
				continue
			}
			resp.Keys = append(resp.Keys, json.RawMessage(k.JWK))
		}
		w.Header()["Cache-Control"] = jwksCacheControl
		return api.WriteJSON(w, http.StatusOK, resp)
	})
}
