package server

import (
	"errors"
	"net/http"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
)

// handlerFunc is the shape of every handler (api.HandlerFunc).
type handlerFunc = api.HandlerFunc

// writeError is the one adapter that turns an error into a response:
// *sdk.Error → its status and message; internal (and anything that is not
// an *sdk.Error) → 500 "internal error", the real error logged with the
// request id; unavailable → 503 with Retry-After; a body read past the
// limit → 413.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	st := stateFrom(r.Context())
	id := api.RequestID(r.Context())
	if st != nil && st.wroteHeader {
		s.log.Debug("error after the response started", "request_id", id, "route", routeOf(st), "error", err)
		return
	}
	e := classify(err)
	status := e.Code.HTTPStatus()
	msg := e.Message
	switch {
	case status == http.StatusInternalServerError:
		s.log.Error("internal error", "request_id", id, "method", r.Method, "route", routeOf(st), "error", err)
		e.Code, msg = sdk.CodeInternal, "internal error"
	case e.Code == sdk.CodeUnavailable:
		w.Header().Set("Retry-After", "1")
		s.log.Debug("unavailable", "request_id", id, "route", routeOf(st), "error", err)
	}
	s.writeErrorBody(w, status, e.Code, msg, id)
}

// classify maps err to an *sdk.Error, recognising the body limit.
func classify(err error) *sdk.Error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return sdk.Errorf(sdk.CodeTooLarge, "request body larger than %d bytes", mbe.Limit)
	}
	return sdk.AsError(err)
}

func (s *Server) writeErrorBody(w http.ResponseWriter, status int, code sdk.Code, msg, id string) {
	if err := api.WriteErrorBody(w, status, code, msg, id); err != nil {
		s.log.Debug("writing error response", "request_id", id, "error", err)
	}
}

// notFound and methodNotAllowed answer requests no route matches.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, sdk.Errorf(sdk.CodeNotFound, "not found"))
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	// No code of the set fits 405; the body carries the message only.
	s.writeErrorBody(w, http.StatusMethodNotAllowed, "", "method not allowed", api.RequestID(r.Context()))
}
