package namespaced

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/orama-network/orama/sdk/database"
)

// BenchmarkSQLitePointQueryParallel runs the point query from many
// goroutines in one namespace (SetParallelism 16 × GOMAXPROCS), as a
// gateway under load sends them: what the statement limits
// (max_concurrent_statements, statement_timeout) cost on the hot path.
func BenchmarkSQLitePointQueryParallel(b *testing.B) {
	for _, c := range []struct {
		name  string
		attrs map[string]any
	}{
		{"default", nil}, // max_concurrent_statements 4 of 8 readers
		{"readers=4", map[string]any{"max_open_conns": 4}},                                       // cap 2
		{"readers=4,cap=4", map[string]any{"max_open_conns": 4, "max_concurrent_statements": 4}}, // the old default, uncapped
	} {
		b.Run(c.name, func(b *testing.B) { benchParallel(b, benchBackend(b, c.attrs)) })
	}
}

func benchParallel(b *testing.B, be *Backend) {
	ctx := context.Background()
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			rows, err := be.Query(ctx, benchNS, database.Statement{SQL: benchSelect, Args: []any{i%benchRows + 1}})
			if err != nil || len(rows.Rows) != 1 {
				b.Errorf("%v %v", rows, err)
				return
			}
		}
	})
}
