package rqlite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/plugins/database/rqlite/rqlitetest"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// hold takes every slot of l, so calls queue; the returned func hands
// the slots back through next, as finished requests do: the queue goes
// out as one request.
func hold(l *lane) (release func()) {
	l.mu.Lock()
	n := l.limit - l.busy
	l.busy = l.limit
	l.mu.Unlock()
	return func() {
		for range n {
			l.next(nil)
		}
	}
}

// waitQueued waits (bounded) until n calls wait in l.
func waitQueued(t *testing.T, l *lane, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		l.mu.Lock()
		got := len(l.queue)
		l.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d calls queued, want %d", got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestCoalescable(t *testing.T) {
	for sql, want := range map[string]bool{
		"INSERT INTO t VALUES (1)":              true,
		"  insert\tINTO t VALUES (1)":           true,
		"UPDATE t SET a = 1":                    true,
		"delete from t":                         true,
		"REPLACE INTO t VALUES (1)":             true,
		"INSERT INTO t VALUES (1) RETURNING id": false,
		"INSERTX":                               false,
		"CREATE TABLE t (a)":                    false,
		"BEGIN":                                 false,
		"PRAGMA foreign_keys = 1":               false,
		"WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x": false,
	} {
		if got := coalescable(sql); got != want {
			t.Errorf("coalescable(%q) = %v, want %v", sql, got, want)
		}
	}
}

// TestCoalescedWrites sends inserts that queued together as one request
// to a real rqlited; the ones in the middle fail (duplicate key, NOT
// NULL, no such table), and every caller gets exactly its own outcome.
func TestCoalescedWrites(t *testing.T) {
	c := rqlitetest.Start(t, 1)
	d := openTest(t, c.URLs(), "weak")
	rec := record(d)
	ctx := t.Context()
	if _, err := d.Exec(ctx, stmt("CREATE TABLE w (id INTEGER PRIMARY KEY, v NOT NULL)")); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, stmt("INSERT INTO w VALUES (1, 'one')")); err != nil {
		t.Fatal(err)
	}
	stmts := []driver.Stmt{
		stmt("INSERT INTO w VALUES (?, ?)", int64(10), int64(1<<53+1)),
		stmt("INSERT INTO w VALUES (?, ?)", int64(1), "dup"), // duplicate key
		stmt("INSERT INTO w VALUES (?, ?)", int64(11), 2.0),
		stmt("INSERT INTO w VALUES (?, ?)", int64(12), nil), // NOT NULL
		stmt("INSERT INTO nosuch VALUES (?)", int64(1)),     // does not compile
		stmt("INSERT INTO w VALUES (?, ?)", int64(13), []byte{0, 1, 0xff}),
		stmt("UPDATE w SET v = v || '!' WHERE id = ?", int64(1)),
	}
	wantErr := map[int]string{1: "UNIQUE constraint failed", 3: "NOT NULL constraint failed", 4: "no such table"}
	rec.take()
	release := hold(&d.lanes.write)
	res := make([]database.ExecResult, len(stmts))
	errs := make([]error, len(stmts))
	var wg sync.WaitGroup
	for i, s := range stmts {
		wg.Go(func() { res[i], errs[i] = d.Exec(ctx, s) })
		waitQueued(t, &d.lanes.write, i+1) // in this order
	}
	release()
	wg.Wait()
	reqs := rec.take()
	if len(reqs) != 1 || strings.Count(reqs[0], "INSERT INTO") != 6 {
		t.Fatalf("sent %q, want the %d statements in one request", reqs, len(stmts))
	}
	for i := range stmts {
		if want, ok := wantErr[i]; ok {
			var se *driver.StmtError
			if !errors.As(errs[i], &se) || !strings.Contains(errs[i].Error(), want) {
				t.Errorf("stmts[%d]: %v, want %q", i, errs[i], want)
			}
			continue
		}
		if errs[i] != nil {
			t.Errorf("stmts[%d]: %v", i, errs[i])
		}
	}
	for i, id := range map[int]int64{0: 10, 2: 11, 5: 13} {
		if res[i].LastInsertID != id || res[i].RowsAffected != 1 {
			t.Errorf("stmts[%d] = %+v, want id %d", i, res[i], id)
		}
	}
	if res[6].RowsAffected != 1 {
		t.Errorf("update = %+v", res[6])
	}
	rows, err := d.Query(ctx, readStmt("SELECT id, v FROM w ORDER BY id"), collector())
	if err != nil {
		t.Fatal(err)
	}
	want := [][]any{{int64(1), "one!"}, {int64(10), int64(1<<53 + 1)}, {int64(11), 2.0}, {int64(13), []byte{0, 1, 0xff}}}
	if !reflect.DeepEqual(rows.Rows, want) {
		t.Errorf("stored %#v, want %#v", rows.Rows, want)
	}
}

// onTheirWay counts the statements containing word in requests on their
// way through it, and the most at once; each request waits 50 ms before
// it goes on, so that requests sent together overlap.
type onTheirWay struct {
	next      http.RoundTripper
	word      string
	mu        sync.Mutex
	now, peak int
}

func (o *onTheirWay) RoundTrip(req *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(b))
	n := strings.Count(string(b), o.word)
	o.mu.Lock()
	o.now += n
	o.peak = max(o.peak, o.now)
	o.mu.Unlock()
	time.Sleep(50 * time.Millisecond)
	resp, err := o.next.RoundTrip(req)
	o.mu.Lock()
	o.now -= n
	o.mu.Unlock()
	return resp, err
}

// TestMergedRequestsShareBetweenTenants: a tenant with many calls
// waiting has at most its share of statements on their way in the lane
// (in_flight 2, so two requests could carry twice as many); another
// tenant's call that queued after all of them goes in the first request,
// and every call runs once.
func TestMergedRequestsShareBetweenTenants(t *testing.T) {
	c := rqlitetest.Start(t, 1)
	d := openTest(t, c.URLs(), "weak")
	d.lanes.write.share = 4
	rec := record(d)
	way := &onTheirWay{next: d.hc.Transport, word: "'hog'"}
	d.hc = &http.Client{Transport: way}
	ctx := t.Context()
	if _, err := d.Exec(ctx, stmt("CREATE TABLE s (id INTEGER PRIMARY KEY, who TEXT NOT NULL)")); err != nil {
		t.Fatal(err)
	}
	rec.take()
	release := hold(&d.lanes.write)
	errs := make([]error, 11)
	var wg sync.WaitGroup
	for i := range 10 {
		s := stmt("INSERT INTO s VALUES (?, 'hog')", int64(i+1))
		s.Tenant = "hog"
		wg.Go(func() { _, errs[i] = d.Exec(ctx, s) })
		waitQueued(t, &d.lanes.write, i+1)
	}
	calm := stmt("INSERT INTO s VALUES (100, 'calm')")
	calm.Tenant = "calm"
	wg.Go(func() { _, errs[10] = d.Exec(ctx, calm) })
	waitQueued(t, &d.lanes.write, 11)
	release()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("call %d: %v", i, err)
		}
	}
	reqs := rec.take()
	hogs, calms := 0, 0
	for _, r := range reqs {
		h := strings.Count(r, "'hog'")
		if h > 4 {
			t.Errorf("a request carried %d statements of one tenant, share 4: %s", h, r)
		}
		if strings.Contains(r, "'calm'") {
			calms++
			if h != 4 {
				t.Errorf("the calm tenant's statement went with %d of the hog's, want 4 (the first request): %s", h, r)
			}
		}
		hogs += h
	}
	if len(reqs) != 3 || hogs != 10 || calms != 1 {
		t.Fatalf("%d requests with %d hog and %d calm statements, want 3 with 10 and 1: %q", len(reqs), hogs, calms, reqs)
	}
	if way.peak != 4 {
		t.Errorf("at most %d of the hog's statements were on their way at once, want its share, 4", way.peak)
	}
	rows, err := d.Query(ctx, readStmt("SELECT who, count(*) FROM s GROUP BY who ORDER BY who"), collector())
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]any{{"calm", int64(1)}, {"hog", int64(10)}}; !reflect.DeepEqual(rows.Rows, want) {
		t.Errorf("stored %v, want %v", rows.Rows, want)
	}
}

// TestCoalescedReads reads typed statements that queued together in one
// request to a real rqlited, one of them failing: each caller gets its own
// exact rows or its error.
func TestCoalescedReads(t *testing.T) {
	c := rqlitetest.Start(t, 1)
	d := openTest(t, c.URLs(), "weak")
	rec := record(d)
	ctx := t.Context()
	for _, s := range []string{
		"CREATE TABLE r (id INTEGER PRIMARY KEY, v)", "CREATE TABLE gone (a)",
		"INSERT INTO r VALUES (1, 9007199254740993), (2, 2.0), (3, x'00ff'), (4, NULL), (5, 'text')",
	} {
		if _, err := d.Exec(ctx, stmt(s)); err != nil {
			t.Fatal(err)
		}
	}
	point := readStmt("SELECT v FROM r WHERE id = ?")
	failing := readStmt("SELECT a FROM gone")
	for _, s := range []driver.Stmt{readStmt(point.SQL, int64(1)), failing} { // learn their shapes
		if _, err := d.Query(ctx, s, collector()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Exec(ctx, stmt("DROP TABLE gone")); err != nil {
		t.Fatal(err)
	}
	want := []any{int64(1<<53 + 1), 2.0, []byte{0, 0xff}, nil, "text"}
	rec.take()
	release := hold(&d.lanes.read)
	var wg sync.WaitGroup
	got := make([]*database.Rows, 6)
	errs := make([]error, 6)
	for i := range 6 {
		s := failing
		if i < 5 {
			s = readStmt(point.SQL, int64(i+1))
		}
		wg.Go(func() { got[i], errs[i] = d.Query(ctx, s, collector()) })
	}
	waitQueued(t, &d.lanes.read, 6)
	release()
	wg.Wait()
	reqs := rec.take()
	if len(reqs) == 0 || strings.Count(reqs[0], "UNION ALL") != 6 {
		t.Fatalf("first request %q, want the 6 typed statements together", reqs)
	}
	for i := range 5 {
		if errs[i] != nil {
			t.Errorf("read %d: %v", i, errs[i])
			continue
		}
		if !reflect.DeepEqual(got[i].Rows, [][]any{{want[i]}}) || !reflect.DeepEqual(got[i].Columns, []string{"v"}) {
			t.Errorf("read %d = %v %#v, want %#v", i, got[i].Columns, got[i].Rows, want[i])
		}
	}
	if errs[5] == nil || !strings.Contains(errs[5].Error(), "no such table") {
		t.Errorf("read of the dropped table = %v, want no such table", errs[5])
	}
}

// TestCoalescedCallCancelledWhileQueued: a write whose caller gave up
// while it waited in the queue is never sent.
func TestCoalescedCallCancelledWhileQueued(t *testing.T) {
	c := rqlitetest.Start(t, 1)
	d := openTest(t, c.URLs(), "weak")
	ctx := t.Context()
	if _, err := d.Exec(ctx, stmt("CREATE TABLE q (id INTEGER PRIMARY KEY)")); err != nil {
		t.Fatal(err)
	}
	release := hold(&d.lanes.write)
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := d.Exec(cctx, stmt("INSERT INTO q VALUES (1)"))
		done <- err
	}()
	waitQueued(t, &d.lanes.write, 1)
	var wg sync.WaitGroup
	wg.Go(func() {
		if _, err := d.Exec(ctx, stmt("INSERT INTO q VALUES (2)")); err != nil {
			t.Error(err)
		}
	})
	waitQueued(t, &d.lanes.write, 2)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled call = %v", err)
	}
	waitQueued(t, &d.lanes.write, 1)
	release()
	wg.Wait()
	rows, err := d.Query(ctx, readStmt("SELECT id FROM q"), collector())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows.Rows, [][]any{{int64(2)}}) {
		t.Errorf("rows %v, want only the write that was not cancelled", rows.Rows)
	}
}

// TestCoalescedRequestFailure: when the merged request fails as a whole
// (the connection dropped after it was sent), every caller gets that
// failure, and the writes are not sent again.
func TestCoalescedRequestFailure(t *testing.T) {
	n := newFakeNode(t, reset)
	d := fakeDriver(t, n.URL)
	release := hold(&d.lanes.write)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { _, errs[i] = d.Exec(t.Context(), stmt("INSERT INTO t VALUES (?)", int64(i))) })
	}
	waitQueued(t, &d.lanes.write, 3)
	release()
	wg.Wait()
	for i, err := range errs {
		if sdk.AsError(err).Code != sdk.CodeUnavailable || !strings.Contains(err.Error(), "may or may not have been applied") {
			t.Errorf("call %d: %v", i, err)
		}
	}
	if h := n.hits.Load(); h != 1 {
		t.Errorf("%d requests, want 1 (a write that may have been applied is not resent)", h)
	}
}

// TestCoalescingUnderLoad writes and reads back rows from many goroutines
// at once (run with -race): every caller sees its own outcome.
func TestCoalescingUnderLoad(t *testing.T) {
	c := rqlitetest.Start(t, 1)
	d := openTest(t, c.URLs(), "weak")
	ctx := t.Context()
	if _, err := d.Exec(ctx, stmt("CREATE TABLE l (id INTEGER PRIMARY KEY, v)")); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 20 {
				id := int64(g*1000 + i)
				v := any(int64(1<<53 + id))
				if i%3 == 1 {
					v = float64(id) // a whole REAL
				}
				res, err := d.Exec(ctx, stmt("INSERT INTO l VALUES (?, ?)", id, v))
				if err != nil || res.LastInsertID != id {
					t.Errorf("insert %d: %+v %v", id, res, err)
					return
				}
				if _, err := d.Exec(ctx, stmt("INSERT INTO l VALUES (?, ?)", id, v)); err == nil || !strings.Contains(err.Error(), "UNIQUE") {
					t.Errorf("second insert of %d: %v, want a UNIQUE violation", id, err)
				}
				rows, err := d.Query(ctx, readStmt("SELECT id, v FROM l WHERE id = ?", id), collector())
				if err != nil || !reflect.DeepEqual(rows.Rows, [][]any{{id, v}}) {
					t.Errorf("read %d: %v %v, want %v", id, rows, err, v)
				}
			}
		})
	}
	wg.Wait()
	rows, err := d.Query(ctx, readStmt("SELECT count(*) FROM l"), collector())
	if err != nil || fmt.Sprint(rows.Rows) != "[[320]]" {
		t.Errorf("count = %v %v, want 320", rows, err)
	}
}

// TestInFlightZeroSendsEveryCallAlone: with in_flight 0 nothing is merged.
func TestInFlightZeroSendsEveryCallAlone(t *testing.T) {
	n := newFakeNode(t, answer(okExec))
	d := fakeDriver(t, n.URL)
	d.lanes.init(d, 0, 0)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if _, err := d.Exec(t.Context(), stmt("INSERT INTO t VALUES (?)", int64(i))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if h := n.hits.Load(); h != 8 {
		t.Errorf("%d requests for 8 calls", h)
	}
}

// TestCoalescedReadsPastTheLimits: reads whose answers fit their limits
// alone but not together are sent again alone, and a read past its own
// limit fails alone.
func TestCoalescedReadsPastTheLimits(t *testing.T) {
	c := rqlitetest.Start(t, 1)
	d := openTest(t, c.URLs(), "weak")
	rec := record(d)
	ctx := t.Context()
	for _, s := range []driver.Stmt{
		stmt("CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT)"),
		stmt("INSERT INTO big VALUES (1, ?), (2, ?), (3, ?)", strings.Repeat("a", 600), strings.Repeat("b", 600), strings.Repeat("c", 2000)),
	} {
		if _, err := d.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	sel := "SELECT v FROM big WHERE id = ?"
	limited := func() *driver.Collector { return driver.NewCollector(driver.Limits{MaxRows: 10, MaxBytes: 1000}) }
	if _, err := d.Query(ctx, readStmt(sel, int64(1)), limited()); err != nil { // learn the shape
		t.Fatal(err)
	}
	rec.take()
	release := hold(&d.lanes.read)
	got := make([]*database.Rows, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() { got[i], errs[i] = d.Query(ctx, readStmt(sel, int64(i+1)), limited()) })
	}
	waitQueued(t, &d.lanes.read, 3)
	release()
	wg.Wait()
	for i, want := range []string{strings.Repeat("a", 600), strings.Repeat("b", 600)} {
		if errs[i] != nil || !reflect.DeepEqual(got[i].Rows, [][]any{{want}}) {
			t.Errorf("read %d: %v %v", i+1, got[i], errs[i])
		}
	}
	if sdk.AsError(errs[2]).Code != sdk.CodeTooLarge {
		t.Errorf("read past its limit = %v, want too_large", errs[2])
	}
	if reqs := rec.take(); len(reqs) != 4 || strings.Count(reqs[0], "UNION ALL") != 3 {
		t.Errorf("sent %d requests, want the merged one, then each read alone", len(reqs))
	}
}
