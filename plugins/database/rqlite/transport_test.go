package rqlite

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// fakeNode is an HTTP server standing in for an rqlite node; it counts
// the requests that reached it.
type fakeNode struct {
	*httptest.Server
	hits atomic.Int32
}

func newFakeNode(t *testing.T, h func(w http.ResponseWriter, r *http.Request)) *fakeNode {
	n := &fakeNode{}
	n.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.hits.Add(1)
		_, _ = io.ReadAll(r.Body)
		h(w, r)
	}))
	t.Cleanup(n.Close)
	return n
}

// answer writes body as a 200 JSON response.
func answer(body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}
}

// reset reads the request and drops the connection without a response:
// the request reached the node, the answer never came back.
func reset(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // RST
	}
	_ = conn.Close()
}

// refusedURL returns the URL of a port nothing listens on.
func refusedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}

// fakeDriver is a Driver on the given node URLs, first choice first,
// without discovery.
func fakeDriver(t *testing.T, urls ...string) *Driver {
	d := &Driver{
		log:     hclog.NewNullLogger(),
		hc:      &http.Client{},
		health:  &http.Client{},
		nodes:   &nodes{scheme: "http", list: urls, refreshed: make(chan struct{}, 1), log: hclog.NewNullLogger()},
		level:   "weak",
		timeout: 5 * time.Second,
		retries: 3,
		maxBody: 1 << 20,
	}
	d.life, d.stop = context.WithCancel(context.Background())
	d.lanes.init(d, 2, 0)
	t.Cleanup(func() { _ = d.Close() })
	return d
}

const okExec = `{"results":[{"last_insert_id":7,"rows_affected":1}]}`

func TestWriteRetriedWhenTheNodeRefusesTheConnection(t *testing.T) {
	good := newFakeNode(t, answer(okExec))
	d := fakeDriver(t, refusedURL(t), good.URL)
	res, err := d.Exec(t.Context(), stmt("INSERT INTO t VALUES (1)"))
	if err != nil || res.LastInsertID != 7 || res.RowsAffected != 1 {
		t.Fatalf("Exec = %+v, %v", res, err)
	}
	if n := good.hits.Load(); n != 1 {
		t.Errorf("the second node got %d requests, want 1", n)
	}
}

func TestWriteNotRetriedOnceSent(t *testing.T) {
	dropped := newFakeNode(t, reset)
	good := newFakeNode(t, answer(okExec))
	d := fakeDriver(t, dropped.URL, good.URL)
	_, err := d.Exec(t.Context(), stmt("INSERT INTO t VALUES (1)"))
	e := plugintest.MustCode(t, err, "Exec through a node that dropped the connection", sdk.CodeUnavailable)
	if !strings.Contains(e.Message, "may or may not have been applied") {
		t.Errorf("message %q does not say the outcome is unknown", e.Message)
	}
	if n := good.hits.Load(); n != 0 {
		t.Errorf("the write was sent again to another node (%d requests)", n)
	}
	if n := dropped.hits.Load(); n != 1 {
		t.Errorf("the first node got %d requests, want 1", n)
	}
}

func TestReadRetriedOnceSent(t *testing.T) {
	dropped := newFakeNode(t, reset)
	good := newFakeNode(t, answer(`{"results":[{"columns":["x"],"types":["integer"],"values":[[1]]}]}`))
	d := fakeDriver(t, dropped.URL, good.URL)
	rows, err := d.Query(t.Context(), driver.Stmt{SQL: "PRAGMA x", ReadOnly: true}, collector())
	if err != nil || len(rows.Rows) != 1 || rows.Rows[0][0] != int64(1) {
		t.Fatalf("Query = %+v, %v", rows, err)
	}
	if good.hits.Load() != 1 {
		t.Errorf("the read was not retried on the second node")
	}
}

func TestWriteRetryByAnswer(t *testing.T) {
	leaderNotFound := func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "leader not found", http.StatusServiceUnavailable)
	}
	cases := []struct {
		name  string
		first func(http.ResponseWriter, *http.Request)
		retry bool
	}{
		{"503 leader not found", leaderNotFound, true},
		{"not leader", answer(`{"error":"not leader"}`), true},
		{"forwarding could not connect", answer(`{"error":"pool get: dial tcp 127.0.0.1:1: connect: connection refused"}`), true},
		{"leadership lost", answer(`{"error":"leadership lost while committing log"}`), false},
		{"forwarding broke", answer(`{"error":"read length: EOF"}`), false},
		{"500", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "boom", 500) }, false},
		{"other 503", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "busy", 503) }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			first := newFakeNode(t, tc.first)
			good := newFakeNode(t, answer(okExec))
			d := fakeDriver(t, first.URL, good.URL)
			_, err := d.Exec(t.Context(), stmt("INSERT INTO t VALUES (1)"))
			if tc.retry {
				if err != nil || good.hits.Load() != 1 {
					t.Fatalf("Exec = %v with %d requests to the second node; want it retried there", err, good.hits.Load())
				}
				return
			}
			plugintest.MustCode(t, err, "Exec", sdk.CodeUnavailable)
			if good.hits.Load() != 0 {
				t.Errorf("a write that may have been applied was sent again")
			}
		})
	}
}

func TestRetriesAreBounded(t *testing.T) {
	busy := newFakeNode(t, func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "leader not found", http.StatusServiceUnavailable)
	})
	d := fakeDriver(t, busy.URL)
	d.retries = 2
	_, err := d.Exec(t.Context(), stmt("INSERT INTO t VALUES (1)"))
	plugintest.MustCode(t, err, "Exec while no leader", sdk.CodeUnavailable)
	if n := busy.hits.Load(); n != 3 {
		t.Errorf("%d attempts, want 1 + 2 retries", n)
	}
}

func TestStatementErrorsAreNotRetried(t *testing.T) {
	first := newFakeNode(t, answer(`{"results":[{"error":"UNIQUE constraint failed: ns$t.id"}]}`))
	good := newFakeNode(t, answer(okExec))
	d := fakeDriver(t, first.URL, good.URL)
	_, err := d.Exec(t.Context(), stmt("INSERT INTO t VALUES (1)"))
	var se *driver.StmtError
	if !errors.As(err, &se) || se.Code != sdk.CodeConflict || se.Message != "UNIQUE constraint failed: ns$t.id" {
		t.Fatalf("Exec = %#v, want the engine's conflict", err)
	}
	if good.hits.Load() != 0 {
		t.Error("a statement error was retried")
	}
}

func TestCredentialsAndStatusCodes(t *testing.T) {
	var auth atomic.Value
	n := newFakeNode(t, func(w http.ResponseWriter, r *http.Request) {
		u, p, _ := r.BasicAuth()
		auth.Store(u + ":" + p)
		http.Error(w, "no", http.StatusUnauthorized)
	})
	d := fakeDriver(t, n.URL)
	d.nodes.user = mustUser(t, "http://alice:s3cret@x:1")
	_, err := d.Exec(t.Context(), stmt("INSERT INTO t VALUES (1)"))
	e := plugintest.MustCode(t, err, "Exec with refused credentials", sdk.CodeUnavailable)
	if strings.Contains(e.Message, "s3cret") {
		t.Errorf("the message shows the password: %q", e.Message)
	}
	if auth.Load() != "alice:s3cret" {
		t.Errorf("basic auth sent: %v", auth.Load())
	}
	if n.hits.Load() != 1 {
		t.Errorf("refused credentials were retried")
	}
}

func mustUser(t *testing.T, s string) *url.Userinfo {
	_, u, err := baseURL(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestClosedDriverFails(t *testing.T) {
	good := newFakeNode(t, answer(okExec))
	d := fakeDriver(t, good.URL)
	_ = d.Close()
	_, err := d.Exec(t.Context(), stmt("INSERT INTO t VALUES (1)"))
	plugintest.MustCode(t, err, "Exec after Close", sdk.CodeUnavailable)
	if good.hits.Load() != 0 {
		t.Error("a closed driver sent a request")
	}
}

func TestResponseLongerThanTheCap(t *testing.T) {
	long := `{"results":[{"columns":["x"],"types":["text"],"values":[["` + strings.Repeat("a", 4096) + `"]]}]}`
	n := newFakeNode(t, answer(long))
	d := fakeDriver(t, n.URL)
	d.maxBody = 1024
	_, err := d.Query(t.Context(), driver.Stmt{SQL: "PRAGMA x", ReadOnly: true}, collector())
	plugintest.MustCode(t, err, "Query of a long response", sdk.CodeTooLarge)
	if n.hits.Load() != 1 {
		t.Error("a response over the cap was retried")
	}
}

func TestBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:4001":   "http://127.0.0.1:4001",
		"https://db.example:443/": "https://db.example:443",
		" http://u:p@h:1 ":        "http://h:1",
		"http://[::1]:4001":       "http://[::1]:4001",
	} {
		got, _, err := baseURL(in)
		if err != nil || got != want {
			t.Errorf("baseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"127.0.0.1:4001", "ftp://h:1", "http://h", "http://h:1/db", "http://h:1?x=1", "http://:1"} {
		if _, _, err := baseURL(bad); err == nil {
			t.Errorf("baseURL(%q) accepted", bad)
		}
	}
}

func TestForeignKeysOffIsReported(t *testing.T) {
	n := newFakeNode(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/readyz" {
			_, _ = io.WriteString(w, "[+]node ok")
			return
		}
		answer(`{"results":[{"columns":["foreign_keys"],"types":["integer"],"values":[[0]]}]}`)(w, r)
	})
	d := fakeDriver(t, n.URL)
	if d.checkForeignKeys(t.Context()) {
		t.Fatal("foreign_keys = 0 read as enforced")
	}
	detail, err := d.Health(t.Context())
	if err != nil || !strings.Contains(detail, "start rqlited with -fk") {
		t.Errorf("Health = %q, %v", detail, err)
	}
}

func TestRetriesGoToEveryNodeFirst(t *testing.T) {
	var order []string
	var mu sync.Mutex
	node := func(name string) *fakeNode {
		return newFakeNode(t, func(w http.ResponseWriter, _ *http.Request) {
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
			http.Error(w, "leader not found", http.StatusServiceUnavailable)
		})
	}
	a, b, c := node("a"), node("b"), node("c")
	d := fakeDriver(t, a.URL, b.URL, c.URL)
	_, err := d.Exec(t.Context(), stmt("INSERT INTO t VALUES (1)"))
	plugintest.MustCode(t, err, "Exec while no node knows a leader", sdk.CodeUnavailable)
	if len(order) != 4 || order[0] != "a" || order[1] == order[2] || order[1] == "a" || order[2] == "a" {
		t.Errorf("nodes tried in the order %v, want a, then b and c, then any", order)
	}
}
