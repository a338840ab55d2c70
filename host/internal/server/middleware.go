package server

import (
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/orama-network/orama/host/internal/api"
	serverlessapi "github.com/orama-network/orama/host/internal/api/serverless"
	storageapi "github.com/orama-network/orama/host/internal/api/storage"
	"github.com/orama-network/orama/sdk"
)

// hdrRequestID is X-Request-ID in canonical form, so header lookups need
// no canonicalisation (and no allocation).
const hdrRequestID = "X-Request-Id"

const maxRequestIDLen = 128

// chain wraps inner in the middleware chain of the package doc.
func (s *Server) chain(inner http.Handler) http.Handler {
	h := s.authorize(inner)
	h = s.authenticate(h)
	h = s.rateLimitIP(h)
	h = s.limitBody(h)
	h = s.bodyDeadline(h)
	h = s.checkURL(h)
	if s.cors.enabled() {
		h = s.corsHandler(h)
	}
	h = s.instrument(h)
	h = s.accessLog(h)
	h = s.tracing(h)
	h = s.requestID(h)
	h = s.recoverer(h)
	return withState(h)
}

// recoverer turns a panic into a 500 JSON error, logged with its stack and
// the request id. The process lives on. If the response had already
// started, the connection is aborted instead so the client sees a failure.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p) // a deliberate abort; net/http handles it quietly
			}
			st := stateFrom(r.Context())
			var id string
			if st != nil {
				id = st.ID
			}
			s.log.Error("panic serving request", "request_id", id, "method", r.Method,
				"route", routeOf(st), "panic", p, "stack", string(debug.Stack()))
			if st != nil && st.wroteHeader {
				panic(http.ErrAbortHandler)
			}
			s.writeErrorBody(w, http.StatusInternalServerError, sdk.CodeInternal, "internal error", id)
		}()
		next.ServeHTTP(w, r)
	})
}

// requestID echoes a sane client X-Request-ID or generates one, sets it on
// the response and stores it in the request state.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var id string
		if v := r.Header[hdrRequestID]; len(v) > 0 && validRequestID(v[0]) {
			id = v[0]
		} else {
			id = newRequestID()
		}
		if st := stateFrom(r.Context()); st != nil {
			st.ID, st.idHeader[0] = id, id
			w.Header()[hdrRequestID] = st.idHeader[:]
		} else {
			w.Header()[hdrRequestID] = []string{id}
		}
		next.ServeHTTP(w, r)
	})
}

// validRequestID accepts 1–128 characters of [A-Za-z0-9._-].
func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '.', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// newRequestID returns 32 random hex characters. Request ids need to be
// unique, not secret, so the fast runtime generator is enough.
func newRequestID() string {
	var raw [16]byte
	var out [32]byte
	a, b := rand.Uint64(), rand.Uint64()
	for i := range 8 {
		raw[i] = byte(a >> (8 * i))
		raw[8+i] = byte(b >> (8 * i))
	}
	hex.Encode(out[:], raw[:])
	return string(out[:])
}

// accessLog writes one line per request: method, route pattern, status,
// bytes, duration, request id and remote address; to Options.AccessLog
// when set, else through the logger.
func (s *Server) accessLog(next http.Handler) http.Handler {
	if a := s.opts.AccessLog; a != nil {
		s.registerAccessLogDrops(a)
		return s.accessLogTo(a, next)
	}
	return s.logRequests(next, func(r *http.Request, st *reqState, start time.Time, done bool) {
		status, bytes := http.StatusInternalServerError, int64(0)
		if st != nil {
			status, bytes = st.finalStatus(done), st.bytes
		}
		args := []any{"method", r.Method, "route", routeOf(st), "status", status,
			"bytes", bytes, "duration", time.Since(start), "request_id", api.RequestID(r.Context())}
		if st != nil && st.traceID != "" {
			args = append(args, "trace_id", st.traceID)
		}
		s.log.Info("request", append(args, "remote", r.RemoteAddr)...)
	})
}

// logRequests is the frame of both access logs: at info level it serves
// next and then, even when next panics, calls line with the request, its
// state (nil without one), its start and whether next returned; below
// info it only serves next.
func (s *Server) logRequests(next http.Handler, line func(r *http.Request, st *reqState, start time.Time, done bool)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.log.IsInfo() {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		st := stateFrom(r.Context())
		done := false
		defer func() { line(r, st, start, done) }()
		next.ServeHTTP(w, r)
		done = true
	})
}

// finalStatus is the status the client gets: the one written, 200 when the
// handler wrote nothing, 500 when it panicked before writing.
func (st *reqState) finalStatus(completed bool) int {
	switch {
	case st.wroteHeader:
		return st.status
	case completed:
		return http.StatusOK
	default:
		return http.StatusInternalServerError
	}
}

func routeOf(st *reqState) string {
	if st == nil {
		return routeUnmatched
	}
	return st.routeLabel()
}

// limitBody refuses a declared Content-Length above the limit with 413 and
// caps what handlers can read; reading past the cap yields an
// *http.MaxBytesError, which the error adapter turns into 413 as well.
// The limit is MaxBodyBytes, except for uploads (see bodyLimit).
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		max := s.bodyLimit(r)
		if r.ContentLength > max {
			s.writeError(w, r, &http.MaxBytesError{Limit: max})
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			// r is the chain's own copy (withState), so replacing Body is safe.
			r.Body = http.MaxBytesReader(w, r.Body, max)
		}
		next.ServeHTTP(w, r)
	})
}

// bodyLimit is r's body limit: MaxBodyBytes, except for uploads, whose
// body carries a file of up to MaxUploadBytes (storageapi.UploadBodyLimit),
// and deploys, whose body carries a module of up to
// Functions.MaxModuleBytes (serverlessapi.DeployBodyLimit).
func (s *Server) bodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost {
		switch r.URL.Path {
		case pathStorageUpload:
			return storageapi.UploadBodyLimit(s.maxFile)
		case pathFunctions:
			return max(s.maxBody, serverlessapi.DeployBodyLimit(s.opts.Functions.MaxModuleBytes))
		}
	}
	return s.maxBody
}

// checkURL refuses a request whose decoded path or query parameters are
// not valid UTF-8 with 400 (see api.CheckURLUTF8): path parameters and query
// values reach plugins as proto3 strings.
func (s *Server) checkURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := api.CheckURLUTF8(r.URL); err != nil {
			s.writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}
