package cache

import (
	"context"
	"time"

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
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Get, &cachev1.GetRequest{Namespace: namespace, Dmap: dmap, Key: key})
	if err != nil {
		return Entry{}, err
	}
	return entryFromProto(resp.Entry), nil
}

func (c *Client) MGet(ctx context.Context, namespace, dmap string, keys []string) ([]Entry, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.MGet, &cachev1.MGetRequest{Namespace: namespace, Dmap: dmap, Keys: keys})
	if err != nil {
		return nil, err
	}
	out := make([]Entry, len(resp.Entries))
	for i, pe := range resp.Entries {
		out[i] = entryFromProto(pe)
	}
	return out, nil
}

func (c *Client) Put(ctx context.Context, namespace, dmap, key string, value []byte, ttl time.Duration) error {
	ms := ttl.Milliseconds()
	if ttl > 0 && ms == 0 {
		ms = 1 // the wire carries milliseconds; never turn a tiny TTL into "no expiry"
	}
	_, err := plugin.Call(ctx, c.BaseClient, c.api.Put, &cachev1.PutRequest{Namespace: namespace, Dmap: dmap, Key: key, Value: value, TtlMs: ms})
	return err
}

func (c *Client) Delete(ctx context.Context, namespace, dmap, key string) error {
	_, err := plugin.Call(ctx, c.BaseClient, c.api.Delete, &cachev1.DeleteRequest{Namespace: namespace, Dmap: dmap, Key: key})
	return err
}

func (c *Client) Scan(ctx context.Context, namespace, dmap, match string, limit int) ([]string, bool, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Scan, &cachev1.ScanRequest{Namespace: namespace, Dmap: dmap, Match: match, Limit: int32(limit)})
	if err != nil {
		return nil, false, err
	}
	return resp.Keys, resp.Truncated, nil
}

// Health asks the Cache service (not Base), so it also works over the
// host API connection.
func (c *Client) Health(ctx context.Context) (plugin.Health, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Health, &cachev1.HealthRequest{})
	if err != nil {
		return plugin.Health{}, err
	}
	return plugin.Health{OK: resp.Ok, Driver: resp.Driver, Detail: resp.Detail}, nil
}
