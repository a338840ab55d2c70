package server

import (
	"net/http"
	"strings"

	"github.com/orama-network/orama/sdk/auth"
)

// credential is what a request presents as proof of identity.
type credential struct {
	value string
	jwt   bool // JWT-shaped (exactly two dots): verified as a JWT first
	// bearerJWT is a JWT-shaped Authorization: Bearer value sent beside an
	// X-API-Key (value). When it verifies it is the identity; otherwise
	// value is used as if it had come alone (API.md, Credentials).
	bearerJWT string
}

// credentialOf finds the request's credential, taking the first source
// present in the order of API.md:
//
//  1. X-API-Key: <key>
//  2. Authorization: Bearer <jwt> (a value with exactly two dots)
//  3. Authorization: Bearer <key> or Authorization: ApiKey <key>
//  4. query ?api_key= or ?token= (WebSockets: browsers cannot set headers)
//
// Only the first source present counts — a bad X-API-Key is not rescued
// by a good Authorization header — with one exception: an X-API-Key sent
// with Authorization: Bearer <jwt> (what the established clients send
// after a wallet sign-in) carries that JWT as bearerJWT, which wins when
// it verifies. The scheme is case-insensitive; an Authorization header of
// another scheme (Basic) is no credential. A query token may be a JWT too.
func credentialOf(r *http.Request) credential {
	if v := r.Header["X-Api-Key"]; len(v) > 0 {
		if k := strings.TrimSpace(v[0]); k != "" {
			return credential{value: k, bearerJWT: bearerJWTOf(r)}
		}
	}
	if v := r.Header["Authorization"]; len(v) > 0 {
		scheme, rest, _ := strings.Cut(strings.TrimSpace(v[0]), " ")
		rest = strings.TrimSpace(rest)
		switch {
		case rest == "":
		case strings.EqualFold(scheme, "Bearer"):
			return credential{value: rest, jwt: auth.LooksLikeJWT(rest)}
		case strings.EqualFold(scheme, "ApiKey"):
			return credential{value: rest}
		}
	}
	if r.URL.RawQuery != "" && (strings.Contains(r.URL.RawQuery, "api_key=") || strings.Contains(r.URL.RawQuery, "token=")) {
		q := r.URL.Query()
		if k := strings.TrimSpace(q.Get("api_key")); k != "" {
			return credential{value: k}
		}
		if k := strings.TrimSpace(q.Get("token")); k != "" {
			return credential{value: k, jwt: auth.LooksLikeJWT(k)}
		}
	}
	return credential{}
}

// bearerJWTOf returns the JWT-shaped value of an Authorization: Bearer
// header, or "".
func bearerJWTOf(r *http.Request) string {
	v := r.Header["Authorization"]
	if len(v) == 0 {
		return ""
	}
	scheme, rest, _ := strings.Cut(strings.TrimSpace(v[0]), " ")
	rest = strings.TrimSpace(rest)
	if !strings.EqualFold(scheme, "Bearer") || !auth.LooksLikeJWT(rest) {
		return ""
	}
	return rest
}

// apiKeyHeaderOf returns the X-API-Key of r, or "".
func apiKeyHeaderOf(r *http.Request) string {
	if v := r.Header["X-Api-Key"]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}

// access says whether a route needs a credential.
type access uint8

const (
	accessRequired access = iota // no credential: 401
	accessPublic                 // no credential looked at
	accessOptional               // a credential is resolved when present; a bad one is ignored
	// accessAnonymous: no credential is anonymous, but one that is present
	// must be valid (401 otherwise) — a caller that sent a bad key is told
	// so rather than silently treated as nobody (function invocations).
	accessAnonymous
)

// accessOf classifies the request's path by the public paths of API.md.
// Sign-in routes are optional rather than public so that their handlers
// can hold an authenticated caller to its own namespace.
func (s *Server) accessOf(r *http.Request) access {
	p := r.URL.Path
	switch p {
	case "/health", "/v1/health", "/status", "/v1/status", "/v1/version", "/metrics",
		"/v1/auth/jwks", "/.well-known/jwks.json", "/v1/auth/login":
		return accessPublic
	case "/v1/auth/challenge", "/v1/auth/verify", "/v1/auth/register", "/v1/auth/refresh",
		"/v1/auth/logout", "/v1/auth/api-key", "/v1/auth/simple-key":
		return accessOptional
	}
	if strings.HasPrefix(p, "/.well-known/acme-challenge/") {
		return accessPublic
	}
	if isInvokePath(p) && s.publicFn(r) {
		return accessAnonymous
	}
	return accessRequired
}

// isInvokePath matches /v1/invoke/* and /v1/functions/*/invoke, the
// invocations that are public when the function is marked public. The
// publicFn hook lets them through without a credential (by default all of
// them): the serverless plugin then runs public functions only and
// refuses a private one with 403 (serverless.Invocation.Caller).
func isInvokePath(p string) bool {
	if strings.HasPrefix(p, "/v1/invoke/") {
		return true
	}
	rest, ok := strings.CutPrefix(p, "/v1/functions/")
	if !ok {
		return false
	}
	name, tail, ok := strings.Cut(rest, "/")
	return ok && name != "" && tail == "invoke"
}
