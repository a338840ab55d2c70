package client

import (
	"context"
	"encoding/base64"
	"net/http"

	"github.com/orama-network/orama/sdk"
)

// Network is the network part of the API: what the node knows of its
// peers (/v1/network) and the anonymous proxy (/v1/proxy/anon).
func (c *Client) Network() *Network { return &Network{c: c} }

// Network proxies requests through the gateway.
type Network struct{ c *Client }

// Peer is one peer the node knows, labelled with where it was seen:
// Source "gateway" (another node's heartbeat) or a plugin kind ("pubsub",
// "cache", "database") with its Driver.
type Peer struct {
	ID     string `json:"id"`
	Addr   string `json:"addr,omitempty"`
	Role   string `json:"role,omitempty"`
	Source string `json:"source"`
	Driver string `json:"driver,omitempty"`
}

// NetworkStatus is GET /v1/network/status.
type NetworkStatus struct {
	NodeID    string `json:"node_id"`
	Connected bool   `json:"connected"` // at least one peer is known
	PeerCount int    `json:"peer_count"`
	Peers     []Peer `json:"peers"`
	Uptime    string `json:"uptime"`
}

// Status reports the node and the peers it knows.
func (n *Network) Status(ctx context.Context) (NetworkStatus, error) {
	var out NetworkStatus
	return out, n.c.do(ctx, http.MethodGet, "/v1/network/status", nil, &out)
}

// Peers lists the peers the node knows.
func (n *Network) Peers(ctx context.Context) ([]Peer, error) {
	var out struct {
		Peers []Peer `json:"peers"`
	}
	return out.Peers, n.c.do(ctx, http.MethodGet, "/v1/network/peers", nil, &out)
}

// ProxyRequest is one request the gateway makes for the caller.
type ProxyRequest struct {
	URL     string            `json:"url"`
	Method  string            `json:"method,omitempty"` // GET when empty
	Headers map[string]string `json:"headers,omitempty"`
	Body    string            `json:"body,omitempty"`
}

// ProxyResponse is the target's answer.
type ProxyResponse struct {
	StatusCode int               `json:"status_code"`
	Headers    map[string]string `json:"headers"`
	Body       []byte            `json:"-"`
}

// ProxyAnon makes req through the gateway's proxy. Errors: forbidden for
// a refused target (loopback, private, …), invalid for a bad request,
// unavailable when the target (or the gateway's SOCKS5 upstream) cannot be
// reached or answers too slowly or too much.
func (n *Network) ProxyAnon(ctx context.Context, req ProxyRequest) (ProxyResponse, error) {
	var out struct {
		ProxyResponse
		Body         string `json:"body"`
		BodyEncoding string `json:"body_encoding"`
	}
	if err := n.c.do(ctx, http.MethodPost, "/v1/proxy/anon", req, &out); err != nil {
		return ProxyResponse{}, err
	}
	resp := out.ProxyResponse
	resp.Body = []byte(out.Body)
	if out.BodyEncoding == "base64" {
		b, err := base64.StdEncoding.DecodeString(out.Body)
		if err != nil {
			return ProxyResponse{}, sdk.Errorf(sdk.CodeInternal, "proxy answer: bad base64 body: %v", err)
		}
		resp.Body = b
	}
	return resp, nil
}
