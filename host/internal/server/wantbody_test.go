package server

import (
	"net/http/httptest"
	"testing"
)

// wantBody checks a 2xx response's status and exact body. (The storage
// tests use it; it was defined with the database handler tests, which
// moved to api/database with their own copy.)
func wantBody(t testing.TB, rec *httptest.ResponseRecorder, status int, body string) {
	t.Helper()
	if rec.Code != status || rec.Body.String() != body {
		t.Fatalf("got %d %s\nwant %d %s", rec.Code, rec.Body, status, body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
}
