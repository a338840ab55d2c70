package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/bench/baseline"
)

// The probe entry every benchmark reads.
const (
	benchDMap  = "bench"
	benchKey   = "hot"
	benchValue = `{"user":"alice","n":42,"tags":["a","b"]}`
)

var getBody = []byte(fmt.Sprintf(`{"dmap":%q,"key":%q}`, benchDMap, benchKey))

// Shared fixtures, started on first use and stopped by TestMain.
var (
	nodeOnce sync.Once
	node     *baseline.Node
	nodeErr  error

	cleanups []func()
)

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	os.Exit(code)
}

// olricNode returns the shared embedded Olric member.
func olricNode(tb testing.TB) *baseline.Node {
	tb.Helper()
	nodeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		node, nodeErr = baseline.StartNode(ctx, nil)
		if nodeErr == nil {
			cleanups = append(cleanups, func() { _ = node.Close() })
		}
	})
	if nodeErr != nil {
		tb.Fatalf("starting olric: %v", nodeErr)
	}
	return node
}

func BenchmarkOlricGetInProcess(b *testing.B) {
	n := olricNode(b)
	ctx := context.Background()
	dm, err := n.Client().NewDMap(benchDMap)
	if err != nil {
		b.Fatal(err)
	}
	if err := dm.Put(ctx, benchKey, []byte(benchValue)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := dm.Get(ctx, benchKey)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := resp.Byte(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBaselineHTTPGet(b *testing.B) {
	n := olricNode(b)
	srv := httptest.NewServer(baseline.NewHandler(n.Client()))
	defer srv.Close()
	benchHTTPGet(b, newClient(), srv.URL)
}

func BenchmarkGatewayHTTPGet(b *testing.B) {
	g := sharedGateway(b)
	benchHTTPGet(b, newClient(), g.URL)
}

func newClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}, Timeout: 10 * time.Second}
}

// benchHTTPGet puts the probe entry through base's API, then measures
// sequential POST /v1/cache/get requests over a kept-alive connection.
func benchHTTPGet(b *testing.B, c *http.Client, base string) {
	b.Helper()
	put := fmt.Sprintf(`{"dmap":%q,"key":%q,"value":%s}`, benchDMap, benchKey, benchValue)
	if code, body := postJSON(b, c, base+"/v1/cache/put", []byte(put)); code != http.StatusOK {
		b.Fatalf("put: %d %s", code, body)
	}
	want := fmt.Sprintf(`{"key":%q,"value":%s,"dmap":%q}`, benchKey, benchValue, benchDMap)
	if code, body := postJSON(b, c, base+"/v1/cache/get", getBody); code != http.StatusOK || string(bytes.TrimSpace(body)) != want {
		b.Fatalf("get: %d %s, want 200 %s", code, body, want)
	}
	url := base + "/v1/cache/get"
	b.ReportAllocs()
	for b.Loop() {
		resp, err := c.Post(url, "application/json", bytes.NewReader(getBody))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("get: status %d", resp.StatusCode)
		}
	}
}

func postJSON(tb testing.TB, c *http.Client, url string, body []byte) (int, []byte) {
	tb.Helper()
	resp, err := c.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, out
}
