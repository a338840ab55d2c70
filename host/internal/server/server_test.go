package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServeAndGracefulShutdown(t *testing.T) {
	e := newTestEnv(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- e.srv.Serve(ctx, ln) }()

	post := func(path, body string) (int, string, error) {
		resp, err := http.Post(url+path, "application/json", strings.NewReader(body))
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), err
	}
	if code, body, err := post("/v1/cache/put", `{"dmap":"d","key":"k","value":"v"}`); err != nil || code != 200 {
		t.Fatalf("put: %d %s %v", code, body, err)
	}

	// A request in flight when ctx ends is drained, not cut.
	gate := make(chan struct{})
	e.cache.SetGate(gate)
	inflight := make(chan string, 1)
	go func() {
		code, body, err := post("/v1/cache/get", `{"dmap":"d","key":"k"}`)
		if err != nil {
			body = err.Error()
		}
		inflight <- http.StatusText(code) + " " + body
	}()
	waitFor(t, func() bool { return strings.Contains(e.logs.String(), "listening") }) // Serve started
	time.Sleep(50 * time.Millisecond)                                                 // let the get reach the gate
	cancel()
	time.Sleep(50 * time.Millisecond)
	if _, err := http.Get(url + "/health"); err == nil {
		t.Error("new connections still accepted after ctx ended")
	}
	close(gate)
	if got := <-inflight; got != `OK {"key":"k","value":"v","dmap":"d"}` {
		t.Errorf("in-flight request: %s", got)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return")
	}
}

func TestShutdownBoundedByContext(t *testing.T) {
	e := newTestEnv(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- e.srv.Serve(context.Background(), ln) }()
	e.cache.SetGate(make(chan struct{})) // never opens; only the request timeout (2s) ends it
	e.do(t, "POST", "/v1/cache/put", `{"dmap":"d","key":"k","value":1}`)
	done := make(chan struct{})
	go func() {
		defer close(done)
		resp, err := http.Post("http://"+ln.Addr().String()+"/v1/cache/get", "application/json", strings.NewReader(`{"dmap":"d","key":"k"}`))
		if err == nil {
			resp.Body.Close()
		}
	}()
	<-e.cache.Waiting
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := e.srv.Shutdown(ctx); err == nil {
		t.Error("Shutdown with a stuck request returned nil")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Shutdown took %v", d)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve after Shutdown: %v", err)
	}
	<-done
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
