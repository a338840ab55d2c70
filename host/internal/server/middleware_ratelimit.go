package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

// Rate limiting is split in two around authentication, in the position
// DESIGN.md gives it (rate limit → authenticate):
//
//   - rateLimitIP, before authentication, takes a token from the client
//     IP's bucket of the route group. It runs before any credential is
//     checked, so floods and key guessing are refused before they cost an
//     auth plugin call.
//   - limitCredential, called by authenticate as soon as the credential
//     resolves to a principal, takes a token from that credential's
//     bucket (API key id, or namespace and subject of a JWT).
//
// Every response of a limited route carries X-RateLimit-Limit (the bucket
// size), X-RateLimit-Remaining (whole tokens left) and X-RateLimit-Reset
// (seconds until the bucket is full again) of the tighter of the two
// buckets; a refusal is 429 rate_limited with Retry-After (seconds until
// a token is available).

// rateLimitIP applies the per-IP limit of the request's route group.
func (s *Server) rateLimitIP(next http.Handler) http.Handler {
	if !s.limits.any {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g := groupOf(r.URL.Path)
		if st := stateFrom(r.Context()); st != nil {
			st.group = g
		}
		if lim := s.limits.groups[g].ip; lim.on() {
			d := s.limits.take(bucketKey{group: g, ip: s.ipOf.of(r)}, lim)
			if !s.applyDecision(w, r, d) {
				s.authm.limited(g, "ip")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// limitCredential applies the per-credential limit; false means the
// request was refused (the response is written).
func (s *Server) limitCredential(w http.ResponseWriter, r *http.Request, p auth.Principal) bool {
	if !s.limits.any {
		return true
	}
	st := stateFrom(r.Context())
	g := groupOf(r.URL.Path)
	if st != nil {
		g = st.group
	}
	lim := s.limits.groups[g].cred
	if !lim.on() {
		return true
	}
	if !s.applyDecision(w, r, s.limits.take(bucketKey{group: g, cred: credentialBucket(p)}, lim)) {
		s.authm.limited(g, "credential")
		return false
	}
	return true
}

// credentialBucket names the bucket of a principal.
func credentialBucket(p auth.Principal) string {
	if p.Method == auth.MethodAPIKey && p.KeyID != "" {
		return "key:" + p.KeyID
	}
	return p.Method + ":" + p.Namespace + ":" + p.Subject
}

// applyDecision sets the rate limit headers (keeping those of a tighter
// bucket already applied) and answers 429 when d refused the request.
func (s *Server) applyDecision(w http.ResponseWriter, r *http.Request, d decision) bool {
	st := stateFrom(r.Context())
	if st == nil || !st.rateSet || d.remaining < st.rateRemaining || !d.ok {
		h := w.Header()
		h["X-Ratelimit-Limit"] = []string{strconv.Itoa(d.limit)}
		h["X-Ratelimit-Remaining"] = []string{strconv.Itoa(d.remaining)}
		h["X-Ratelimit-Reset"] = []string{strconv.Itoa(ceilSeconds(d.reset))}
		if st != nil {
			st.rateSet, st.rateRemaining = true, d.remaining
		}
	}
	if d.ok {
		return true
	}
	retry := max(ceilSeconds(d.retry), 1)
	w.Header()["Retry-After"] = []string{strconv.Itoa(retry)}
	s.writeError(w, r, sdk.Errorf(sdk.CodeRateLimited, "rate limit exceeded; retry in %d s", retry))
	return false
}

// ceilSeconds rounds d up to whole seconds.
func ceilSeconds(d time.Duration) int { return int((d + time.Second - 1) / time.Second) }
