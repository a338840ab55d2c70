package api

import "net/http"

// HandlerFunc is the shape of every handler: it writes a success response
// itself and returns an error for the server's one error adapter to write
// (see WriteErrorBody for the body).
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error
