package rqlite

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk"
)

// Concurrent independent single-statement calls of the same kind (a warm
// typed read; a plain INSERT, UPDATE, DELETE or REPLACE) share rqlite
// requests ("group commit", see the package doc): while fewer than
// Options.InFlight requests of a lane are on their way, a call is sent at
// once, alone; the calls that arrive meanwhile wait and go together in
// one request when a slot frees. A request takes the waiting calls in the
// order they came, but no more of one tenant than leaves it at most
// Options.Share statements on their way in the lane: a tenant with many
// calls waiting keeps its share of the lane busy and leaves the rest to
// the others, so no call waits behind more than a share of any tenant's
// statements, however many of them wait.
const (
	maxBatch    = 64       // statements in one merged request
	maxBatchLen = 64 << 10 // bytes of statements in one merged request
)

// lane merges the calls of one kind.
type lane struct {
	d     *Driver
	path  string
	write bool
	mode  mode
	limit int // requests on their way at once; 0: every call alone
	share int // statements of one tenant on their way at once; 0: no bound

	mu    sync.Mutex
	busy  int            // requests on their way
	sent  map[string]int // statements of each tenant on their way (share > 0)
	queue []*member
}

// member is one call waiting in a lane.
type member struct {
	stmt     []byte // the statement as an item of rqlite's JSON array
	tenant   string
	lim      driver.Limits
	deadline time.Time // of the caller's context (zero: none); reads only
	done     chan struct{}
	res      *result
	err      error
}

// lanes are the driver's two lanes: typed reads and plain writes.
type lanes struct {
	read, write lane
}

func (l *lanes) init(d *Driver, inFlight, share int) {
	l.read = lane{d: d, path: "/db/query", mode: modeTyped, limit: inFlight, share: share}
	l.write = lane{d: d, path: "/db/execute", write: true, mode: modeExec, limit: inFlight, share: share}
}

// Merges reports whether Query (query true) or Exec of stmt goes through
// a lane (driver.Merger): a read-only SELECT whose columns are known and
// few enough to be read typed, or a coalescable write.
func (d *Driver) Merges(stmt driver.Stmt, query bool) bool {
	if d.lanes.read.limit <= 0 {
		return false
	}
	if query {
		if !stmt.ReadOnly || !stmt.Select {
			return false
		}
		sh, ok := d.shapes.get(stmt.SQL)
		return ok && len(sh.names) <= maxTyped
	}
	return !stmt.ReadOnly && coalescable(stmt.SQL)
}

// coalescable reports whether a write may share a request with others:
// a single INSERT, UPDATE, DELETE or REPLACE without RETURNING. Anything
// else (DDL, PRAGMA, transaction control) could change how the statements
// after it run.
func coalescable(sql string) bool {
	if hasReturning(sql) {
		return false
	}
	s := strings.TrimLeft(sql, " \t\r\n")
	for _, kw := range []string{"INSERT", "UPDATE", "DELETE", "REPLACE"} {
		if len(s) > len(kw) && strings.EqualFold(s[:len(kw)], kw) {
			switch s[len(kw)] {
			case ' ', '\t', '\r', '\n':
				return true
			}
		}
	}
	return false
}

// one runs a single statement through the lane and returns its result
// (a response of one result); its rows are counted against c.
func (l *lane) one(ctx context.Context, stmt driver.Stmt, c *driver.Collector) (*response, error) {
	var b body
	if err := b.add(stmt); err != nil {
		return nil, err
	}
	m := &member{stmt: b.buf.Bytes()[1:], tenant: stmt.Tenant, lim: c.Limits(), done: make(chan struct{})}
	if dl, ok := ctx.Deadline(); ok && !l.write {
		m.deadline = dl
	}
	if l.limit <= 0 {
		l.send(ctx, []*member{m})
		return l.result(m, c)
	}
	l.mu.Lock()
	if l.busy < l.limit && l.room(m.tenant, 0) {
		l.busy++
		l.count([]*member{m}, 1)
		l.mu.Unlock()
		l.send(ctx, []*member{m})
		l.next([]*member{m})
	} else {
		l.queue = append(l.queue, m)
		l.mu.Unlock()
		select {
		case <-m.done:
		case <-ctx.Done():
			l.mu.Lock()
			if i := slices.Index(l.queue, m); i >= 0 { // not sent: it never runs
				l.queue = slices.Delete(l.queue, i, i+1)
			}
			l.mu.Unlock()
			return nil, ctx.Err()
		}
	}
	return l.result(m, c)
}

// result is what one returns for m.
func (l *lane) result(m *member, c *driver.Collector) (*response, error) {
	if m.err != nil {
		return nil, m.err
	}
	if err := replay(m.res, c); err != nil {
		return nil, err
	}
	return &response{results: []*result{m.res}}, nil
}

// next gives the slot of a finished request (of the calls done) to the
// calls that queued meanwhile, or frees it.
func (l *lane) next(done []*member) {
	l.mu.Lock()
	l.count(done, -1)
	var batch []*member
	if len(l.queue) > 0 {
		batch = l.take()
	}
	if len(batch) == 0 {
		// Nothing waits, or only calls of tenants whose share is on its
		// way: the requests carrying it take them when they come back.
		l.busy--
		l.mu.Unlock()
		return
	}
	l.mu.Unlock()
	go func() {
		ctx, cancel := l.batchContext(batch)
		defer cancel()
		l.send(ctx, batch)
		for _, m := range batch {
			close(m.done)
		}
		l.next(batch)
	}()
}

// take removes from the queue (l.mu held) the calls of the next request
// and counts them as on their way: in the order they came, at most
// maxBatch and maxBatchLen bytes of statements (the first call always
// fits), and no call of a tenant whose share is on its way. It may be
// empty.
func (l *lane) take() []*member {
	var batch []*member
	var per map[string]int // calls of each tenant in batch (share > 0)
	size := 0
	kept := l.queue[:0] // the calls that wait on, in order (in place)
	for _, m := range l.queue {
		ok := len(batch) < maxBatch && (len(batch) == 0 || size+len(m.stmt) <= maxBatchLen)
		if ok && l.share > 0 && m.tenant != "" {
			if per == nil {
				per = map[string]int{}
			}
			if ok = l.room(m.tenant, per[m.tenant]); ok {
				per[m.tenant]++
			}
		}
		if !ok {
			kept = append(kept, m)
			continue
		}
		batch = append(batch, m)
		size += len(m.stmt) + 1
	}
	clear(l.queue[len(kept):])
	l.queue = kept
	l.count(batch, 1)
	return batch
}

// room reports (l.mu held) whether one more call of tenant may go on its
// way beside extra of its calls already chosen for the same request.
// Calls without a tenant are not bounded.
func (l *lane) room(tenant string, extra int) bool {
	return l.share <= 0 || tenant == "" || l.sent[tenant]+extra < l.share
}

// count adds d (l.mu held) to the statements on their way of the tenants
// of ms.
func (l *lane) count(ms []*member, d int) {
	if l.share <= 0 {
		return
	}
	for _, m := range ms {
		if m.tenant == "" {
			continue
		}
		if l.sent == nil {
			l.sent = map[string]int{}
		}
		if l.sent[m.tenant] += d; l.sent[m.tenant] <= 0 {
			delete(l.sent, m.tenant)
		}
	}
}

// batchContext is the context of a merged request: the driver's life,
// until the latest deadline of its reads (none if one has none).
func (l *lane) batchContext(batch []*member) (context.Context, context.CancelFunc) {
	var last time.Time
	for _, m := range batch {
		if m.deadline.IsZero() {
			return context.WithCancel(l.d.life)
		}
		if m.deadline.After(last) {
			last = m.deadline
		}
	}
	return context.WithDeadline(l.d.life, last)
}

// send sends the statements of batch as one request and sets each
// member's own result or error. While the answer is read, its rows count
// against the members' row limits together and its bytes against the
// largest byte limit of a member (so it holds no more than one call could);
// past them each read is sent again alone. The callers count their own
// rows against their own limits (replay).
func (l *lane) send(ctx context.Context, batch []*member) {
	size := 2
	var lim driver.Limits
	for _, m := range batch {
		size += len(m.stmt) + 1
		lim.MaxRows += m.lim.MaxRows
		lim.MaxBytes = max(lim.MaxBytes, m.lim.MaxBytes)
	}
	buf := make([]byte, 0, size)
	buf = append(buf, '[')
	for i, m := range batch {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, m.stmt...)
	}
	buf = append(buf, ']')
	params := l.d.writeParams(false)
	if !l.write {
		params = l.d.readParams(ctx, false)
	}
	m := l.mode
	call := call{path: l.path, query: params, body: buf, write: l.write, modes: func(int) mode { return m }}
	resp, err := l.d.do(ctx, call, driver.NewCollector(lim))
	if err != nil && len(batch) > 1 && !l.write && sdk.AsError(err).Code == sdk.CodeTooLarge {
		// The answers together passed the limits: read each alone.
		for _, m := range batch {
			l.send(ctx, []*member{m})
		}
		return
	}
	for i, m := range batch {
		switch {
		case err != nil:
			m.err = err
		case i >= len(resp.results):
			m.err = sdk.Errorf(sdk.CodeInternal, "rqlite returned %d results for %d statements", len(resp.results), len(batch))
		default:
			m.res = resp.results[i]
		}
	}
}

// replay counts a result's rows and cells against c.
func replay(res *result, c *driver.Collector) error {
	for _, row := range res.rows {
		if err := c.Row(); err != nil {
			return err
		}
		for _, v := range row {
			if err := c.Cell(v); err != nil {
				return err
			}
		}
	}
	return nil
}
