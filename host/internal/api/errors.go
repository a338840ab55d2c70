package api

import (
	"fmt"
	"net/http"

	"github.com/orama-network/orama/sdk"
)

// ErrorBody is the JSON error body of API.md.
type ErrorBody struct {
	Error     string   `json:"error"`
	Code      sdk.Code `json:"code,omitempty"`
	RequestID string   `json:"request_id,omitempty"`
}

// WriteErrorBody writes an error response as it is: status, code (may be
// empty) and message. Handlers return errors instead; this is for the
// server's error adapter and for the rare status no code maps to (a 416
// with its Content-Range).
func WriteErrorBody(w http.ResponseWriter, status int, code sdk.Code, msg, requestID string) error {
	return WriteJSON(w, status, ErrorBody{Error: msg, Code: code, RequestID: requestID})
}

// Invalidf returns an invalid (400) error.
func Invalidf(format string, args ...any) error {
	return &sdk.Error{Code: sdk.CodeInvalid, Message: fmt.Sprintf(format, args...)}
}
