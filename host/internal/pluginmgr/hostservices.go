package pluginmgr

import (
	"context"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/hostapi"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
)

// registerHostServices serves the host API to the plugin of kind: logging
// into the host log, and the domains of the other plugins, each call routed
// to the plugin that owns the domain.
func (m *Manager) registerHostServices(s *grpc.Server, kind string) {
	hostapi.Register(s, hostLog{log: m.log.Named(kind)})
	cache.Register(s, hostCache{m: m})
}

// hostLog writes plugin log entries to the host log.
type hostLog struct{ log hclog.Logger }

func (h hostLog) Log(_ context.Context, e hostapi.Entry) error {
	level := hclog.LevelFromString(e.Level)
	if level == hclog.NoLevel {
		return sdk.Errorf(sdk.CodeInvalid, "unknown log level %q", e.Level)
	}
	args := make([]any, 0, 2*len(e.Fields)+2)
	if e.RequestID != "" {
		args = append(args, "request_id", e.RequestID)
	}
	for k, v := range e.Fields {
		args = append(args, k, v)
	}
	h.log.Log(level, e.Message, args...)
	return nil
}

// hostCache is the cache domain as other plugins see it through the host.
type hostCache struct{ m *Manager }

func (h hostCache) Get(ctx context.Context, ns, dmap, key string) (cache.Entry, error) {
	c, err := h.m.Cache(ctx)
	if err != nil {
		return cache.Entry{}, err
	}
	return c.Get(ctx, ns, dmap, key)
}

func (h hostCache) MGet(ctx context.Context, ns, dmap string, keys []string) ([]cache.Entry, error) {
	c, err := h.m.Cache(ctx)
	if err != nil {
		return nil, err
	}
	return c.MGet(ctx, ns, dmap, keys)
}

func (h hostCache) Put(ctx context.Context, ns, dmap, key string, value []byte, ttl time.Duration) error {
	c, err := h.m.Cache(ctx)
	if err != nil {
		return err
	}
	return c.Put(ctx, ns, dmap, key, value, ttl)
}

func (h hostCache) Delete(ctx context.Context, ns, dmap, key string) error {
	c, err := h.m.Cache(ctx)
	if err != nil {
		return err
	}
	return c.Delete(ctx, ns, dmap, key)
}

func (h hostCache) Scan(ctx context.Context, ns, dmap, match string, limit int) ([]string, bool, error) {
	c, err := h.m.Cache(ctx)
	if err != nil {
		return nil, false, err
	}
	return c.Scan(ctx, ns, dmap, match, limit)
}

func (h hostCache) Health(ctx context.Context) (plugin.Health, error) {
	c, err := h.m.Cache(ctx)
	if err != nil {
		return plugin.Health{}, err
	}
	return c.Health(ctx)
}
