package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRelaysForwardRequestsAndBodies sends requests with bodies through a
// relay of each mode to a real HTTP server, over one keep-alive
// connection, and checks what the backend saw and what came back.
func TestRelaysForwardRequestsAndBodies(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("backend read: %v", err)
		}
		w.Header().Set("X-Path", r.URL.RequestURI())
		w.Write(bytes.ToUpper(b))
	}))
	defer backend.Close()
	to := strings.TrimPrefix(backend.URL, "http://")

	for _, mode := range []string{"tcp", "http"} {
		t.Run(mode, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			serve := serveTCP
			if mode == "http" {
				serve = serveHTTP
			}
			go serve(ln, to)

			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			defer client.CloseIdleConnections()
			big := strings.Repeat("orama ", 200_000) // 1.2 MB: many reads and writes on each side
			for i, body := range []string{"hello", big, "again"} {
				resp, err := client.Post("http://"+ln.Addr().String()+"/db/query?level=weak", "text/plain", strings.NewReader(body))
				if err != nil {
					t.Fatalf("request %d: %v", i, err)
				}
				got, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					t.Fatalf("request %d: reading the answer: %v", i, err)
				}
				if resp.StatusCode != http.StatusOK || string(got) != strings.ToUpper(body) {
					t.Fatalf("request %d: status %d, %d bytes back, want 200 and the %d bytes upper-cased", i, resp.StatusCode, len(got), len(body))
				}
				if p := resp.Header.Get("X-Path"); p != "/db/query?level=weak" {
					t.Fatalf("request %d: the backend saw %q", i, p)
				}
			}
		})
	}
}
