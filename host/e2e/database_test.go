package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// flowMaxRows is the max_rows the database plugin gets in these tests: a
// query of more rows answers 413.
const flowMaxRows = 20

// databaseBlock is a plugin block for the real database plugin; attrs go
// inside its config block.
func databaseBlock(attrs string) string { return pluginBlock("database", bins.database, attrs) }

// TestDatabaseSQLite drives every /v1/rqlite route of API.md through the
// real host and the real database plugin with its embedded SQLite driver.
func TestDatabaseSQLite(t *testing.T) {
	h := startHost(t, func(port int) string {
		return configText(port, databaseBlock(fmt.Sprintf(`    driver   = "sqlite"
    max_rows = %d`, flowMaxRows)))
	})
	databaseFlow(t, h, "sqlite")
}

// TestDatabaseRqliteSingleNode: the same flow against one real rqlited,
// then a look at what the plugin stored, straight through rqlite's API.
func TestDatabaseRqliteSingleNode(t *testing.T) {
	n := startRqliteSingle(t)
	h := startHost(t, func(port int) string {
		return configText(port, databaseBlock(fmt.Sprintf(`    driver   = "rqlite"
    hosts    = %s
    max_rows = %d`, hostsList(n), flowMaxRows)))
	})
	databaseFlow(t, h, "rqlite")

	// The namespace's table is a physical table of rqlite, prefixed with
	// the namespace; the large integers are stored exactly.
	rows, err := n.query(`SELECT big FROM "default$items" WHERE name = ?`, "big")
	if err != nil || len(rows) != 1 || fmt.Sprint(rows[0][0]) != "9007199254740993" {
		t.Errorf(`rqlite's own view of "default$items": %v %v, want big = 9007199254740993`, rows, err)
	}
}

// rawResponse is one answer read as bytes, for exact assertions.
type rawResponse struct {
	code int
	raw  []byte
	body map[string]any // nil unless the answer is a JSON object
}

// do sends body (a JSON text, or "" for none) and reads the answer.
func (h *host) do(method, path, body string) rawResponse {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := rawResponse{code: resp.StatusCode, raw: raw}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

// sql posts a JSON body built from v to a /v1/rqlite route.
func (h *host) sql(route string, v any) rawResponse {
	h.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.do(http.MethodPost, "/v1/rqlite/"+route, string(b))
}

// want checks the status and, for an error, that the body has an error
// message (and the code when the body carries one).
func (r rawResponse) want(t *testing.T, what string, codes ...int) bool {
	t.Helper()
	for _, c := range codes {
		if r.code == c {
			if c >= 400 {
				if msg, _ := r.body["error"].(string); msg == "" {
					t.Errorf("%s: %d without an error message: %s", what, r.code, r.raw)
					return false
				}
			}
			return true
		}
	}
	t.Errorf("%s: %d %s, want %v", what, r.code, r.raw, codes)
	return false
}

// errorText is the error message of an error answer.
func (r rawResponse) errorText() string {
	s, _ := r.body["error"].(string)
	return s
}

// items returns the items of an {items, count} answer, checking count.
func (r rawResponse) items(t *testing.T, what string) []map[string]any {
	t.Helper()
	list, ok := r.body["items"].([]any)
	if !ok {
		t.Errorf("%s: items is not an array: %s", what, r.raw)
		return nil
	}
	if c, _ := r.body["count"].(float64); int(c) != len(list) {
		t.Errorf("%s: count %v for %d items", what, r.body["count"], len(list))
	}
	out := make([]map[string]any, len(list))
	for i, e := range list {
		out[i], _ = e.(map[string]any)
	}
	return out
}

// status is the /v1/status document, as far as these tests read it.
type status struct {
	Node struct {
		ID    string   `json:"id"`
		Peers []string `json:"peers"`
	} `json:"node"`
	Backends map[string]struct {
		Driver string `json:"driver"`
		OK     bool   `json:"ok"`
		Detail string `json:"detail"`
	} `json:"backends"`
}

func (h *host) status() (status, error) {
	var st status
	resp, err := http.Get(h.URL + "/v1/status")
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return st, fmt.Errorf("GET /v1/status: %d", resp.StatusCode)
	}
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

// waitBackendOK polls /v1/status until backends.database is ok with the
// driver: the plugin's health is polled by the host, so it may lag the
// plugin's start.
func waitBackendOK(t *testing.T, h *host, driver string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := h.status()
		b, found := st.Backends["database"]
		if err == nil && found && b.OK && b.Driver == driver {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/v1/status backends.database = %+v (present %v, %v), want ok with driver %q", b, found, err, driver)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// jsonEqual compares a decoded JSON value with want, written as JSON.
func jsonEqual(got any, want string) bool {
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		panic(err)
	}
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(w)
	return bytes.Equal(a, b)
}
