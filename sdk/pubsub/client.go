package pubsub

import (
	"context"
	"time"

	pubsubv1 "github.com/orama-network/orama/sdk/gen/orama/pubsub/v1"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
)

// Client is the host side of a pubsub plugin: Base plus PubSub over gRPC.
// Calls fail fast with unavailable once the plugin connection is gone.
// Arguments are checked here too (the same checks as the plugin's), so
// bad input is invalid before it reaches the wire — gRPC could not even
// encode a string that is not UTF-8.
type Client struct {
	*plugin.BaseClient
	api pubsubv1.PubSubClient
}

var _ Backend = (*Client)(nil)

// NewClient returns a PubSub over any connection serving the PubSub
// service, e.g. a plugin's host API connection (hostapi.Client.Conn). life
// bounds the client: calls fail fast once it is done, and its
// subscriptions end (unavailable).
func NewClient(life context.Context, conn grpc.ClientConnInterface) *Client {
	return newClient(plugin.NewBaseClient(life, nil, conn), conn)
}

func newClient(base *plugin.BaseClient, conn grpc.ClientConnInterface) *Client {
	return &Client{BaseClient: base, api: pubsubv1.NewPubSubClient(conn)}
}

func (c *Client) Publish(ctx context.Context, namespace, topic string, data []byte) error {
	if err := CheckPublish(namespace, topic, data); err != nil {
		return err
	}
	_, err := plugin.Call(ctx, c.BaseClient, c.api.Publish, &pubsubv1.PublishRequest{Namespace: namespace, Topic: topic, Data: data})
	return err
}

func (c *Client) Topics(ctx context.Context, namespace string) ([]string, error) {
	if err := CheckName("namespace", namespace); err != nil {
		return nil, err
	}
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Topics, &pubsubv1.TopicsRequest{Namespace: namespace})
	if err != nil {
		return nil, err
	}
	if resp.Topics == nil {
		return []string{}, nil
	}
	return resp.Topics, nil
}

func (c *Client) Join(ctx context.Context, namespace, topic string, m Member, ttl time.Duration) error {
	if err := CheckJoin(namespace, topic, m, ttl); err != nil {
		return err
	}
	_, err := plugin.Call(ctx, c.BaseClient, c.api.Join, &pubsubv1.JoinRequest{
		Namespace: namespace, Topic: topic, Member: memberToProto(m), TtlMs: ttl.Milliseconds()})
	return err
}

func (c *Client) Leave(ctx context.Context, namespace, topic, memberID string) error {
	if err := CheckTopic(namespace, topic); err != nil {
		return err
	}
	if err := CheckMemberID(memberID); err != nil {
		return err
	}
	_, err := plugin.Call(ctx, c.BaseClient, c.api.Leave, &pubsubv1.LeaveRequest{Namespace: namespace, Topic: topic, MemberId: memberID})
	return err
}

func (c *Client) Members(ctx context.Context, namespace, topic string) ([]Member, error) {
	if err := CheckTopic(namespace, topic); err != nil {
		return nil, err
	}
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Members, &pubsubv1.MembersRequest{Namespace: namespace, Topic: topic})
	if err != nil {
		return nil, err
	}
	return membersFromProto(resp.Members), nil
}

// Health asks the PubSub service (not Base), so it also works over the
// host API connection.
func (c *Client) Health(ctx context.Context) (plugin.Health, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Health, &pubsubv1.HealthRequest{})
	if err != nil {
		return plugin.Health{}, err
	}
	return plugin.Health{OK: resp.Ok, Driver: resp.Driver, Detail: resp.Detail}, nil
}
