package e2e

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

// TestFunctionsHostFunctions: the host functions of a deployed function
// act through the real plugins, inside the function's namespace only:
// cache_set is read by POST /v1/cache/get (dmap "default") with the
// namespace's key and not with another's; db_query/db_execute work on the
// namespace's tables, seen by /v1/rqlite/query, never another's;
// pubsub_publish reaches a WebSocket subscriber of the namespace and not
// one of another namespace; log_info/log_error show in the logs;
// get_secret reads what PUT /v1/secrets set; http_fetch reaches an
// allow-listed local server and is refused for any other loopback one.
func TestFunctionsHostFunctions(t *testing.T) {
	allowed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Reached", "yes")
		fmt.Fprint(w, "reached the allowed server")
	}))
	defer allowed.Close()
	refused := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the refused server was reached: %s %s", r.Method, r.URL)
	}))
	defer refused.Close()
	_, allowedPort, _ := net.SplitHostPort(strings.TrimPrefix(allowed.URL, "http://"))
	h := startFnHost(t, fmt.Sprintf("    http_allow = [\"127.0.0.1:%s\"]\n", allowedPort))

	t.Run("cache", func(t *testing.T) {
		h.mustDeploy("cache", serverlesstest.Module(t, "host_cache"))
		r := h.invoke("/v1/functions/cache/invoke", "", h.alpha...)
		lines := strings.Split(r.str("output"), "\n")
		if r.code != 200 || len(lines) < 5 || lines[0] != "hello" || lines[1] != "<0>" || lines[2] != "1" || lines[3] != "42" || lines[4] != "-8" {
			t.Fatalf("invoke: %s", r)
		}
		got := h.send(http.MethodPost, "/v1/cache/get", map[string]string{"dmap": "default", "key": "greeting"}, h.alpha...)
		if got.code != 200 || !strings.Contains(string(got.raw), "hello") {
			t.Errorf("alpha's cache/get: %s", got)
		}
		wantStatus(t, "beta's cache/get", h.send(http.MethodPost, "/v1/cache/get", map[string]string{"dmap": "default", "key": "greeting"}, h.beta...), 404)
	})

	t.Run("database", func(t *testing.T) {
		for _, c := range []struct {
			hdr  []string
			rows string
		}{{h.alpha, "(1),(2),(3)"}, {h.beta, "(100)"}} {
			wantStatus(t, "create-table", h.send(http.MethodPost, "/v1/rqlite/create-table", map[string]string{"schema": "CREATE TABLE t (n INTEGER)"}, c.hdr...), 201)
			wantStatus(t, "insert", h.send(http.MethodPost, "/v1/rqlite/exec", map[string]string{"sql": "INSERT INTO t (n) VALUES " + c.rows}, c.hdr...), 200)
		}
		h.mustDeploy("db", serverlesstest.Module(t, "host_db"))
		r := h.invoke("/v1/functions/db/invoke", "", h.alpha...)
		// The output starts with '[': it comes back as is.
		lines := strings.Split(string(r.raw), "\n")
		if r.code != 200 || len(lines) < 2 || !strings.Contains(lines[0], `"n":2`) || !strings.Contains(lines[0], `"n":3`) || lines[1] != "3" {
			t.Fatalf("invoke: %s", r)
		}
		q := h.send(http.MethodPost, "/v1/rqlite/query", map[string]string{"sql": "SELECT n FROM t ORDER BY n"}, h.alpha...)
		if q.code != 200 || fmt.Sprint(q.body["items"]) != "[map[n:2] map[n:3] map[n:4]]" {
			t.Errorf("alpha's rows after db_execute: %s", q)
		}
		q = h.send(http.MethodPost, "/v1/rqlite/query", map[string]string{"sql": "SELECT n FROM t"}, h.beta...)
		if q.code != 200 || fmt.Sprint(q.body["items"]) != "[map[n:100]]" {
			t.Errorf("beta's rows: %s", q)
		}
	})

	t.Run("pubsub and logs", func(t *testing.T) {
		sub := h.subscribe("alpha events", "topic=events", h.alpha...)
		other := h.subscribe("beta events", "topic=events", h.beta...)
		h.mustDeploy("ps", serverlesstest.Module(t, "host_pubsub_log"))
		r := h.invoke("/v1/functions/ps/invoke", "", h.alpha...)
		if r.code != 200 || !strings.HasPrefix(r.str("output"), "1\n") {
			t.Fatalf("invoke: %s", r)
		}
		if f := sub.nextMessage(); string(f.data) != "hello" {
			t.Errorf("subscriber got %s (%q), want hello", f.raw, f.data)
		}
		if got := other.quiet(500 * time.Millisecond); len(got) != 0 {
			t.Errorf("beta's subscriber got %d frames of alpha's topic", len(got))
		}
		logs := h.send(http.MethodGet, "/v1/functions/ps/logs", nil, h.alpha...)
		for _, want := range []string{"info line", "error line"} {
			if !strings.Contains(string(logs.raw), want) {
				t.Errorf("logs without %q: %s", want, logs)
			}
		}
	})

	t.Run("secrets", func(t *testing.T) {
		wantStatus(t, "put alpha's", h.send(http.MethodPut, "/v1/secrets/api_key", map[string]string{"value": "s3cret-alpha"}, h.alpha...), 200)
		wantStatus(t, "put beta's", h.send(http.MethodPut, "/v1/secrets/api_key", map[string]string{"value": "s3cret-beta"}, h.beta...), 200)
		h.mustDeploy("ids", serverlesstest.Module(t, "host_ids"), "env_vars", `{"GREETING":"hi there"}`)
		r := h.invoke("/v1/functions/ids/invoke", "", h.alpha...)
		out := r.str("output")
		if r.code != 200 || !strings.Contains(out, "s3cret-alpha") || strings.Contains(out, "s3cret-beta") || !strings.Contains(out, "hi there") {
			t.Fatalf("invoke: %s", r)
		}
		list := h.send(http.MethodGet, "/v1/secrets", nil, h.alpha...)
		if list.code != 200 || fmt.Sprint(list.body["secrets"]) != "[api_key]" || strings.Contains(string(list.raw), "s3cret") {
			t.Errorf("list: %s", list)
		}
		wantStatus(t, "delete", h.send(http.MethodDelete, "/v1/secrets/api_key", nil, h.alpha...), 200)
		if r := h.invoke("/v1/functions/ids/invoke", "", h.alpha...); strings.Contains(r.str("output"), "s3cret") {
			t.Errorf("a deleted secret was read: %s", r)
		}
		if strings.Contains(h.logs.String(), "s3cret") {
			t.Error("a secret's value is in the host's log")
		}
	})

	t.Run("http_fetch", func(t *testing.T) {
		b, err := os.ReadFile("testdata/fn_fetch.wat")
		if err != nil {
			t.Fatal(err)
		}
		h.mustDeploy("fetch", wat(t, string(b)))
		r := h.invoke("/v1/functions/fetch/invoke", allowed.URL+"/x", h.alpha...)
		if r.code != 200 || fmt.Sprint(r.body["status"]) != "200" || !strings.Contains(string(r.raw), "reached the allowed server") {
			t.Fatalf("allow-listed fetch: %s", r)
		}
		for _, u := range []string{refused.URL + "/x", strings.Replace(refused.URL, "127.0.0.1", "localhost", 1)} {
			r = h.invoke("/v1/functions/fetch/invoke", u, h.alpha...)
			if r.code != 200 || r.str("error") == "" || fmt.Sprint(r.body["status"]) != "0" {
				t.Errorf("fetch of %s: %s, want {error, status:0}", u, r)
			}
		}
	})
}
