package service

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/plugins/serverless/store"
	"github.com/orama-network/orama/sdk/database"
)

// stuckDB blocks every transaction until release is closed.
type stuckDB struct {
	database.Database
	release chan struct{}
	writes  atomic.Int64
}

func (d *stuckDB) Transaction(ctx context.Context, _ string, ops []database.Op, _ bool) ([]database.OpResult, error) {
	select {
	case <-d.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	d.writes.Add(1)
	return nil, nil
}

// TestLogWriterNeverBlocks: with the database stuck, adding far more
// entries than the buffer holds returns at once, and the excess is
// counted as dropped.
func TestLogWriterNeverBlocks(t *testing.T) {
	db := &stuckDB{release: make(chan struct{})}
	w := newLogWriter(store.New(db), 10, hclog.NewNullLogger())
	const extra = 1000
	added := make(chan struct{})
	go func() {
		for range logBuffer + logBatch + extra {
			w.add(store.LogRow{Namespace: "ns", Name: "f"})
		}
		close(added)
	}()
	select {
	case <-added:
	case <-time.After(time.Minute):
		t.Fatal("add blocked while the database was stuck")
	}
	if d := w.dropped.Load(); d < extra {
		t.Errorf("dropped %d, want at least %d", d, extra)
	}
	close(db.release)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w.flush(ctx)
	if db.writes.Load() == 0 {
		t.Error("nothing written once the database answered")
	}
	w.close(ctx)
}
