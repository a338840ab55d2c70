package namespaced

import (
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func TestMetricsMoveWithStatements(t *testing.T) {
	b := startBackend(t, nil)
	ctx := t.Context()
	m := func(name string, labels ...string) float64 { return plugintest.Metric(t, name, labels...) }
	reads, writes := m("orama_db_statements_total", "kind", "read"), m("orama_db_statements_total", "kind", "write")
	durations := m("orama_db_statement_duration_seconds")
	returned, affected := m("orama_db_rows_returned_total"), m("orama_db_rows_affected_total")
	invalid := m("orama_db_errors_total", "code", "invalid")

	exec(t, b, "ns", "CREATE TABLE t (n INTEGER)")
	exec(t, b, "ns", "INSERT INTO t VALUES (1), (2), (3)")
	if _, err := b.Query(ctx, "ns", database.Statement{SQL: "SELECT n FROM t"}); err != nil {
		t.Fatal(err)
	}
	q := database.Op{Kind: database.OpQuery, Statement: database.Statement{SQL: "SELECT n FROM t LIMIT 2"}}
	w := database.Op{Kind: database.OpExec, Statement: database.Statement{SQL: "UPDATE t SET n = n + 1"}}
	if _, err := b.Transaction(ctx, "ns", []database.Op{q, w}, false); err != nil {
		t.Fatal(err)
	}
	_, err := b.Query(ctx, "ns", database.Statement{SQL: "SELEKT"})
	plugintest.WantCode(t, err, "bad SQL", sdk.CodeInvalid)

	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"read statements", m("orama_db_statements_total", "kind", "read") - reads, 2},
		{"write statements", m("orama_db_statements_total", "kind", "write") - writes, 3},
		{"engine calls timed", m("orama_db_statement_duration_seconds") - durations, 4},
		{"rows returned", m("orama_db_rows_returned_total") - returned, 5},
		{"rows affected", m("orama_db_rows_affected_total") - affected, 6},
		{"invalid errors", m("orama_db_errors_total", "code", "invalid") - invalid, 1},
	} {
		if c.got != c.want {
			t.Errorf("%s moved by %v, want %v", c.what, c.got, c.want)
		}
	}
}
