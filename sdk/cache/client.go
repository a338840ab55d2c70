package cache

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk"
	cachev1 "github.com/orama-network/orama/sdk/gen/orama/cache/v1"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
)

// Client is the host side of a cache plugin: Base plus Cache over gRPC.
// Calls fail fast with unavailable once the plugin connection is gone.
type Client struct {
	*plugin.BaseClient
	api cachev1.CacheClient
}

var _ Backend = (*Client)(nil)

// NewClient returns a Cache over any connection serving the Cache service,
// e.g. a plugin's host API connection (hostapi.Client.Conn). life bounds
// the client: calls fail fast once it is done.
func NewClient(life context.Context, conn grpc.ClientConnInterface) *Client {
	return newClient(plugin.NewBaseClient(life, nil, conn), conn)
}

func newClient(base *plugin.BaseClient, conn grpc.ClientConnInterface) *Client {
	return &Client{BaseClient: base, api: cachev1.NewCacheClient(conn)}
}

func (c *Client) Get(ctx context.Context, namespace, dmap, key string) (Entry, error) {
	if err := c.Alive(); err != nil {
		return Entry{}, err
	}
	resp, err := c.api.Get(ctx, &cachev1.GetRequest{Namespace: namespace, Dmap: dmap, Key: key})
	if err != nil {
		return Entry{}, sdk.FromGRPC(err)
	}
	return entryFromProto(resp.Entry), nil
}

func (c *Client) MGet(ctx context.Context, namespace, dmap string, keys []string) ([]Entry, error) {
	if err := c.Alive(); err != nil {
		return nil, err
	}
	resp, err := c.api.MGet(ctx, &cachev1.MGetRequest{Namespace: namespace, Dmap: dmap, Keys: keys})
	if err != nil {
		return nil, sdk.FromGRPC(err)
	}
	out := make([]Entry, len(resp.Entries))
	for i, pe := range resp.Entries {
		out[i] = entryFromProto(pe)
	}
	return out, nil
}

func (c *Client) Put(ctx context.Context, namespace, dmap, key string, value []byte, ttl time.Duration) error {
	if err := c.Alive(); err != nil {
		return err
	}
	ms := ttl.Milliseconds()
	if ttl > 0 && ms == 0 {
		ms = 1 // the wire carries milliseconds; never turn a tiny TTL into "no expiry"
	}
	_, err := c.api.Put(ctx, &cachev1.PutRequest{Namespace: namespace, Dmap: dmap, Key: key, Value: value, TtlMs: ms})
	return sdk.FromGRPC(err)
}

func (c *Client) Delete(ctx context.Context, namespace, dmap, key string) error {
	if err := c.Alive(); err != nil {
		return err
	}
	_, err := c.api.Delete(ctx, &cachev1.DeleteRequest{Namespace: namespace, Dmap: dmap, Key: key})
	return sdk.FromGRPC(err)
}

func (c *Client) Scan(ctx context.Context, namespace, dmap, match string, limit int) ([]string, bool, error) {
	if err := c.Alive(); err != nil {
		return nil, false, err
	}
	resp, err := c.api.Scan(ctx, &cachev1.ScanRequest{Namespace: namespace, Dmap: dmap, Match: match, Limit: int32(limit)})
	if err != nil {
		return nil, false, sdk.FromGRPC(err)
	}
	return resp.Keys, resp.Truncated, nil
}

// Health asks the Cache service (not Base), so it also works over the
// host API connection.
func (c *Client) Health(ctx context.Context) (plugin.Health, error) {
	if err := c.Alive(); err != nil {
		return plugin.Health{}, err
	}
	resp, err := c.api.Health(ctx, &cachev1.HealthRequest{})
	if err != nil {
		return plugin.Health{}, sdk.FromGRPC(err)
	}
	return plugin.Health{OK: resp.Ok, Driver: resp.Driver, Detail: resp.Detail}, nil
}
