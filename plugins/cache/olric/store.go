package olric

import (
	"context"
	"fmt"
	"time"

	"github.com/buraksezer/olric"
	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin"
)

// closeTimeout bounds Close when the caller's context has no deadline.
const closeTimeout = 10 * time.Second

// Store is the cache.Backend on Olric. New returns an idle Store;
// Configure starts an embedded member or connects to Olric servers.
type Store struct {
	log hclog.Logger
	cur plugin.State[backend]
}

var _ cache.Backend = (*Store)(nil)

// New returns an unconfigured Store that logs to log (nil: no logs).
func New(log hclog.Logger) *Store {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	return &Store{log: log}
}

// Version is the plugin's version, set by the Makefile with
// -ldflags "-X github.com/orama-network/orama/plugins/cache/olric.Version=…".
// The embedded Olric release is reported as "+olric<version>".
var Version = "dev"

// Info names the implementation; it works before Configure.
func (s *Store) Info(context.Context) (plugin.Info, error) {
	return plugin.Info{Kind: cache.Kind, Name: "olric", Version: Version + "+olric" + olric.ReleaseVersion}, nil
}

// ValidateConfig checks cfg without side effects.
func (s *Store) ValidateConfig(_ context.Context, cfg plugin.Config) error {
	_, err := ParseConfig(cfg)
	return err
}

// Configure validates cfg, then starts the embedded member (waiting until
// it serves) or connects to the servers, within start_timeout. Errors: a
// plugin.ConfigError, unavailable when Olric cannot start, conflict when
// already configured.
func (s *Store) Configure(ctx context.Context, cfg plugin.Config) error {
	c, err := ParseConfig(cfg)
	if err != nil {
		return err
	}
	return s.cur.Configure("cache", func() (*backend, error) {
		ctx, cancel := context.WithTimeout(ctx, c.startTimeout)
		defer cancel()
		var b *backend
		if c.Mode == ModeClient {
			b, err = connect(ctx, c, s.log)
		} else {
			b, err = startMember(ctx, c, s.log)
		}
		if err != nil {
			return nil, sdk.Errorf(sdk.CodeUnavailable, "start olric (%s): %v", c.Mode, err)
		}
		s.log.Info("olric ready", "mode", c.Mode, "addr", b.addr, "memberlist", b.gossip)
		statsStore.Store(s)
		return b, nil
	})
}

// Health reports OK once configured and while Olric answers; Detail
// counts the cluster's members.
func (s *Store) Health(ctx context.Context) (plugin.Health, error) {
	b := s.cur.Load()
	if b == nil {
		return plugin.Health{Driver: "olric", Detail: "not configured"}, nil
	}
	ctx, cancel := b.callCtx(ctx)
	defer cancel()
	members, err := b.client.Members(ctx)
	if err != nil {
		return plugin.Health{Driver: b.driver, Detail: "olric members: " + err.Error()}, nil
	}
	detail := fmt.Sprintf("%d member(s); olric %s", len(members), b.addr)
	if b.gossip != "" {
		detail += ", memberlist " + b.gossip
	}
	var peers []plugin.Peer
	for _, m := range members {
		if m.Name == b.addr {
			continue // this member
		}
		p := plugin.Peer{ID: m.Name, Addr: m.Name}
		if m.Coordinator {
			p.Role = "coordinator"
		}
		peers = append(peers, p)
	}
	return plugin.Health{OK: true, Driver: b.driver, Detail: detail, Peers: peers}, nil
}

// Close stops the member (or closes the client connections). It is a
// no-op before Configure, after a failed Configure and when called again.
func (s *Store) Close(ctx context.Context) error {
	return s.cur.Close(func(b *backend) error {
		ctx, cancel := plugin.WithDefaultTimeout(ctx, closeTimeout)
		defer cancel()
		if err := b.close(ctx); err != nil {
			s.log.Warn("olric shutdown", "error", err)
			return fmt.Errorf("close olric: %w", err)
		}
		return nil
	})
}

var _ cache.Watcher = (*Store)(nil)

// WatchInvalidations streams the invalidations of every write made
// through any member of the Olric cluster (through this plugin's or
// another gateway's); see cache.Watcher. It ends, unavailable, when the
// plugin closes or its Olric pub/sub subscription breaks (then it
// re-subscribes, and a new watch succeeds again). Errors: unavailable.
func (s *Store) WatchInvalidations(ctx context.Context, fn func(cache.Invalidation) error) error {
	b, err := s.cur.Current("cache")
	if err != nil {
		return err
	}
	return b.inv.fan.Watch(ctx, fn)
}
