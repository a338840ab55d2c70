package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/orama-network/orama/sdk"
)

// Client talks to one gateway. It is safe for concurrent use.
type Client struct {
	base    string
	http    *http.Client
	apiKey  string
	maxBody int64
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient replaces the default http.Client (30 s timeout).
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithAPIKey sends key as X-API-Key on every request.
func WithAPIKey(key string) Option { return func(c *Client) { c.apiKey = key } }

// New returns a client for the gateway at baseURL (e.g. http://host:6001).
func New(baseURL string, opts ...Option) *Client {
	c := &Client{
		base:    strings.TrimRight(baseURL, "/"),
		http:    &http.Client{Timeout: 30 * time.Second},
		maxBody: 64 << 20,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Cache is the cache part of the API.
func (c *Client) Cache() *Cache { return &Cache{c: c} }

// Serverless is the functions part of the API (/v1/functions,
// /v1/invoke, /v1/secrets).
func (c *Client) Serverless() *Serverless { return &Serverless{c: c} }

// Health returns the gateway's /v1/health document. A degraded gateway
// answers 503 with the same document: it is returned with an unavailable
// error.
func (c *Client) Health(ctx context.Context) (map[string]any, error) {
	var out map[string]any
	err := c.do(ctx, http.MethodGet, "/v1/health", nil, &out)
	return out, err
}

// do sends in as JSON (when not nil) and decodes a 2xx answer into out.
// Other statuses become *sdk.Error from the gateway's error body.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	ctype := ""
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return sdk.Errorf(sdk.CodeInvalid, "encode request: %v", err)
		}
		body, ctype = bytes.NewReader(b), "application/json"
	}
	resp, err := c.send(ctx, method, path, ctype, body)
	if err != nil {
		return err
	}
	if resp.status/100 != 2 {
		if out != nil {
			_ = json.Unmarshal(resp.body, out) // e.g. a degraded health document
		}
		return responseError(resp.status, resp.body)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.body, out); err != nil {
		return sdk.Errorf(sdk.CodeInternal, "%s %s: decode response: %v", method, path, err)
	}
	return nil
}

// response is a gateway's answer, its body read (at most maxBody bytes).
type response struct {
	status int
	header http.Header
	body   []byte
}

// send sends body (of Content-Type ctype, when not "") and reads the
// answer, whatever its status. Errors: invalid (the request cannot be
// built), unavailable (no answer).
func (c *Client) send(ctx context.Context, method, path, ctype string, body io.Reader) (response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return response{}, sdk.Errorf(sdk.CodeInvalid, "build request: %v", err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.apiKey != "" {
		req.Header.Set("X-API-Key", c.apiKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return response{}, sdk.Errorf(sdk.CodeUnavailable, "%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody))
	if err != nil {
		return response{}, sdk.Errorf(sdk.CodeUnavailable, "%s %s: read response: %v", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: raw}, nil
}

// responseError turns an error response into *sdk.Error.
func responseError(status int, raw []byte) error {
	var body struct {
		Error string `json:"error"`
		Code  string `json:"code"`
	}
	_ = json.Unmarshal(raw, &body)
	code := sdk.Code(body.Code)
	if code == "" || code.HTTPStatus() != status {
		code = codeForStatus(status)
	}
	msg := body.Error
	if msg == "" {
		msg = fmt.Sprintf("HTTP %d", status)
	}
	return &sdk.Error{Code: code, Message: msg}
}

func codeForStatus(status int) sdk.Code {
	for _, c := range []sdk.Code{sdk.CodeInvalid, sdk.CodeUnauthorized, sdk.CodeForbidden, sdk.CodeNotFound,
		sdk.CodeConflict, sdk.CodeTooLarge, sdk.CodeRateLimited, sdk.CodeUnavailable} {
		if c.HTTPStatus() == status {
			return c
		}
	}
	return sdk.CodeInternal
}
