package client

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/orama-network/orama/sdk"
)

// PubSub is the /v1/pubsub part of the API: publish, list topics and
// members over HTTP, and subscribe over a WebSocket (Subscribe). Topics
// are private to the caller's namespace.
type PubSub struct{ c *Client }

// PubSub is the pubsub part of the API.
func (c *Client) PubSub() *PubSub { return &PubSub{c: c} }

// Member is one present member of a topic.
type Member struct {
	ID       string
	Meta     json.RawMessage // nil when the member has none
	JoinedAt time.Time       // second precision
}

// Publish sends data to every subscriber of topic, on every gateway node.
// Errors: invalid (topic, data), too_large (data over 1 MiB),
// unauthorized, forbidden, unavailable.
func (p *PubSub) Publish(ctx context.Context, topic string, data []byte) error {
	if data == nil {
		data = []byte{}
	}
	req := map[string]any{"topic": topic, "data_base64": base64.StdEncoding.EncodeToString(data)}
	return p.c.do(ctx, http.MethodPost, "/v1/pubsub/publish", req, nil)
}

// Topics lists the topics of the caller's namespace that have a
// subscriber or a member now.
func (p *PubSub) Topics(ctx context.Context) ([]string, error) {
	var resp struct {
		Topics []string `json:"topics"`
	}
	if err := p.c.do(ctx, http.MethodGet, "/v1/pubsub/topics", nil, &resp); err != nil {
		return nil, err
	}
	if resp.Topics == nil {
		resp.Topics = []string{}
	}
	return resp.Topics, nil
}

// Presence lists the members of topic, cluster-wide. Errors: invalid
// (topic), unauthorized, forbidden, unavailable.
func (p *PubSub) Presence(ctx context.Context, topic string) ([]Member, error) {
	var resp struct {
		Members []struct {
			ID       string          `json:"member_id"`
			JoinedAt int64           `json:"joined_at"` // Unix seconds
			Meta     json.RawMessage `json:"meta"`
		} `json:"members"`
	}
	path := "/v1/pubsub/presence?" + url.Values{"topic": {topic}}.Encode()
	if err := p.c.do(ctx, http.MethodGet, path, nil, &resp); err != nil {
		return nil, err
	}
	out := make([]Member, len(resp.Members))
	for i, m := range resp.Members {
		out[i] = Member{ID: m.ID, Meta: metaOrNil(m.Meta), JoinedAt: time.Unix(m.JoinedAt, 0)}
	}
	return out, nil
}

// checkTopic refuses an empty topic before any request.
func checkTopic(topic string) error {
	if topic == "" {
		return sdk.Errorf(sdk.CodeInvalid, "topic is required")
	}
	return nil
}
