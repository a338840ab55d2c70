package pluginmgr

import (
	"context"
	"time"

	"github.com/orama-network/orama/host/internal/config"
)

// requestUpgrade moves the supervisor to cfg and waits for the outcome
// (bounded by ctx). While the plugin is down the new config is simply used
// for the next launch.
func (s *supervisor) requestUpgrade(ctx context.Context, cfg *config.Plugin) error {
	req := upgradeReq{cfg: cfg, done: make(chan error, 1)}
	select {
	case s.upgrade <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.done:
		return nil
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// swap starts cfg beside old; once the new instance is healthy it takes the
// traffic, and in the background old hands its entries off (cache; see
// handoff.go), then is drained and stopped. On error old keeps serving.
func (s *supervisor) swap(old *instance, cfg *config.Plugin) (*instance, error) {
	s.setState(StateUpgrading, "starting "+cfg.Path)
	s.log.Info("upgrading plugin", "path", cfg.Path, "old_pid", old.pid)
	next, err := s.launch(cfg)
	if err != nil {
		s.logLaunchError(cfg, err)
		s.setState(StateRunning, "")
		return nil, err
	}
	s.mu.Lock()
	s.cfg = cfg
	s.mu.Unlock()
	view := s.beginHandoff(old, next) // before next serves: no call may miss old's entries
	s.serve(next)
	go func() {
		if view != nil {
			s.handOff(view)
		}
		ctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
		defer cancel()
		start := time.Now()
		old.retire(ctx)
		old.stop(ctx)
		s.log.Info("old plugin instance drained and stopped", "pid", old.pid, "drain", time.Since(start))
	}()
	return next, nil
}
