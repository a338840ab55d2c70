package namespaced

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func exec(t *testing.T, b *Backend, ns, sql string, args ...any) {
	t.Helper()
	if _, err := b.Exec(t.Context(), ns, database.Statement{SQL: sql, Args: args}); err != nil {
		t.Fatalf("Exec(%s): %v", sql, err)
	}
}

func TestResultLimitsOnSQLite(t *testing.T) {
	b := startBackend(t, map[string]any{"max_rows": 100, "max_result_bytes": 2048})
	ctx := t.Context()
	exec(t, b, "ns", "CREATE TABLE t (s TEXT)")
	exec(t, b, "ns", "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 60) INSERT INTO t SELECT printf('%050d', n) FROM c")

	// 60 rows of 50 bytes: within max_rows, past max_result_bytes.
	_, err := b.Query(ctx, "ns", database.Statement{SQL: "SELECT s FROM t"})
	if e := plugintest.WantCode(t, err, "60 rows of 50 bytes", sdk.CodeTooLarge); e != nil && !strings.Contains(e.Message, "max_result_bytes") {
		t.Errorf("message %q does not name max_result_bytes", e.Message)
	}
	if rows, err := b.Query(ctx, "ns", database.Statement{SQL: "SELECT s FROM t LIMIT 40"}); err != nil || len(rows.Rows) != 40 {
		t.Errorf("40 rows of 50 bytes: %v", err)
	}
	// max_rows spans every query of a transaction.
	q := database.Op{Kind: database.OpQuery, Statement: database.Statement{SQL: "SELECT 1 FROM t LIMIT 60"}}
	_, err = b.Transaction(ctx, "ns", []database.Op{q, q}, true)
	if e := plugintest.WantCode(t, err, "two queries of 60 rows", sdk.CodeTooLarge); e != nil && !strings.Contains(e.Message, "max_rows") {
		t.Errorf("message %q does not name max_rows", e.Message)
	}
}

func TestStatementTimeoutOnSQLite(t *testing.T) {
	b := startBackend(t, map[string]any{"statement_timeout": "100ms"})
	endless := database.Statement{SQL: "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c) SELECT count(*) FROM c"}
	_, err := b.Query(t.Context(), "ns", endless)
	if e := plugintest.WantCode(t, err, "an endless query", sdk.CodeInvalid); e != nil && !strings.Contains(e.Message, "statement_timeout (100ms)") {
		t.Errorf("message %q", e.Message)
	}
	if _, err := b.Query(t.Context(), "ns", database.Statement{SQL: "SELECT 1"}); err != nil {
		t.Errorf("after a timed-out statement: %v", err)
	}
}

// TestCloseWhileServing closes a Backend under load: calls in flight end
// with an sdk error (no panic, no hang) and later calls are unavailable.
func TestCloseWhileServing(t *testing.T) {
	b := New(testLogger(t))
	if err := b.Configure(t.Context(), testConfig(t, nil)); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	exec(t, b, "ns", "CREATE TABLE t (n)")
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				_, err := b.Exec(ctx, "ns", database.Statement{SQL: "INSERT INTO t VALUES (?)", Args: []any{i}})
				if err == nil {
					_, err = b.Query(ctx, "ns", database.Statement{SQL: fmt.Sprintf("SELECT count(*) FROM t WHERE n > %d", w)})
				}
				var e *sdk.Error
				if err != nil && !errors.As(err, &e) {
					t.Errorf("worker %d: %T %v is not an sdk.Error", w, err, err)
					return
				}
			}
		})
	}
	time.Sleep(50 * time.Millisecond)
	if err := b.Close(ctx); err != nil {
		t.Errorf("Close under load: %v", err)
	}
	close(stop)
	wg.Wait()
	_, err := b.Query(ctx, "ns", database.Statement{SQL: "SELECT 1"})
	plugintest.WantCode(t, err, "Query after Close", sdk.CodeUnavailable)
}
