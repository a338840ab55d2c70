package storage

import (
	"context"
	"math"

	"github.com/orama-network/orama/sdk"
	storagev1 "github.com/orama-network/orama/sdk/gen/orama/storage/v1"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
)

// Client is the host side of a storage plugin: Base plus Storage over
// gRPC. Calls fail fast with unavailable once the plugin connection is
// gone. Put and Get stream; neither holds a whole file.
type Client struct {
	*plugin.BaseClient
	api storagev1.StorageClient
}

var _ Backend = (*Client)(nil)

// NewClient returns a Storage over any connection serving the Storage
// service, e.g. a plugin's host API connection (hostapi.Client.Conn). life
// bounds the client: calls fail fast once it is done.
func NewClient(life context.Context, conn grpc.ClientConnInterface) *Client {
	return newClient(plugin.NewBaseClient(life, nil, conn), conn)
}

func newClient(base *plugin.BaseClient, conn grpc.ClientConnInterface) *Client {
	return &Client{BaseClient: base, api: storagev1.NewStorageClient(conn)}
}

func (c *Client) Stat(ctx context.Context, namespace, cid string) (Stat, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Stat, &storagev1.StatRequest{Namespace: namespace, Cid: cid})
	if err != nil {
		return Stat{}, err
	}
	return statFromProto(resp.Stat), nil
}

func (c *Client) Pin(ctx context.Context, namespace, cid, name string, replication int) (PinStatus, error) {
	if err := c.Alive(); err != nil {
		return PinStatus{}, err
	}
	if replication < math.MinInt32 || replication > math.MaxInt32 {
		return PinStatus{}, sdk.Errorf(sdk.CodeInvalid, "replication %d out of range", replication)
	}
	resp, err := c.api.Pin(ctx, &storagev1.PinRequest{Namespace: namespace, Cid: cid, Name: name, Replication: int32(replication)})
	if err != nil {
		return PinStatus{}, sdk.FromGRPC(err)
	}
	return pinFromProto(resp.Pin), nil
}

func (c *Client) Unpin(ctx context.Context, namespace, cid string) error {
	_, err := plugin.Call(ctx, c.BaseClient, c.api.Unpin, &storagev1.UnpinRequest{Namespace: namespace, Cid: cid})
	return err
}

func (c *Client) Status(ctx context.Context, namespace, cid string) (PinStatus, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Status, &storagev1.StatusRequest{Namespace: namespace, Cid: cid})
	if err != nil {
		return PinStatus{}, err
	}
	return pinFromProto(resp.Pin), nil
}

func (c *Client) Pins(ctx context.Context, namespace string) ([]PinStatus, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Pins, &storagev1.PinsRequest{Namespace: namespace})
	if err != nil {
		return nil, err
	}
	return pinsFromProto(resp.Pins), nil
}

// Health asks the Storage service (not Base), so it also works over the
// host API connection.
func (c *Client) Health(ctx context.Context) (plugin.Health, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Health, &storagev1.HealthRequest{})
	if err != nil {
		return plugin.Health{}, err
	}
	return plugin.Health{OK: resp.Ok, Driver: resp.Driver, Detail: resp.Detail}, nil
}
