package client

import (
	"context"
	"net/http"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

// Auth is the auth part of the API (/v1/auth): wallet sign-in, tokens,
// API keys. Sign-in returns tokens; use them with c.With(WithJWT(…)).
func (c *Client) Auth() *Auth { return &Auth{c: c} }

// Auth signs in and manages tokens and keys.
type Auth struct{ c *Client }

// Signer signs a sign-in challenge with a wallet: package
// sdk/auth/wallets has ETH and SOL signers for keys held in the process;
// a browser or hardware wallet implements it elsewhere.
type Signer interface {
	Address() string
	SignChallenge(ctx context.Context, c auth.Challenge) (auth.Proof, error)
}

// Session is what a sign-in or a refresh returns. APIKey is set by a
// sign-in only (the wallet's key for the namespace).
type Session struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"` // seconds
	RefreshToken string `json:"refresh_token"`
	Subject      string `json:"subject"` // the wallet
	Namespace    string `json:"namespace"`
	APIKey       string `json:"api_key,omitempty"`
}

// Token is an access token exchanged for an API key.
type Token struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Namespace   string `json:"namespace"`
}

// APIKey is a key created by a wallet signature.
type APIKey struct {
	APIKey    string `json:"api_key"`
	Namespace string `json:"namespace"`
	Plan      string `json:"plan"`
	Wallet    string `json:"wallet"`
}

// Identity is what whoami says about the client's credential: Method
// "jwt" (Subject, Issuer, times) or "api_key" (APIKey).
type Identity struct {
	Authenticated bool      `json:"authenticated"`
	Method        string    `json:"method"`
	Namespace     string    `json:"namespace"`
	Subject       string    `json:"subject,omitempty"`
	Issuer        string    `json:"issuer,omitempty"`
	IssuedAt      time.Time `json:"issued_at,omitzero"`
	ExpiresAt     time.Time `json:"expires_at,omitzero"`
	APIKey        string    `json:"api_key,omitempty"`
}

type challengeJSON struct {
	Wallet    string    `json:"wallet"`
	Namespace string    `json:"namespace"`
	Nonce     string    `json:"nonce"`
	Purpose   string    `json:"purpose"`
	ExpiresAt time.Time `json:"expires_at"`
}

type proofJSON struct {
	Wallet    string `json:"wallet"`
	Nonce     string `json:"nonce"`
	Signature string `json:"signature"`
	Namespace string `json:"namespace"`
	ChainType string `json:"chain_type"`
	Plan      string `json:"plan,omitempty"`
}

// Challenge asks for a nonce for wallet to sign in namespace.
func (a *Auth) Challenge(ctx context.Context, wallet, purpose, namespace string) (auth.Challenge, error) {
	var out challengeJSON
	err := a.c.do(ctx, http.MethodPost, "/v1/auth/challenge",
		map[string]string{"wallet": wallet, "purpose": purpose, "namespace": namespace}, &out)
	return auth.Challenge{Wallet: out.Wallet, Namespace: out.Namespace, Nonce: out.Nonce, Purpose: out.Purpose, ExpiresAt: out.ExpiresAt}, err
}

// signed runs challenge → sign and returns the proof to post.
func (a *Auth) signed(ctx context.Context, s Signer, purpose, namespace string) (proofJSON, error) {
	ch, err := a.Challenge(ctx, s.Address(), purpose, namespace)
	if err != nil {
		return proofJSON{}, err
	}
	p, err := s.SignChallenge(ctx, ch)
	if err != nil {
		return proofJSON{}, sdk.Errorf(sdk.CodeInvalid, "signing the challenge: %v", err)
	}
	return proofJSON{Wallet: p.Wallet, Nonce: p.Nonce, Signature: p.Signature, Namespace: p.Namespace, ChainType: p.ChainType}, nil
}

// SignIn signs in with the wallet in namespace: challenge, signature,
// verify. Errors: unauthorized for a bad signature.
func (a *Auth) SignIn(ctx context.Context, s Signer, namespace string) (Session, error) {
	p, err := a.signed(ctx, s, "signin", namespace)
	if err != nil {
		return Session{}, err
	}
	var out Session
	return out, a.c.do(ctx, http.MethodPost, "/v1/auth/verify", p, &out)
}

// CreateAPIKey creates an API key for the wallet in namespace, proven by
// its signature.
func (a *Auth) CreateAPIKey(ctx context.Context, s Signer, namespace, plan string) (APIKey, error) {
	p, err := a.signed(ctx, s, "api-key", namespace)
	if err != nil {
		return APIKey{}, err
	}
	p.Plan = plan
	var out APIKey
	return out, a.c.do(ctx, http.MethodPost, "/v1/auth/api-key", p, &out)
}

// Token exchanges the client's API key for an access token.
func (a *Auth) Token(ctx context.Context) (Token, error) {
	var out Token
	return out, a.c.do(ctx, http.MethodPost, "/v1/auth/token", map[string]string{}, &out)
}

// Refresh trades a refresh token for new tokens (use the returned refresh
// token from then on). Errors: unauthorized when invalid, expired or revoked.
func (a *Auth) Refresh(ctx context.Context, refreshToken, namespace string) (Session, error) {
	var out Session
	return out, a.c.do(ctx, http.MethodPost, "/v1/auth/refresh",
		map[string]string{"refresh_token": refreshToken, "namespace": namespace}, &out)
}

// Logout revokes refreshToken, or with all every refresh token of the
// signed-in subject (the client must carry its JWT).
func (a *Auth) Logout(ctx context.Context, refreshToken, namespace string, all bool) error {
	return a.c.do(ctx, http.MethodPost, "/v1/auth/logout",
		map[string]any{"refresh_token": refreshToken, "namespace": namespace, "all": all}, nil)
}

// Whoami says who the client's credential is.
func (a *Auth) Whoami(ctx context.Context) (Identity, error) {
	var out Identity
	return out, a.c.do(ctx, http.MethodGet, "/v1/auth/whoami", nil, &out)
}
