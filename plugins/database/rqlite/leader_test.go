package rqlite

import "testing"

func TestLeaderWatchCountsChangesOnly(t *testing.T) {
	var w leaderWatch
	changes := 0
	for _, l := range []string{"", "a:4001", "a:4001", "", "a:4001", "b:4001", "b:4001", "c:4001", "", "a:4001"} {
		if w.observe(l) {
			changes++
		}
	}
	if changes != 3 {
		t.Errorf("%d changes, want 3 (a→b, b→c, c→a; a lost leader and the first one are none)", changes)
	}
}
