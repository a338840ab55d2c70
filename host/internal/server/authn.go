package server

import (
	"context"
	"net/http"
	"time"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/jwtverify"
)

// Authentication modes (AuthOptions.Mode).
const (
	// AuthRequired: every route but the public ones of API.md needs a
	// credential, validated through the auth plugin. The zero Mode.
	AuthRequired = "required"
	// AuthDisabled: no credential is asked for or looked at; every request
	// acts in namespace "default". For local development only.
	AuthDisabled = "disabled"
)

// Defaults of the API key cache.
const (
	// DefaultKeyCacheTTL is how long a node trusts a validated API key
	// without asking the auth plugin again: a revoked key stops working on
	// every node at most this long after the revocation.
	DefaultKeyCacheTTL = 5 * time.Second
	// DefaultKeyCacheSize bounds the cached keys (positive and negative).
	DefaultKeyCacheSize = 10000
	// negativeKeyTTL is how long a key the plugin refused stays refused
	// without asking again (shorter when the positive TTL is shorter).
	negativeKeyTTL = time.Second
)

// AuthOptions configure authentication.
type AuthOptions struct {
	Mode     string        // AuthRequired ("" means it too) or AuthDisabled
	Verifier TokenVerifier // verifies JWTs; nil: every credential is tried as an API key
	// KeyCacheTTL bounds how long a validated API key is trusted without
	// asking the plugin (DefaultKeyCacheTTL when ≤ 0).
	KeyCacheTTL  time.Duration
	KeyCacheSize int // DefaultKeyCacheSize when ≤ 0
}

// TokenVerifier verifies a JWT access token and returns its principal and
// claims; *jwtverify.Verifier is one. Errors: unauthorized for a token that
// does not verify; unavailable when no keys could be fetched.
type TokenVerifier interface {
	Verify(ctx context.Context, token string) (auth.Principal, jwtverify.Claims, error)
}

// initAuth sets up authentication from the options. Disabled mode is
// logged loudly: everyone is everyone's tenant.
func (s *Server) initAuth() {
	o := s.opts.Auth
	s.authMode = AuthRequired
	if o.Mode == AuthDisabled {
		s.authMode = AuthDisabled
		s.log.Warn("AUTHENTICATION IS DISABLED: every request acts in namespace \"default\" without a credential; " +
			"configure an auth plugin (server { auth = \"required\" }) for anything but local development")
	}
	s.verifier = o.Verifier
	ttl := o.KeyCacheTTL
	if ttl <= 0 {
		ttl = DefaultKeyCacheTTL
	}
	size := o.KeyCacheSize
	if size <= 0 {
		size = DefaultKeyCacheSize
	}
	s.keys = newKeyCache(ttl, min(ttl, negativeKeyTTL), size, s.now)
	if s.publicFn == nil {
		// Every invocation may go without a credential; the plugin decides
		// by the function's is_public (see isInvokePath).
		s.publicFn = func(*http.Request) bool { return true }
	}
}

// authenticate resolves the request's credential (credentials.go) into a
// principal and records it in the request state, then takes the
// per-credential rate limit. Public paths pass without a credential; on
// the public /v1/auth routes a credential that is present is resolved
// when it can be (so those handlers can refuse a foreign namespace) and
// ignored when it is bad (an expired token must still be able to refresh).
func (s *Server) authenticate(next http.Handler) http.Handler {
	if s.authMode == AuthDisabled {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			api.SetNamespace(r.Context(), api.DefaultNamespace)
			next.ServeHTTP(w, r)
		})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acc := s.accessOf(r)
		if acc == accessPublic {
			next.ServeHTTP(w, r)
			return
		}
		cred := credentialOf(r)
		if cred.value == "" {
			if acc == accessRequired {
				s.authm.refused(refusedMissing)
				s.unauthorized(w, r, "missing API key", false)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		p, claims, err := s.resolve(r.Context(), cred)
		if err != nil {
			e := sdk.AsError(err)
			switch {
			case acc == accessOptional && e.Code == sdk.CodeUnauthorized:
				next.ServeHTTP(w, r) // anonymous
			case e.Code == sdk.CodeUnauthorized:
				s.authm.refused(refusedBad)
				s.unauthorized(w, r, badCredentialMessage(cred), true)
			default:
				s.writeError(w, r, err)
			}
			return
		}
		st := stateFrom(r.Context())
		if st != nil {
			st.Principal, st.Authed, st.Credential = p, true, cred.value
			if claims != nil {
				st.Claims = *claims
			}
		}
		if !s.limitCredential(w, r, p) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// resolve turns a credential into a principal. A JWT-shaped value is
// verified as a JWT first and, failing that, tried as an API key (API.md).
// A Bearer JWT sent beside an X-API-Key is the identity when it verifies;
// otherwise the key is. claims is set only for a JWT.
func (s *Server) resolve(ctx context.Context, cred credential) (auth.Principal, *jwtverify.Claims, error) {
	if cred.bearerJWT != "" && s.verifier != nil && saneCredential(cred.bearerJWT) {
		if p, c, err := s.verifyJWT(ctx, cred.bearerJWT); err == nil {
			return p, c, nil
		}
	}
	if !saneCredential(cred.value) {
		return auth.Principal{}, nil, sdk.Errorf(sdk.CodeUnauthorized, "malformed credential")
	}
	var jwtErr error
	if cred.jwt && s.verifier != nil {
		p, c, err := s.verifyJWT(ctx, cred.value)
		if err == nil {
			return p, c, nil
		}
		jwtErr = err
	}
	p, err := s.validateKey(ctx, cred.value)
	if err != nil && jwtErr != nil && sdk.AsError(jwtErr).Code != sdk.CodeUnauthorized &&
		sdk.AsError(err).Code == sdk.CodeUnauthorized {
		// The token could not be checked at all (no keys): say so rather
		// than call a possibly valid token bad.
		return auth.Principal{}, nil, jwtErr
	}
	return p, nil, err
}

// verifyJWT verifies a JWT. A token minted from an API key (its claim
// api_key_id, in p.KeyID) is refused once that key is revoked: the key's
// status comes from the key cache, so a revocation takes effect within
// key_cache_ttl, as for the key itself.
func (s *Server) verifyJWT(ctx context.Context, token string) (auth.Principal, *jwtverify.Claims, error) {
	p, c, err := s.verifier.Verify(ctx, token)
	if err != nil {
		return auth.Principal{}, nil, err
	}
	if p.Namespace == "" {
		return auth.Principal{}, nil, sdk.Errorf(sdk.CodeUnauthorized, "token without a namespace")
	}
	if p.Method == "" {
		p.Method = auth.MethodJWT
	}
	if p.KeyID != "" {
		kp, err := s.validateKeyID(ctx, p.KeyID)
		if err != nil {
			return auth.Principal{}, nil, err
		}
		if kp.Namespace != p.Namespace {
			return auth.Principal{}, nil, sdk.Errorf(sdk.CodeUnauthorized, "token bound to a key of another namespace")
		}
	}
	return p, &c, nil
}

// keyIDCacheKey is the key cache's entry of a key id; no API key hashes
// the same (keys never contain a NUL byte).
func keyIDCacheKey(id string) [32]byte { return hashKey("key-id\x00" + id) }

// errTokenKeyRevoked is what the key cache answers for a token whose API
// key the auth plugin refused. Cached errors are shared, never changed.
var errTokenKeyRevoked = &sdk.Error{Code: sdk.CodeUnauthorized, Message: "the API key this token was issued for is revoked"}

// validateKeyID returns the principal of the API key with id while it is
// active, through the key cache like validateKey. Errors: unauthorized
// for a revoked or unknown key.
func (s *Server) validateKeyID(ctx context.Context, id string) (auth.Principal, error) {
	return s.keyCached(ctx, keyIDCacheKey(id), errTokenKeyRevoked, func(ctx context.Context, a auth.Auth) (auth.Principal, error) {
		p, err := a.ValidateKeyID(ctx, id)
		if err == nil && p.Namespace == "" {
			err = sdk.Errorf(sdk.CodeUnauthorized, "API key without a namespace")
		}
		return p, err
	})
}

// validateKey returns the principal of an API key: from the key cache, or
// from the auth plugin (then cached). The plugin decides what is a key; the
// host refuses without asking only what cannot be one (saneCredential,
// checked by resolve).
// A key in the documented format must resolve to the namespace it names.
func (s *Server) validateKey(ctx context.Context, key string) (auth.Principal, error) {
	return s.keyCached(ctx, hashKey(key), nil, func(ctx context.Context, a auth.Auth) (auth.Principal, error) {
		p, err := a.ValidateAPIKey(ctx, key)
		if err == nil {
			if _, keyNS, perr := auth.ParseAPIKey(key); p.Namespace == "" || (perr == nil && p.Namespace != keyNS) {
				err = sdk.Errorf(sdk.CodeUnauthorized, "API key bound to another namespace")
			}
		}
		if err == nil && p.Method == "" {
			p.Method = auth.MethodAPIKey
		}
		return p, err
	})
}

// keyCached returns the principal the key cache holds under h or, on a
// miss, the one lookup gets from the auth plugin, which it then caches.
// An unauthorized refusal is cached too, so that lookups of h answer it
// until the entry expires: as refused when that is not nil, else as
// lookup's error.
func (s *Server) keyCached(ctx context.Context, h [32]byte, refused *sdk.Error,
	lookup func(ctx context.Context, a auth.Auth) (auth.Principal, error)) (auth.Principal, error) {
	if p, err, ok := s.keys.get(h); ok {
		s.authm.keyHits.Inc()
		return p, err
	}
	s.authm.keyMisses.Inc()
	pctx, cancel := s.pluginContext(ctx)
	defer cancel()
	a, err := s.plugins.Auth(pctx)
	if err != nil {
		return auth.Principal{}, err
	}
	p, err := lookup(pctx, a)
	if err != nil {
		if e := sdk.AsError(err); e.Code == sdk.CodeUnauthorized {
			if refused == nil {
				refused = e
			}
			s.keys.putNegative(h, refused)
		}
		return auth.Principal{}, err
	}
	s.keys.put(h, p)
	return p, nil
}

// maxCredentialLen bounds a credential the host passes on (JWTs of this
// gateway are a few hundred bytes, API keys under 200).
const maxCredentialLen = 4096

// saneCredential reports whether v could be a credential at all: not too
// long, printable ASCII without spaces.
func saneCredential(v string) bool {
	if len(v) > maxCredentialLen {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] <= ' ' || v[i] >= 0x7f {
			return false
		}
	}
	return true
}

func badCredentialMessage(c credential) string {
	if c.jwt {
		return "invalid or expired token"
	}
	return "invalid API key"
}

// wwwAuthenticate is the challenge of API.md; invalidToken adds the
// RFC 6750 error for a credential that was present but bad.
var (
	wwwAuthenticate             = []string{`Bearer realm="gateway"`}
	wwwAuthenticateInvalidToken = []string{`Bearer realm="gateway", error="invalid_token"`}
)

// unauthorized answers 401 with WWW-Authenticate.
func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request, msg string, bad bool) {
	if bad {
		w.Header()["Www-Authenticate"] = wwwAuthenticateInvalidToken
	} else {
		w.Header()["Www-Authenticate"] = wwwAuthenticate
	}
	s.writeError(w, r, &sdk.Error{Code: sdk.CodeUnauthorized, Message: msg})
}
