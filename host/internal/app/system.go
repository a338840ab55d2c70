package app

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/host/internal/migrate"
	"github.com/orama-network/orama/sdk/database"
)

// How often a node records that it is alive, and how long a silent node
// still counts as a peer.
const (
	heartbeatEvery = 15 * time.Second
	peerTimeout    = time.Minute
)

// system runs the gateway's own bookkeeping in the database's system
// namespace: migrations at start, then this node's row in the nodes table,
// from which /v1/status lists the peers.
type system struct {
	log     hclog.Logger
	nodeID  string
	version string
	db      func(context.Context) (database.Database, error)

	mu    sync.Mutex
	peers []string
}

// run migrates (retrying until the database plugin is up) and then keeps
// the heartbeat until ctx ends.
func (s *system) run(ctx context.Context) {
	backoff := 200 * time.Millisecond
	for {
		err := s.migrate(ctx)
		if err == nil {
			break
		}
		s.log.Warn("gateway tables not ready; retrying", "error", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
	started := time.Now().UnixMilli()
	t := time.NewTicker(heartbeatEvery)
	defer t.Stop()
	for {
		if err := s.heartbeat(ctx, started); err != nil {
			s.log.Warn("node heartbeat failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *system) migrate(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	db, err := s.db(ctx)
	if err != nil {
		return err
	}
	_, err = migrate.Run(ctx, db, migrate.All, s.log)
	return err
}

// heartbeat records this node and refreshes the peer list.
func (s *system) heartbeat(ctx context.Context, started int64) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	db, err := s.db(ctx)
	if err != nil {
		return err
	}
	ns, now := database.SystemNamespace, time.Now().UnixMilli()
	res, err := db.Exec(ctx, ns, database.Statement{
		SQL:  "UPDATE nodes SET version = ?, started_at = ?, last_seen = ? WHERE id = ?",
		Args: []database.Value{s.version, started, now, s.nodeID},
	})
	if err == nil && res.RowsAffected == 0 {
		_, err = db.Exec(ctx, ns, database.Statement{
			SQL:  "INSERT INTO nodes (id, version, started_at, last_seen) VALUES (?, ?, ?, ?)",
			Args: []database.Value{s.nodeID, s.version, started, now},
		})
	}
	if err != nil {
		return err
	}
	rows, err := db.Query(ctx, ns, database.Statement{
		SQL:  "SELECT id FROM nodes WHERE id <> ? AND last_seen >= ? ORDER BY id",
		Args: []database.Value{s.nodeID, now - peerTimeout.Milliseconds()},
	})
	if err != nil {
		return err
	}
	peers := make([]string, 0, len(rows.Rows))
	for _, r := range rows.Rows {
		if id, ok := r[0].(string); ok {
			peers = append(peers, id)
		}
	}
	s.mu.Lock()
	s.peers = peers
	s.mu.Unlock()
	return nil
}

// Peers lists the other nodes seen recently.
func (s *system) Peers() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.peers...)
}
