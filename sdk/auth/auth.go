// Package auth is the contract of the auth domain: wallet sign-in (ETH
// EIP-191 personal_sign, SOL ed25519), API keys, JWT issuance with keys
// shared by every node, refresh tokens, apps. It holds the Auth interface,
// its gRPC adapters and, in authtest, the conformance suite.
//
// The auth plugin keeps everything in the database domain's system
// namespace through the host API, so with rqlite it is cluster-wide. The
// host verifies JWTs itself with the public keys from Keys (cached,
// refreshed on an unknown kid) and asks ValidateAPIKey for API keys.
package auth

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk/plugin"
)

// Kind is the plugin kind of the auth domain.
const Kind = "auth"

// Chain types of a wallet.
const (
	ChainETH = "ETH"
	ChainSOL = "SOL"
)

// Credential methods of a Principal.
const (
	MethodJWT    = "jwt"
	MethodAPIKey = "api_key"
)

// Challenge is a nonce issued for one wallet and namespace.
type Challenge struct {
	Wallet, Namespace, Nonce, Purpose string
	ExpiresAt                         time.Time
}

// Proof is a signed challenge.
type Proof struct {
	Wallet, Nonce, Signature, Namespace string
	ChainType                           string // ChainETH (default when empty) or ChainSOL
}

// Session is what a successful sign-in or refresh returns.
type Session struct {
	AccessToken  string
	ExpiresIn    time.Duration
	RefreshToken string
	Subject      string // the wallet
	Namespace    string
	APIKey       string // set by Verify: the wallet's key for the namespace
}

// Token is an access token obtained for an API key.
type Token struct {
	AccessToken string
	ExpiresIn   time.Duration
	Namespace   string
}

// APIKey describes an API key. Key (the secret) is set only when the key
// is created; it is stored hashed and can never be read back.
type APIKey struct {
	ID        string // public identifier, safe to list and log
	Key       string // "ak_<base64url 18 bytes>:<namespace>", only on creation
	Namespace string
	Plan      string
	Wallet    string
	Name      string
	Created   time.Time
	Revoked   bool
}

// App is a registered application.
type App struct {
	ClientID  string // "app_…"
	Name      string
	Namespace string
	Wallet    string
}

// Principal is who a credential belongs to.
type Principal struct {
	Method    string // MethodJWT or MethodAPIKey
	Subject   string // wallet (JWT) or key owner wallet
	Namespace string
	// KeyID is the API key's id (MethodAPIKey), or for a JWT minted from
	// a key (TokenForKey) that key's id (claim ClaimAPIKeyID): such a
	// token is refused once the key is revoked.
	KeyID string
}

// ClaimAPIKeyID is the JWT claim naming the API key a token was minted
// from (TokenForKey).
const ClaimAPIKeyID = "api_key_id"

// PublicKey is a JWT verification key as a JWK (RFC 7517) JSON object,
// valid until every token it signed has expired.
type PublicKey struct {
	Kid      string
	Alg      string
	JWK      []byte // the JSON object
	NotAfter time.Time
	Signing  bool // the key new tokens are signed with
}

// Auth is the auth domain.
//
// Errors (as *sdk.Error): invalid for malformed input; unauthorized for a
// bad signature, an unknown/expired/used nonce, a bad or revoked key or
// token; forbidden when the config disallows the operation (simple keys);
// not_found for an unknown key id; conflict for a duplicate app name;
// rate_limited for too many outstanding challenges.
type Auth interface {
	// Challenge issues a nonce bound to wallet and namespace, valid 5 min.
	// clientIP is the requester's address as the host sees it ("" when
	// unknown). Errors: rate_limited when the wallet or the client IP has
	// too many outstanding (unused, unexpired) challenges.
	Challenge(ctx context.Context, wallet, purpose, namespace, clientIP string) (Challenge, error)
	// Verify checks the signature of a challenge and consumes its nonce
	// atomically (of two concurrent verifies exactly one succeeds). It
	// returns a session and the wallet's API key for the namespace
	// (created on first sign-in). An implementation that stores keys
	// hashed cannot hand an existing key out again: it creates a new key
	// at every sign-in (the auth plugin does). The first wallet to sign
	// in to a namespace nobody owns owns it; any other wallet gets
	// forbidden unless an owner (or an operator) added it (AddMember);
	// see CheckNamespace.
	Verify(ctx context.Context, p Proof) (Session, error)
	// CreateAPIKey verifies p like Verify and creates a new key.
	CreateAPIKey(ctx context.Context, p Proof, plan string) (APIKey, error)
	// SimpleKey creates a key without a signature. Errors: forbidden unless
	// the plugin's config enables unsigned keys (development only).
	SimpleKey(ctx context.Context, wallet, namespace string) (APIKey, error)
	// TokenForKey issues an access token for a valid API key.
	TokenForKey(ctx context.Context, key string) (Token, error)
	// Register verifies p and registers an app.
	Register(ctx context.Context, p Proof, name string) (App, error)
	// Refresh rotates a refresh token: the old one stops working; reusing
	// a rotated token revokes its whole family.
	Refresh(ctx context.Context, refreshToken, namespace string) (Session, error)
	// Logout revokes one refresh token, or with all every refresh token of
	// subject in namespace.
	Logout(ctx context.Context, refreshToken, namespace string, all bool, subject string) error
	// ValidateAPIKey returns the principal of a key. Errors: unauthorized.
	ValidateAPIKey(ctx context.Context, key string) (Principal, error)
	// Keys lists every public key that may still verify a live token.
	Keys(ctx context.Context) ([]PublicKey, error)
	// CreateKey creates a key for an operator (no wallet proof). A
	// namespace nobody owns becomes the operator's: wallets get in only
	// when added (AddMember).
	CreateKey(ctx context.Context, namespace, name, plan string) (APIKey, error)
	// ListKeys lists a namespace's keys (without secrets).
	ListKeys(ctx context.Context, namespace string) ([]APIKey, error)
	// RevokeKey revokes a key by id. Errors: not_found.
	RevokeKey(ctx context.Context, namespace, id string) error
	// ValidateKeyID returns the principal of the API key with id while it
	// is active; the host checks it for tokens minted from a key
	// (TokenForKey), so they die with the key. Errors: unauthorized for an
	// unknown or revoked key.
	ValidateKeyID(ctx context.Context, id string) (Principal, error)
	// AddMember lets wallet sign in to namespace with role (RoleMember when
	// empty); adding a member again updates its role. actor is the wallet
	// acting, which must be an owner of namespace, or "" for an operator
	// (who may also add to a namespace nobody owns, claiming it). Errors:
	// invalid for a malformed wallet, role or namespace; forbidden when
	// actor is not an owner.
	AddMember(ctx context.Context, actor, namespace, wallet, role string) (Member, error)
	// RemoveMember takes wallet's access to namespace away: its membership,
	// its API keys and refresh tokens there are revoked. The founding owner
	// cannot be removed. Errors: forbidden when actor is not an owner or
	// wallet is the founding owner; not_found when wallet is no member.
	RemoveMember(ctx context.Context, actor, namespace, wallet string) error
	// Members returns namespace's owner and members. Errors: forbidden
	// when actor is not an owner; not_found when nobody owns namespace.
	Members(ctx context.Context, actor, namespace string) (Membership, error)
	// Health reports the backend's state.
	Health(ctx context.Context) (plugin.Health, error)
}

// Backend is what an auth plugin implements: Base plus Auth.
type Backend interface {
	plugin.Base
	Auth
}
