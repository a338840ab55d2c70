package server

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/host/internal/api/apitest"
)

// hclogLine is what the hclog logger the access log replaces writes for e.
func hclogLine(t *testing.T, e accessEntry, json bool) string {
	t.Helper()
	var buf bytes.Buffer
	log := hclog.New(&hclog.LoggerOptions{Name: "orama", Output: &buf, JSONFormat: json,
		TimeFn: func() time.Time { return e.at }})
	args := []any{"method", e.method, "route", e.route, "status", e.status,
		"bytes", e.bytes, "duration", e.duration, "request_id", e.id}
	if e.traceID != "" {
		args = append(args, "trace_id", e.traceID)
	}
	log.Named("http").Info("request", append(args, "remote", e.remote)...)
	return buf.String()
}

func TestAccessLogFormatMatchesHCLog(t *testing.T) {
	at := time.Date(2026, 11, 25, 11, 18, 0, 123456789, time.FixedZone("CET", 3600))
	entries := []accessEntry{
		{at: at.UTC(), module: "orama.http", method: "POST", route: "/v1/cache/get", id: "e10017d943d64f887ba91e8260c27323",
			remote: "127.0.0.1:55872", status: 200, bytes: 77, duration: 446805},
		{at: at, module: "orama.http", method: "GET", route: "unmatched", id: "a-b_c.d",
			remote: "[::1]:4000", status: 404, bytes: 0, duration: 3 * time.Second},
		{at: at, module: "orama.http", method: "GET", route: "/v1/cache/get", id: "r-1", traceID: "4bf92f3577b34da6a3ce929d0e0e4736",
			remote: "[::1]:4000", status: 200, bytes: 5, duration: time.Millisecond},
		// Characters encoding/json escapes, and that hclog's text mode quotes.
		{at: at, module: "orama.http", method: "BR&W<>", route: "/x", id: "q\"u\\o\nte é",
			remote: "", status: 500, bytes: 1 << 40, duration: 0},
	}
	for _, e := range entries {
		if got, want := string(appendAccessJSON(nil, &e)), hclogLine(t, e, true); got != want {
			t.Errorf("JSON line\n got %s\nwant %s", got, want)
		}
		if e.id == "q\"u\\o\nte é" {
			continue // hclog writes a value with a newline over several lines; ours stays on one
		}
		if got, want := string(appendAccessText(nil, &e)), hclogLine(t, e, false); got != want {
			t.Errorf("text line\n got %s\nwant %s", got, want)
		}
	}
}

// gatedWriter blocks every Write until open is closed.
type gatedWriter struct {
	open chan struct{}
	mu   sync.Mutex
	buf  bytes.Buffer
}

func (w *gatedWriter) Write(p []byte) (int, error) {
	<-w.open
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func TestAccessLogDropsInsteadOfBlocking(t *testing.T) {
	w := &gatedWriter{open: make(chan struct{})}
	a := NewAccessLog(w, false)
	const n = 3 * accessLogQueue
	e := accessEntry{at: time.Now(), module: "orama.http", method: "GET", route: "/health", id: "x", remote: "r", status: 200}
	for range n { // the output is stuck: this must not block
		a.log(&e)
	}
	if a.Dropped() == 0 {
		t.Fatalf("no line dropped with the output stuck and %d lines for a queue of %d", n, accessLogQueue)
	}
	close(w.open)
	a.Close()
	lines := strings.Count(w.buf.String(), "\n")
	if uint64(lines)+a.Dropped() != n {
		t.Errorf("%d lines written + %d dropped, want %d", lines, a.Dropped(), n)
	}
	before := a.Dropped()
	a.log(&e)
	if a.Dropped() != before+1 {
		t.Error("a line logged after Close is not counted as dropped")
	}
	a.Close() // twice is fine
}

func TestAccessLogCloseWritesEverythingInOrder(t *testing.T) {
	var buf apitest.SyncBuffer
	a := NewAccessLog(&buf, true)
	const n = 1000
	for i := range n {
		a.log(&accessEntry{at: time.Now(), module: "m", method: "GET", route: "/r", id: "id-" + strconv.Itoa(i), remote: "x", status: 200})
	}
	a.Close()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines)+int(a.Dropped()) != n {
		t.Fatalf("%d lines + %d dropped, want %d", len(lines), a.Dropped(), n)
	}
	last := -1
	for _, l := range lines {
		i := strings.Index(l, "request_id=id-")
		if i < 0 {
			t.Fatalf("line without its id: %q", l)
		}
		var k int
		for _, c := range l[i+len("request_id=id-"):] {
			if c < '0' || c > '9' {
				break
			}
			k = 10*k + int(c-'0')
		}
		if k <= last {
			t.Fatalf("line %d after line %d", k, last)
		}
		last = k
	}
}

func TestAccessLogOption(t *testing.T) {
	var out apitest.SyncBuffer
	a := NewAccessLog(&out, false)
	e := newTestEnv(t, func(o *Options) { o.AccessLog = a })
	e.do(t, "POST", "/v1/cache/get", `{"dmap":"d","key":"k"}`, "X-Request-ID", "log-1")
	e.do(t, "GET", "/no/such/path/123", "", "X-Request-ID", "log-2")
	metrics := e.do(t, "GET", "/metrics", "").Body.String()
	a.Close()

	logs := out.String()
	for _, want := range []string{
		`"@message":"request","@module":"http"`, `"method":"POST"`, `"request_id":"log-1","route":"/v1/cache/get","status":404}`,
		`"remote":"192.0.2.1:1234","request_id":"log-2","route":"unmatched","status":404}`,
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("access log lacks %s:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "/no/such/path/123") {
		t.Errorf("access log carries a raw path:\n%s", logs)
	}
	if strings.Contains(e.logs.String(), "log-1") {
		t.Errorf("access line also went to the logger:\n%s", e.logs)
	}
	if !strings.Contains(metrics, "orama_access_log_dropped_total 0") {
		t.Errorf("no orama_access_log_dropped_total in /metrics")
	}
}

// BenchmarkAccessLog is a cache get through the full chain with the access
// log on (info level, JSON, output discarded), all Ps: "hclog" logs through
// the logger as before, "queue" through an AccessLog. Real output (a file,
// a pipe) adds a write per line under hclog's lock, batched by AccessLog.
func BenchmarkAccessLog(b *testing.B) {
	for _, mode := range []string{"hclog", "queue"} {
		b.Run(mode, func(b *testing.B) {
			var a *AccessLog
			if mode == "queue" {
				a = NewAccessLog(io.Discard, false)
				defer a.Close()
			}
			e := newTestEnv(b, func(o *Options) {
				o.Logger = hclog.New(&hclog.LoggerOptions{Name: "orama", Output: io.Discard, JSONFormat: true, Level: hclog.Info})
				o.AccessLog = a
			})
			if rec := e.do(b, "POST", "/v1/cache/put", `{"dmap":"users","key":"u1","value":{"name":"ada"}}`); rec.Code != 200 {
				b.Fatalf("put: %d %s", rec.Code, rec.Body)
			}
			apitest.BenchParallel(b, e.srv.Handler(), http.MethodPost, "/v1/cache/get", benchGetBody)
		})
	}
}
