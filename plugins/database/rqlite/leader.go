package rqlite

import (
	"time"

	"github.com/orama-network/orama/sdk/plugin"
	"github.com/prometheus/client_golang/prometheus"
)

// leaderPoll is how often the driver asks the cluster for its leader. A
// variable so tests can shorten it.
var leaderPoll = 2 * time.Second

var metricLeaderChanges = plugin.Register(prometheus.NewCounter(prometheus.CounterOpts{
	Name: "orama_rqlite_leader_changes_total",
	Help: "Changes of the rqlite leader this plugin observed (it asks the cluster every 2 s, so changes in between are missed).",
}))

// leaderWatch counts the leader changes it is shown. The first leader
// seen is no change; a leader lost and then the same one back is none
// either.
type leaderWatch struct{ last string }

func (w *leaderWatch) observe(leader string) (changed bool) {
	if leader == "" {
		return false
	}
	changed = w.last != "" && w.last != leader
	w.last = leader
	return changed
}

// watchLeader polls the leader until the driver closes.
func (d *Driver) watchLeader() {
	t := time.NewTicker(leaderPoll)
	defer t.Stop()
	var w leaderWatch
	for {
		if leader, err := d.nodes.leader(); err == nil && w.observe(leader) {
			metricLeaderChanges.Inc()
			d.log.Info("rqlite leader changed", "leader", leader)
		}
		select {
		case <-d.life.Done():
			return
		case <-t.C:
		}
	}
}

// leader asks the cluster for its leader's API address (gorqlite reads
// /status, bounded by the discovery client's timeout).
func (n *nodes) leader() (string, error) {
	n.mu.Lock()
	conn := n.conn
	n.mu.Unlock()
	if conn == nil {
		return "", nil
	}
	return conn.Leader()
}
