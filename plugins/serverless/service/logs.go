package service

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/plugins/serverless/store"
)

// Log writer tuning: entries buffered at most (beyond: dropped and
// counted), entries per database transaction, and how long an entry may
// wait for its batch.
const (
	logBuffer     = 16_384
	logBatch      = 512
	logFlushEvery = 250 * time.Millisecond
	logWriteLimit = 10 * time.Second // one batch's database write
)

// logWriter writes log entries to the store in the background.
type logWriter struct {
	st   *store.Store
	keep int
	log  hclog.Logger

	in      chan store.LogRow
	flushes chan chan struct{}
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
	dropped atomic.Int64 // entries lost since the last report
}

func newLogWriter(st *store.Store, keep int, log hclog.Logger) *logWriter {
	w := &logWriter{st: st, keep: keep, log: log, in: make(chan store.LogRow, logBuffer),
		flushes: make(chan chan struct{}), stop: make(chan struct{}), done: make(chan struct{})}
	go w.run()
	return w
}

// add queues entries without waiting; what does not fit is dropped and
// counted.
func (w *logWriter) add(entries ...store.LogRow) {
	for _, e := range entries {
		select {
		case w.in <- e:
		default:
			w.dropped.Add(1)
		}
	}
}

// flush writes everything queued before the call; it returns when done
// or when ctx ends.
func (w *logWriter) flush(ctx context.Context) {
	ack := make(chan struct{})
	select {
	case w.flushes <- ack:
	case <-w.done:
		return
	case <-ctx.Done():
		return
	}
	select {
	case <-ack:
	case <-ctx.Done():
	}
}

// close writes what is queued (bounded by ctx) and stops the writer.
func (w *logWriter) close(ctx context.Context) {
	w.once.Do(func() { close(w.stop) })
	select {
	case <-w.done:
	case <-ctx.Done():
	}
}

func (w *logWriter) run() {
	defer close(w.done)
	t := time.NewTicker(logFlushEvery)
	defer t.Stop()
	batch := make([]store.LogRow, 0, logBatch)
	for {
		select {
		case e := <-w.in:
			batch = append(batch, e)
			if len(batch) >= logBatch {
				batch = w.write(batch)
			}
		case <-t.C:
			batch = w.write(batch)
		case ack := <-w.flushes:
			batch = w.write(w.drain(batch))
			close(ack)
		case <-w.stop:
			w.write(w.drain(batch))
			return
		}
	}
}

// drain appends every queued entry to batch, writing full batches.
func (w *logWriter) drain(batch []store.LogRow) []store.LogRow {
	for n := len(w.in); n > 0; n-- {
		batch = append(batch, <-w.in)
		if len(batch) >= logBatch {
			batch = w.write(batch)
		}
	}
	return batch
}

// write stores batch (failures are logged: the entries are lost) and
// returns it emptied.
func (w *logWriter) write(batch []store.LogRow) []store.LogRow {
	if n := w.dropped.Swap(0); n > 0 {
		w.log.Warn("function log entries dropped: the log buffer was full", "dropped", n)
	}
	if len(batch) == 0 {
		return batch
	}
	ctx, cancel := context.WithTimeout(context.Background(), logWriteLimit)
	defer cancel()
	if err := w.st.AppendLogs(ctx, batch, w.keep); err != nil {
		w.log.Warn("function log entries lost: the database write failed", "entries", len(batch), "error", err)
	}
	clear(batch)
	return batch[:0]
}
