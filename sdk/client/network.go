package client

import (
	"context"
	"encoding/base64"
	"net/http"

	"github.com/orama-network/orama/sdk"
)

// Network is the network part of the API: the anonymous proxy
// (/v1/proxy/anon).
func (c *Client) Network() *Network { return &Network{c: c} }

// Network proxies requests through the gateway.
type Network struct{ c *Client }

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
