package server

import (
	"bufio"
	"context"
	"net"
	"net/http"

	"github.com/orama-network/orama/host/internal/api"
)

// reqState is the per-request state shared by the middleware chain. It is
// also the ResponseWriter handed down the chain, recording what was written.
type reqState struct {
	http.ResponseWriter

	// api.Request is what the adapters read: ID (set by requestID),
	// Namespace (authenticate/authorize), Authed, Principal, Claims and
	// Credential (authenticate), Params (the router).
	api.Request

	idHeader [1]string // backs the X-Request-ID header value (no extra allocation)
	traceID  string    // the request's trace id (set by tracing); "" with tracing off
	group    group     // the route group (set by rateLimitIP)

	rateSet       bool   // rate limit headers were set
	rateRemaining int    // their X-RateLimit-Remaining
	route         *route // the matched route; nil when none matched
	label         string // route label when route is nil

	status      int   // final status written (0 until written)
	bytes       int64 // body bytes written
	wroteHeader bool
}

// withState is the outermost wrapper: it allocates the request's state and
// stores it in the context once. It is plumbing, not a middleware of its own.
func withState(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &reqState{ResponseWriter: w, label: routeUnmatched}
		next.ServeHTTP(st, r.WithContext(context.WithValue(r.Context(), api.StateKey{}, st)))
	})
}

// stateFrom returns the request's state, or nil outside the chain.
func stateFrom(ctx context.Context) *reqState {
	st, _ := ctx.Value(api.StateKey{}).(*reqState)
	return st
}

// routeLabel is the route pattern for logs and metrics (never the raw path).
func (st *reqState) routeLabel() string {
	if st.route != nil {
		return st.route.pattern
	}
	return st.label
}

// WriteHeader records the final status. Informational statuses other than
// 101 pass through without counting as the final one.
func (st *reqState) WriteHeader(code int) {
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		st.ResponseWriter.WriteHeader(code)
		return
	}
	if st.wroteHeader {
		return // a second WriteHeader is a no-op; net/http would only log it
	}
	st.status = code
	st.wroteHeader = true
	st.ResponseWriter.WriteHeader(code)
}

func (st *reqState) Write(b []byte) (int, error) {
	if !st.wroteHeader {
		st.WriteHeader(http.StatusOK)
	}
	n, err := st.ResponseWriter.Write(b)
	st.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (st *reqState) Unwrap() http.ResponseWriter { return st.ResponseWriter }

// Flush implements http.Flusher for streaming handlers.
func (st *reqState) Flush() {
	if !st.wroteHeader {
		st.WriteHeader(http.StatusOK)
	}
	if f, ok := st.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack implements http.Hijacker for WebSocket upgrades.
func (st *reqState) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if !st.wroteHeader {
		st.status = http.StatusSwitchingProtocols
		st.wroteHeader = true
	}
	return http.NewResponseController(st.ResponseWriter).Hijack()
}
