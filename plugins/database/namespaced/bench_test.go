package namespaced

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/plugins/database/nsql"
	"github.com/orama-network/orama/plugins/database/rqlite/rqlitetest"
	"github.com/orama-network/orama/sdk/database"
)

// The benchmarks read and write one row of a small table by primary key,
// side by side: on SQLite and on one real rqlited node, each through the
// engine's driver alone ("driver": the statement rewritten once, then run
// in-process) and through the Backend ("backend": checks, nsql rewrite on
// every call, limits, error mapping), and
// the same statements sent straight to rqlite's HTTP API with net/http
// (BenchmarkRqliteHTTPDirect), the floor for the rqlite driver.

const (
	benchNS     = "bench"
	benchSchema = "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB)"
	benchSelect = "SELECT id, name, score, data FROM items WHERE id = ?"
	benchInsert = "INSERT INTO items (name, score, data) VALUES (?, ?, ?)"
	benchRows   = 1000
)

var benchArgs = []any{"orama", 12.5, []byte("0123456789abcdef")}

// benchBackend configures a Backend with attrs and fills the table.
func benchBackend(b *testing.B, attrs map[string]any) *Backend {
	be := startBackend(b, attrs)
	ctx := context.Background()
	if err := be.CreateTable(ctx, benchNS, benchSchema); err != nil {
		b.Fatal(err)
	}
	ops := make([]database.Op, benchRows)
	for i := range ops {
		ops[i] = database.Op{Kind: database.OpExec, Statement: database.Statement{SQL: benchInsert, Args: benchArgs}}
	}
	if _, err := be.Transaction(ctx, benchNS, ops, false); err != nil {
		b.Fatal(err)
	}
	return be
}

// physical rewrites a benchmark statement for the driver.
func physical(b *testing.B, sql string, args ...any) driver.Stmt {
	st, err := nsql.Rewrite(benchNS, sql)
	if err != nil {
		b.Fatal(err)
	}
	return driver.Stmt{SQL: st.SQL, Args: args, ReadOnly: st.ReadOnly, Select: st.Kind == "select"}
}

func benchPointQuery(b *testing.B, be *Backend) {
	ctx := context.Background()
	s := be.cur.Load()
	b.Run("driver", func(b *testing.B) {
		st := physical(b, benchSelect)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			st.Args = []any{int64(i%benchRows + 1)}
			rows, err := s.drv.Query(ctx, st, driver.NewCollector(s.limits))
			if err != nil || len(rows.Rows) != 1 {
				b.Fatalf("%v %v", rows, err)
			}
		}
	})
	b.Run("backend", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			rows, err := be.Query(ctx, benchNS, database.Statement{SQL: benchSelect, Args: []any{int64(i%benchRows + 1)}})
			if err != nil || len(rows.Rows) != 1 {
				b.Fatalf("%v %v", rows, err)
			}
		}
	})
}

func benchPointInsert(b *testing.B, be *Backend) {
	ctx := context.Background()
	s := be.cur.Load()
	b.Run("driver", func(b *testing.B) {
		st := physical(b, benchInsert, benchArgs...)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.drv.Exec(ctx, st); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("backend", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := be.Exec(ctx, benchNS, database.Statement{SQL: benchInsert, Args: benchArgs}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkSQLitePointQuery(b *testing.B) { benchPointQuery(b, benchBackend(b, nil)) }

func BenchmarkSQLitePointInsert(b *testing.B) { benchPointInsert(b, benchBackend(b, nil)) }

func rqliteBackend(b *testing.B) (*Backend, *rqlitetest.Cluster) {
	c := rqlitetest.Start(b, 1)
	return benchBackend(b, map[string]any{"driver": "rqlite", "hosts": c.URLs()}), c
}

func BenchmarkRqlitePointQuery(b *testing.B) {
	be, _ := rqliteBackend(b)
	benchPointQuery(b, be)
}

func BenchmarkRqlitePointInsert(b *testing.B) {
	be, _ := rqliteBackend(b)
	benchPointInsert(b, be)
}

// BenchmarkRqliteHTTPDirect sends the benchmarks' physical statements to
// rqlite's HTTP API with net/http and decodes the JSON with encoding/json.
func BenchmarkRqliteHTTPDirect(b *testing.B) {
	_, c := rqliteBackend(b)
	hc := &http.Client{}
	post := func(b *testing.B, path string, body []byte) {
		res, err := hc.Post(c.Nodes[0].URL+path, "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		var out struct {
			Results []struct {
				Values [][]any `json:"values"`
				Error  string  `json:"error"`
			} `json:"results"`
		}
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil || len(out.Results) != 1 || out.Results[0].Error != "" {
			b.Fatalf("%v %+v", err, out)
		}
		_, _ = io.Copy(io.Discard, res.Body)
	}
	sel := physical(b, benchSelect).SQL
	ins := physical(b, benchInsert).SQL
	b.Run("PointQuery", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			post(b, "/db/query?level=weak", fmt.Appendf(nil, `[[%q, %d]]`, sel, i%benchRows+1))
		}
	})
	b.Run("PointInsert", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			post(b, "/db/execute", fmt.Appendf(nil, `[[%q, "orama", 12.5, [48,49,50,51,52,53,54,55,56,57,97,98,99,100,101,102]]]`, ins))
		}
	})
}
