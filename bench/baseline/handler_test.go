package baseline

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHandlerPutGet(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n, err := StartNode(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	srv := httptest.NewServer(NewHandler(n.Client()))
	defer srv.Close()

	cases := []struct {
		path, body string
		code       int
		want       string
	}{
		{"/v1/cache/get", `{"dmap":"d","key":"k"}`, 404, `{"error":"key not found"}`},
		{"/v1/cache/put", `{"dmap":"d","key":"k","value":{ "a" : [1, 2] }}`, 200, `{"status":"ok","key":"k","dmap":"d"}`},
		{"/v1/cache/get", `{"dmap":"d","key":"k"}`, 200, `{"key":"k","value":{"a":[1,2]},"dmap":"d"}`},
		{"/v1/cache/put", `{"dmap":"d","key":"t","value":"x","ttl":"1h"}`, 200, `{"status":"ok","key":"t","dmap":"d"}`},
		{"/v1/cache/get", `{"dmap":"d","key":"t"}`, 200, `{"key":"t","value":"x","dmap":"d"}`},
		{"/v1/cache/get", `{"dmap":"","key":"k"}`, 400, `{"error":"dmap and key are required"}`},
		{"/v1/cache/put", `{"dmap":"d","key":"k","value":1,"ttl":"soon"}`, 400, `{"error":"ttl must be a positive Go duration"}`},
	}
	for _, c := range cases {
		resp, err := http.Post(srv.URL+c.path, "application/json", strings.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.code || string(b) != c.want {
			t.Errorf("POST %s %s = %d %s, want %d %s", c.path, c.body, resp.StatusCode, b, c.code, c.want)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("POST %s: Content-Type %q", c.path, ct)
		}
	}
}
