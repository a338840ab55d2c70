package rqlite

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/database/rqlite/rqlitetest"
	"github.com/orama-network/orama/sdk"
)

// TestLeaderFailover writes rows through one driver while the leader of a
// 3-node cluster is stopped (SIGTERM) or killed (SIGKILL). Each row has
// its own primary key, so a write applied twice would come back as a
// constraint violation: every error must be unavailable. Afterwards every
// acknowledged row is there (read with strong consistency) and the driver,
// never reopened, writes again.
func TestLeaderFailover(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) { testFailover(t, sig) })
	}
}

func testFailover(t *testing.T, sig syscall.Signal) {
	c := rqlitetest.Start(t, 3)
	d := openTest(t, c.URLs(), "weak")
	ctx := t.Context()
	if _, err := d.Exec(ctx, stmt("CREATE TABLE log (seq INTEGER PRIMARY KEY, note TEXT)")); err != nil {
		t.Fatal(err)
	}
	const before, after = 30, 30 // acknowledged writes before the stop and after it
	backstop, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	var acked []int64
	failed := 0
	write := func(seq int64) {
		_, err := d.Exec(backstop, stmt("INSERT INTO log (seq, note) VALUES (?, ?)", seq, "write"))
		if err == nil {
			acked = append(acked, seq)
			return
		}
		var e *sdk.Error
		if !errors.As(err, &e) || e.Code != sdk.CodeUnavailable {
			t.Fatalf("write %d: %v; want success or unavailable (a conflict means a write was applied twice)", seq, err)
		}
		if failed++; failed <= 3 {
			t.Logf("write %d: %v", seq, err)
		}
	}
	seq := int64(0)
	for len(acked) < before {
		seq++
		write(seq)
	}
	leader := c.Leader(t)
	t.Logf("%s to the leader, %s, after %d writes", sig, leader, len(acked))
	leader.Signal(sig)
	stoppedAt := len(acked)
	for len(acked) < stoppedAt+after {
		if backstop.Err() != nil {
			t.Fatalf("only %d writes acknowledged after the leader stopped (%d failed)", len(acked)-stoppedAt, failed)
		}
		seq++
		write(seq)
	}
	leader.Wait(t)
	t.Logf("%d writes acknowledged, %d failed with unavailable", len(acked), failed)

	var live []string
	for _, n := range c.Nodes {
		if n != leader {
			live = append(live, n.URL)
		}
	}
	strong := openTest(t, live, "strong")
	rows, err := strong.Query(ctx, readStmt("SELECT seq FROM log ORDER BY seq"), collector())
	if err != nil {
		t.Fatal(err)
	}
	present := map[int64]bool{}
	for _, r := range rows.Rows {
		present[r[0].(int64)] = true
	}
	for _, s := range acked {
		if !present[s] {
			t.Errorf("acknowledged write %d is missing", s)
		}
	}
	if len(rows.Rows) > int(seq) {
		t.Errorf("%d rows for %d writes", len(rows.Rows), seq)
	}
}
