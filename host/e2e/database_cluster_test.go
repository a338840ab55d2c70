package e2e

import (
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/migrate"
)

// rqliteBlock is the database plugin's block for the rqlite driver on nodes.
func rqliteBlock(nodes ...*rqliteNode) string {
	return databaseBlock(fmt.Sprintf(`    driver = "rqlite"
    hosts  = %s`, hostsList(nodes...)))
}

// writeLoop inserts sequential numbers through the gateway, one request at
// a time, and records which ones the gateway acknowledged (200).
type writeLoop struct {
	mu       sync.Mutex
	acked    []int64
	failed   []int64
	statuses map[int]int
	errs     []string // first messages of failed writes, for the log
	stop     atomic.Bool
	done     chan struct{}
}

func startWriteLoop(h *host) *writeLoop {
	l := &writeLoop{statuses: map[int]int{}, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		for n := int64(1); !l.stop.Load(); n++ {
			code, msg := h.execQuiet(fmt.Sprintf(`{"sql":"INSERT INTO seq (n) VALUES (?)","args":[%d]}`, n))
			l.mu.Lock()
			l.statuses[code]++
			if code == http.StatusOK {
				l.acked = append(l.acked, n)
			} else {
				l.failed = append(l.failed, n)
				if len(l.errs) < 5 {
					l.errs = append(l.errs, fmt.Sprintf("%d %s", code, msg))
				}
			}
			l.mu.Unlock()
		}
	}()
	return l
}

func (l *writeLoop) ackedCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acked)
}

func (l *writeLoop) finish() {
	l.stop.Store(true)
	<-l.done
}

// execQuiet posts an exec body without failing the test on a transport
// error (code 0): it runs in a goroutine.
func (h *host) execQuiet(body string) (int, string) {
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Post(h.URL+"/v1/rqlite/exec", "application/json", strings.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	var buf [512]byte
	n, _ := resp.Body.Read(buf[:])
	return resp.StatusCode, strings.TrimSpace(string(buf[:n]))
}

// waitFor polls cond until it is true, failing after limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestDatabaseRqliteLeaderKilled: SIGKILL of the rqlite leader while a
// client writes through the gateway. Every write the gateway acknowledged
// is in the cluster afterwards, exactly once; the host keeps serving and
// later writes succeed.
func TestDatabaseRqliteLeaderKilled(t *testing.T) {
	nodes := startRqliteCluster(t, 3)
	h := startHost(t, func(port int) string { return configText(port, rqliteBlock(nodes...)) })
	waitBackendOK(t, h, "rqlite")
	// n is not unique, so a write applied twice would show as two rows.
	if err := h.Client.Database().CreateTable(ctxT(t), "CREATE TABLE seq (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}

	l := startWriteLoop(h)
	waitFor(t, 60*time.Second, "30 acknowledged writes before the kill", func() bool { return l.ackedCount() >= 30 })
	leader := leaderOf(t, nodes, 10*time.Second)
	before := l.ackedCount()
	leader.kill()
	killedAt := time.Now()
	t.Logf("SIGKILL to rqlite leader %s (%s) after %d acknowledged writes", leader.ID, leader.HTTP, before)
	var survivors []*rqliteNode
	for _, n := range nodes {
		if n != leader {
			survivors = append(survivors, n)
		}
	}
	// Keep writing until the gateway has acknowledged 30 writes sent after
	// the kill; the bound only keeps a broken failover from hanging.
	var firstAfter time.Duration
	waitFor(t, 90*time.Second, "30 acknowledged writes after the kill", func() bool {
		n := l.ackedCount()
		if n > before && firstAfter == 0 {
			firstAfter = time.Since(killedAt)
		}
		return n >= before+30
	})
	l.finish()
	newLeader := leaderOf(t, survivors, 30*time.Second)

	l.mu.Lock()
	acked, failed, statuses, errs := l.acked, l.failed, l.statuses, l.errs
	l.mu.Unlock()
	t.Logf("writes: %d acknowledged (%d before the kill), %d failed; statuses %v; new leader %s; first acknowledged write %s after the kill",
		len(acked), before, len(failed), statuses, newLeader.ID, firstAfter.Round(time.Millisecond))
	if len(errs) > 0 {
		t.Logf("first failures: %s", strings.Join(errs, " | "))
	}
	for code, n := range statuses {
		if code != http.StatusOK && code != http.StatusServiceUnavailable && code != http.StatusGatewayTimeout {
			t.Errorf("%d writes answered %d: a failover is unavailable (503) or a timeout (504), nothing else", n, code)
		}
	}

	// Read back from the cluster itself, level=strong.
	rows, err := newLeader.query(`SELECT n, COUNT(*) FROM "default$seq" GROUP BY n`)
	if err != nil {
		t.Fatalf("read back from rqlite: %v", err)
	}
	stored := map[int64]int64{}
	for _, r := range rows {
		var n, c int64
		fmt.Sscan(fmt.Sprint(r[0]), &n)
		fmt.Sscan(fmt.Sprint(r[1]), &c)
		stored[n] = c
	}
	var missing []int64
	for _, n := range acked {
		switch c := stored[n]; {
		case c == 0:
			missing = append(missing, n)
		case c > 1:
			t.Errorf("write %d is stored %d times", n, c)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d acknowledged writes are missing after the failover: %v", len(missing), missing)
	}
	applied := 0
	for _, n := range failed {
		if stored[n] > 0 {
			applied++
		}
	}
	t.Logf("%d of the %d failed writes were applied anyway (ambiguous outcome, allowed)", applied, len(failed))

	// The gateway, the same process, still serves: health, reads and new writes.
	select {
	case <-h.exited:
		t.Fatalf("the host exited: %v", h.exitErr)
	default:
	}
	h.waitHealthy(30 * time.Second)
	for i := int64(1); i <= 5; i++ {
		n := 1_000_000 + i
		if code, msg := h.execQuiet(fmt.Sprintf(`{"sql":"INSERT INTO seq (n) VALUES (?)","args":[%d]}`, n)); code != http.StatusOK {
			t.Errorf("write %d after the failover: %d %s", n, code, msg)
		}
	}
	q, err := h.Client.Database().Query(ctxT(t), "SELECT COUNT(*) AS c FROM seq WHERE n > 1000000")
	if err != nil || len(q.Items) != 1 || q.Items[0]["c"] != int64(5) {
		t.Errorf("reading the later writes through the gateway: %+v %v", q, err)
	}
	_, doc := h.health()
	t.Logf("database plugin after the failover: %+v", doc.Plugins["database"])

	// The plugin saw the leader change (it asks every 2 s).
	waitFor(t, 30*time.Second, "orama_rqlite_leader_changes_total ≥ 1", func() bool {
		v, _ := h.scrape().value("orama_rqlite_leader_changes_total", "plugin", "database")
		return v >= 1
	})
}

// TestMigrationsRace: two hosts started at the same moment against one
// rqlite cluster migrate the system tables once between them, both record
// themselves in the nodes table, and each lists the other as a peer.
func TestMigrationsRace(t *testing.T) {
	nodes := startRqliteCluster(t, 3)
	a := newHost(t, func(port int) string { return configTextNode(port, "node-a", rqliteBlock(nodes...)) })
	b := newHost(t, func(port int) string { return configTextNode(port, "node-b", rqliteBlock(nodes...)) })
	start := make(chan struct{})
	errs := make(chan error, 2)
	for _, h := range []*host{a, b} {
		go func() {
			<-start
			errs <- h.launch()
		}()
	}
	close(start)
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	a.waitHealthy(60 * time.Second)
	b.waitHealthy(60 * time.Second)

	// Each node records itself once the migrations are through.
	var ids []string
	waitFor(t, 60*time.Second, `both nodes in "_system$nodes"`, func() bool {
		rows, err := nodes[0].query(`SELECT id FROM "_system$nodes" ORDER BY id`)
		ids = ids[:0]
		for _, r := range rows {
			ids = append(ids, fmt.Sprint(r[0]))
		}
		return err == nil && reflect.DeepEqual(ids, []string{"node-a", "node-b"})
	})

	rows, err := nodes[0].query(`SELECT version, COUNT(*) FROM "_system$schema_migrations" GROUP BY version ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, m := range migrate.All {
		want = append(want, fmt.Sprintf("%d:1", m.Version))
	}
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%v:%v", r[0], r[1]))
	}
	sort.Strings(want)
	sort.Strings(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("schema_migrations version:count = %v, want %v (each version exactly once)", got, want)
	}
	// Exactly one host applied each migration; the other found it applied.
	applied := strings.Count(a.logs.String(), `"@message":"migration applied"`) + strings.Count(b.logs.String(), `"@message":"migration applied"`)
	if applied != len(migrate.All) {
		t.Errorf("the hosts logged %d applied migrations between them, want %d", applied, len(migrate.All))
	}
	t.Logf("migrations applied by node-a: %d, by node-b: %d; \"applied by another node\": %d",
		strings.Count(a.logs.String(), `"@message":"migration applied"`), strings.Count(b.logs.String(), `"@message":"migration applied"`),
		strings.Count(a.logs.String()+b.logs.String(), `"@message":"migration applied by another node"`))

	// Each lists the other once both heartbeats (every 15 s) have seen
	// both rows.
	for _, c := range []struct {
		h           *host
		self, other string
	}{{a, "node-a", "node-b"}, {b, "node-b", "node-a"}} {
		var st status
		waitFor(t, 40*time.Second, c.self+" lists "+c.other+" in /v1/status node.peers", func() bool {
			var err error
			st, err = c.h.status()
			return err == nil && reflect.DeepEqual(st.Node.Peers, []string{c.other})
		})
		if st.Node.ID != c.self || !st.Backends["database"].OK {
			t.Errorf("%s /v1/status: %+v", c.self, st)
		}
	}
}
