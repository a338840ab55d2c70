package rqlite

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/plugins/database/rqlite/rqlitetest"
)

// recorder records the requests a driver sends (path?query and body).
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	reqs []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(b))
		r.mu.Lock()
		r.reqs = append(r.reqs, req.URL.Path+"?"+req.URL.RawQuery+" "+string(b))
		r.mu.Unlock()
	}
	return r.next.RoundTrip(req)
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.reqs
	r.reqs = nil
	return out
}

// record makes d's requests visible.
func record(d *Driver) *recorder {
	r := &recorder{next: d.hc.Transport}
	d.hc = &http.Client{Transport: r}
	return r
}

// directExec runs statements on rqlited itself, bypassing every driver.
func directExec(t *testing.T, url string, sql ...string) {
	t.Helper()
	body, _ := json.Marshal(sql)
	res, err := http.Post(url+"/db/execute", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || strings.Contains(string(b), `"error"`) {
		t.Fatalf("direct %v: %s %s", sql, res.Status, b)
	}
}

// TestTypedReadsFollowSchemaChanges reads the same statements through one
// driver while the schema changes through that driver, through another
// one and straight on rqlited: every read reports the current columns and
// exact values, and a warm read is one statement.
func TestTypedReadsFollowSchemaChanges(t *testing.T) {
	c := rqlitetest.Start(t, 1)
	url := c.Nodes[0].URL
	d := openTest(t, []string{url}, "weak")
	other := openTest(t, []string{url}, "weak")
	rec := record(d)
	ctx := t.Context()
	exec := func(d *Driver, sql string, args ...any) {
		t.Helper()
		if _, err := d.Exec(ctx, stmt(sql, args...)); err != nil {
			t.Fatalf("Exec(%s): %v", sql, err)
		}
	}
	star := readStmt("SELECT * FROM s WHERE id = ?", int64(1))
	named := readStmt("SELECT id, a FROM s WHERE id = ?", int64(1))
	check := func(what string, s driver.Stmt, cols []string, row []any) {
		t.Helper()
		rows, err := d.Query(ctx, s, collector())
		if err != nil {
			t.Fatalf("%s: Query(%s): %v", what, s.SQL, err)
		}
		if !reflect.DeepEqual(rows.Columns, cols) || !reflect.DeepEqual(rows.Rows, [][]any{row}) {
			t.Errorf("%s: %s = %v %#v, want %v %#v", what, s.SQL, rows.Columns, rows.Rows, cols, row)
		}
		res, err := d.Batch(ctx, []driver.Op{{Stmt: s, Query: true}, {Stmt: readStmt("SELECT 1 AS one"), Query: true}}, collector())
		if err != nil {
			t.Fatalf("%s: Batch(%s): %v", what, s.SQL, err)
		}
		if r := res[0].Rows; !reflect.DeepEqual(r.Columns, cols) || !reflect.DeepEqual(r.Rows, [][]any{row}) {
			t.Errorf("%s: Batch %s = %v %#v, want %v %#v", what, s.SQL, r.Columns, r.Rows, cols, row)
		}
	}
	big := int64(1<<53 + 1)
	exec(d, "CREATE TABLE s (id INTEGER PRIMARY KEY, a, b)")
	exec(d, "INSERT INTO s VALUES (1, ?, ?)", big, 2.0)
	check("first", star, []string{"id", "a", "b"}, []any{int64(1), big, 2.0})
	check("first", named, []string{"id", "a"}, []any{int64(1), big})

	rec.take()
	check("warm", star, []string{"id", "a", "b"}, []any{int64(1), big, 2.0})
	reqs := rec.take()
	if len(reqs) != 2 || strings.Contains(reqs[0], "transaction") || strings.Count(reqs[0], "UNION ALL") != 1 ||
		strings.Contains(reqs[0], "sqlite_master") || !strings.HasPrefix(reqs[0], "/db/query?") {
		t.Errorf("a warm typed read sent %q, want one typed statement without a transaction", reqs)
	}

	changes := []struct {
		name string
		do   func()
		cols []string
		row  []any
	}{
		{"ADD COLUMN through the driver", func() { exec(d, "ALTER TABLE s ADD COLUMN c DEFAULT x'00ff'") },
			[]string{"id", "a", "b", "c"}, []any{int64(1), big, 2.0, []byte{0, 0xff}}},
		{"ADD COLUMN through another driver", func() { exec(other, "ALTER TABLE s ADD COLUMN d") },
			[]string{"id", "a", "b", "c", "d"}, []any{int64(1), big, 2.0, []byte{0, 0xff}, nil}},
		{"DROP+CREATE, same count, other names, on rqlited", func() {
			directExec(t, url, "DROP TABLE s", "CREATE TABLE s (id INTEGER PRIMARY KEY, e, f, g, h)", "INSERT INTO s VALUES (1, 'e', 3.5, NULL, 4)")
		}, []string{"id", "e", "f", "g", "h"}, []any{int64(1), "e", 3.5, nil, int64(4)}},
		{"DROP+CREATE, fewer columns, through another driver", func() {
			exec(other, "DROP TABLE s")
			exec(other, "CREATE TABLE s (id INTEGER PRIMARY KEY, z)")
			exec(other, "INSERT INTO s VALUES (1, ?)", 1.0)
		}, []string{"id", "z"}, []any{int64(1), 1.0}},
		{"RENAME COLUMN on rqlited", func() { directExec(t, url, "ALTER TABLE s RENAME COLUMN z TO a") },
			[]string{"id", "a"}, []any{int64(1), 1.0}},
	}
	for _, ch := range changes {
		ch.do()
		check(ch.name, star, ch.cols, ch.row)
	}
	// named now reads id and a again, after its columns were gone for a while.
	check("named after the changes", named, []string{"id", "a"}, []any{int64(1), 1.0})

	// A statement that fails for its own reasons fails once learnt again.
	directExec(t, url, "DROP TABLE s")
	for _, s := range []driver.Stmt{star, named} {
		_, err := d.Query(ctx, s, collector())
		var se *driver.StmtError
		if err == nil || !strings.Contains(err.Error(), "no such table") {
			t.Errorf("Query(%s) after DROP TABLE = %v, want no such table", s.SQL, err)
		}
		_, err = d.Batch(ctx, []driver.Op{{Stmt: readStmt("SELECT 1"), Query: true}, {Stmt: s, Query: true}}, collector())
		if !errors.As(err, &se) || se.Op != 1 || !strings.Contains(err.Error(), "no such table") {
			t.Errorf("Batch(%s) after DROP TABLE = %v, want ops[1]: no such table", s.SQL, err)
		}
	}
}
