package hostfuncs_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/serverless/hostfuncs"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/netguard"
)

func TestArgs(t *testing.T) {
	args, err := hostfuncs.Args([]byte(`[1, 9007199254740993, 1.5, 2.0, "s", true, null]`))
	if err != nil {
		t.Fatal(err)
	}
	want := []any{int64(1), int64(9007199254740993), 1.5, int64(2), "s", true, nil}
	if len(args) != len(want) {
		t.Fatalf("Args = %#v", args)
	}
	for i := range want {
		if args[i] != want[i] {
			t.Errorf("args[%d] = %#v, want %#v", i, args[i], want[i])
		}
	}
	for _, none := range []string{"", " ", "null", "[]"} {
		if a, err := hostfuncs.Args([]byte(none)); err != nil || len(a) != 0 {
			t.Errorf("Args(%q) = %v, %v", none, a, err)
		}
	}
	for _, bad := range []string{`{"a":1}`, `[[1]]`, `[{"a":1}]`, `[1] [2]`, `nope`} {
		if _, err := hostfuncs.Args([]byte(bad)); err == nil {
			t.Errorf("Args(%q): no error", bad)
		}
	}
}

func TestRowsJSON(t *testing.T) {
	rows := &database.Rows{Columns: []string{"id", "name", "blob", "f", "id"},
		Rows: [][]any{{int64(1), "a\"b", []byte{0, 1}, 1.5, int64(2)}, {nil, "", []byte{}, 0.0, int64(3)}}}
	got := string(hostfuncs.RowsJSON(rows))
	want := `[{"name":"a\"b","blob":"AAE=","f":1.5,"id":2},{"name":"","blob":"","f":0,"id":3}]`
	if got != want {
		t.Errorf("RowsJSON = %s\nwant        %s", got, want)
	}
	if got := string(hostfuncs.RowsJSON(&database.Rows{Columns: []string{"x"}})); got != "[]" {
		t.Errorf("no rows = %s", got)
	}
}

type fetched struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
	Error   string            `json:"error"`
}

func fetch(t *testing.T, h *hostfuncs.Host, method, url, headers, body string) fetched {
	t.Helper()
	var f fetched
	if err := json.Unmarshal(h.HTTPFetch(t.Context(), method, url, []byte(headers), []byte(body)), &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestHTTPFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/big":
			_, _ = w.Write([]byte(strings.Repeat("x", 2048)))
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		default:
			w.Header().Set("X-Echo", r.Header.Get("X-Test"))
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(r.Method + " " + string(b)))
		}
	}))
	defer srv.Close()
	guard, err := netguard.New(netguard.Config{Allow: []string{"127.0.0.1"}, Timeout: 500 * time.Millisecond, MaxBodyBytes: 1024})
	if err != nil {
		t.Fatal(err)
	}
	h := hostfuncs.New(&hostfuncs.Backends{HTTP: guard}, hostfuncs.Invocation{Namespace: "ns"})

	f := fetch(t, h, "post", srv.URL+"/echo", `{"X-Test":"1"}`, "ping")
	if f.Status != http.StatusCreated || f.Body != "POST ping" || f.Headers["X-Echo"] != "1" || f.Error != "" {
		t.Errorf("fetch = %+v", f)
	}
	if f := fetch(t, h, "GET", srv.URL+"/big", "", ""); f.Status != 0 || !strings.Contains(f.Error, "exceeds 1024") {
		t.Errorf("oversized body = %+v", f)
	}
	if f := fetch(t, h, "GET", srv.URL+"/slow", "", ""); f.Status != 0 || f.Error == "" {
		t.Errorf("slow response = %+v", f)
	}
	for _, bad := range []struct{ url, headers string }{{"file:///etc/passwd", ""}, {srv.URL, "[1]"}} {
		if f := fetch(t, h, "GET", bad.url, bad.headers, ""); f.Status != 0 || f.Error == "" {
			t.Errorf("fetch %q %q = %+v, want an error", bad.url, bad.headers, f)
		}
	}
	strict, err := netguard.New(netguard.Config{Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	refused := hostfuncs.New(&hostfuncs.Backends{HTTP: strict}, hostfuncs.Invocation{Namespace: "ns"})
	if f := fetch(t, refused, "GET", srv.URL, "", ""); f.Status != 0 || f.Error == "" {
		t.Errorf("fetch of loopback without an allow entry = %+v, want refused", f)
	}
	none := hostfuncs.New(&hostfuncs.Backends{}, hostfuncs.Invocation{Namespace: "ns"})
	if f := fetch(t, none, "GET", srv.URL, "", ""); f.Status != 0 || f.Error == "" {
		t.Errorf("fetch without a client = %+v", f)
	}
}
