// Package pubsub is the HTTP adapter of the pubsub domain: the
// /v1/pubsub/* routes of API.md translated to calls on sdk/pubsub's
// PubSub, in the caller's namespace.
//
// WebSockets (GET /v1/pubsub/ws) are fanned out in the host by a Hub: one
// plugin subscription per (namespace, topic) however many local sockets
// listen, each frame encoded once and shared, each socket with its own
// bounded send queue and writer. A socket that cannot keep up loses
// messages (counted) and, when its queue stays full, is closed with 1008;
// it never slows the others or the publisher. When the plugin goes away
// (killed, restarting, upgraded) the Hub keeps the sockets open,
// subscribes again on the new instance and joins its members again; what
// was published in the gap is lost, never replayed.
//
// Close codes a client may see: 1001 server shutting down, 1007 invalid
// UTF-8 in a text frame, 1008 subscriber too slow (its send queue stayed
// full), 1009 frame larger than the limit, 1011 the subscription failed
// for good.
package pubsub

import (
	"context"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/pubsub"
)

// Handlers serves the pubsub routes.
type Handlers struct {
	api.Domain[pubsub.PubSub]
	hub *Hub
}

// New returns the pubsub handlers over the domain get returns, each
// plugin call bounded by timeout; the sockets are served by a new Hub
// with opts. Close the handlers (Shutdown) to close the sockets.
func New(get func(context.Context) (pubsub.PubSub, error), timeout time.Duration, opts Options) *Handlers {
	d := api.Domain[pubsub.PubSub]{Plugin: get, Timeout: timeout}
	return &Handlers{Domain: d, hub: NewHub(d, opts)}
}

// Hub returns the hub of the WebSockets.
func (h *Handlers) Hub() *Hub { return h.hub }

// Shutdown closes every socket with 1001 (going away) and waits for them
// to be gone, or for ctx.
func (h *Handlers) Shutdown(ctx context.Context) error { return h.hub.Shutdown(ctx) }

type publishRequest struct {
	Topic      string `json:"topic"`
	DataBase64 string `json:"data_base64"`
}

type topicsResponse struct {
	Topics []string `json:"topics"`
}

type memberResponse struct {
	MemberID string  `json:"member_id"`
	JoinedAt int64   `json:"joined_at"` // Unix seconds
	Meta     rawJSON `json:"meta,omitempty"`
}

type presenceResponse struct {
	Topic   string           `json:"topic"`
	Members []memberResponse `json:"members"`
	Count   int              `json:"count"`
}

// Publish is POST /v1/pubsub/publish: data to every subscriber of topic.
func (h *Handlers) Publish(w http.ResponseWriter, r *http.Request) error {
	var req publishRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return err
	}
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return err
	}
	if err := pubsub.CheckTopic(ns, req.Topic); err != nil {
		return err
	}
	data, err := base64.StdEncoding.DecodeString(req.DataBase64)
	if err != nil {
		return api.Invalidf("data_base64 is not base64: %v", err)
	}
	err = h.Do(r, func(ctx context.Context, ps pubsub.PubSub) error {
		return ps.Publish(ctx, ns, req.Topic, data)
	})
	h.hub.metrics.published(sourceHTTP, err)
	if err != nil {
		return err
	}
	h.hub.missed(ns, req.Topic)
	return api.WriteJSON(w, http.StatusOK, api.OK)
}

// Topics is GET /v1/pubsub/topics: the topics of the caller's namespace.
func (h *Handlers) Topics(w http.ResponseWriter, r *http.Request) error {
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return err
	}
	return h.Do(r, func(ctx context.Context, ps pubsub.PubSub) error {
		topics, err := ps.Topics(ctx, ns)
		if err != nil {
			return err
		}
		if topics == nil {
			topics = []string{}
		}
		return api.WriteJSON(w, http.StatusOK, topicsResponse{Topics: topics})
	})
}

// Presence is GET /v1/pubsub/presence?topic=T: the members of a topic.
func (h *Handlers) Presence(w http.ResponseWriter, r *http.Request) error {
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return err
	}
	topic := r.URL.Query().Get("topic")
	if topic == "" {
		return api.Invalidf("topic is required")
	}
	if err := pubsub.CheckTopic(ns, topic); err != nil {
		return err
	}
	return h.Do(r, func(ctx context.Context, ps pubsub.PubSub) error {
		members, err := ps.Members(ctx, ns, topic)
		if err != nil {
			return err
		}
		out := presenceResponse{Topic: topic, Members: make([]memberResponse, 0, len(members)), Count: len(members)}
		for _, m := range members {
			out.Members = append(out.Members, memberResponse{MemberID: m.ID, JoinedAt: m.JoinedAt.Unix(), Meta: metaOf(m.Meta)})
		}
		return api.WriteJSON(w, http.StatusOK, out)
	})
}

// shuttingDown is the error (unavailable) of a hub that is shutting down.
func shuttingDown() error {
	return sdk.Errorf(sdk.CodeUnavailable, "server shutting down")
}
