package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
)

// flaky answers 503 (with retryAfter when not "") to the first fails
// requests, then 200 {"key":"k","value":1}; it counts requests and keeps
// the last body.
func flaky(t *testing.T, fails int32, retryAfter string) (*httptest.Server, *atomic.Int32, *atomic.Value) {
	t.Helper()
	var n atomic.Int32
	var body atomic.Value
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body.Store(string(b))
		if n.Add(1) <= fails {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"error":"plugin restarting","code":"unavailable"}`))
			return
		}
		_, _ = w.Write([]byte(`{"key":"k","value":1,"dmap":"d"}`))
	}))
	t.Cleanup(s.Close)
	return s, &n, &body
}

func TestRetryOn503WithRetryAfter(t *testing.T) {
	s, n, body := flaky(t, 2, "0")
	var v int
	err := New(s.URL).Cache().Get(context.Background(), "d", "k", &v)
	if err != nil || n.Load() != 3 {
		t.Fatalf("get: %v after %d requests, want success on the 3rd", err, n.Load())
	}
	if v != 1 || !strings.Contains(body.Load().(string), `"key":"k"`) {
		t.Fatalf("value %d, last body %q (the body must be sent again)", v, body.Load())
	}
}

func TestNoRetry(t *testing.T) {
	for _, c := range []struct {
		name       string
		retryAfter string
		call       func(c *Client) error
	}{
		{"503 without Retry-After", "", func(c *Client) error { return c.Cache().Get(context.Background(), "d", "k", new(int)) }},
		{"an exec is not repeated", "0", func(c *Client) error {
			_, err := c.Database().Exec(context.Background(), "INSERT INTO t VALUES (1)")
			return err
		}},
		{"a publish is not repeated", "0", func(c *Client) error { return c.PubSub().Publish(context.Background(), "t", []byte("x")) }},
		{"a streamed upload cannot be", "0", func(c *Client) error {
			_, err := c.Storage().Upload(context.Background(), "f", strings.NewReader("data"))
			return err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, n, _ := flaky(t, 1, c.retryAfter)
			err := c.call(New(s.URL))
			var e *sdk.Error
			if !errors.As(err, &e) || e.Code != sdk.CodeUnavailable || n.Load() != 1 {
				t.Fatalf("error %v after %d requests, want unavailable after 1", err, n.Load())
			}
		})
	}
}

func TestRetriesBounded(t *testing.T) {
	s, n, _ := flaky(t, 100, "0")
	err := New(s.URL, WithRetries(2)).Cache().Get(context.Background(), "d", "k", new(int))
	if err == nil || n.Load() != 3 {
		t.Fatalf("error %v after %d requests, want failure after 3", err, n.Load())
	}
}

func TestRetryWaitStopsAtContext(t *testing.T) {
	s, n, _ := flaky(t, 100, "5")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := New(s.URL).Cache().Get(ctx, "d", "k", new(int))
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) || err == nil || !strings.Contains(err.Error(), "retry") || n.Load() != 1 {
		t.Fatalf("error %v after %d requests", err, n.Load())
	}
}

func TestRetryAfterParsing(t *testing.T) {
	for _, c := range []struct {
		status int
		v      string
		want   time.Duration
		ok     bool
	}{
		{503, "2", 2 * time.Second, true},
		{503, "0", 50 * time.Millisecond, true},
		{503, "3600", MaxRetryWait, true},
		{503, "soon", 0, false},
		{503, "", 0, false},
		{429, "1", 0, false},
	} {
		resp := &http.Response{StatusCode: c.status, Header: http.Header{}}
		if c.v != "" {
			resp.Header.Set("Retry-After", c.v)
		}
		if got, ok := retryAfter(resp); got != c.want || ok != c.ok {
			t.Errorf("%d %q: %v %v, want %v %v", c.status, c.v, got, ok, c.want, c.ok)
		}
	}
}

func TestCredentialsBoth(t *testing.T) {
	var hdr http.Header
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr = r.Header.Clone()
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(s.Close)
	c := New(s.URL, WithAPIKey("ak_x:ns")).With(WithJWT("a.b.c"))
	if _, err := c.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	if hdr.Get("X-API-Key") != "ak_x:ns" || hdr.Get("Authorization") != "Bearer a.b.c" {
		t.Fatalf("headers %v", hdr)
	}
}
