package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/orama-network/orama/sdk"
)

// Client talks to one gateway. It is safe for concurrent use.
type Client struct {
	base    string
	http    *http.Client
	apiKey  string
	jwt     string
	maxBody int64
	retries int // extra attempts after a 503 with Retry-After
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient replaces the default http.Client (30 s timeout).
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithAPIKey sends key as X-API-Key on every request.
func WithAPIKey(key string) Option { return func(c *Client) { c.apiKey = key } }

// WithJWT sends token as "Authorization: Bearer" on every request (the
// access token of Auth().SignIn or Token). With an API key too, both are
// sent, as the established clients do: the gateway takes the JWT.
func WithJWT(token string) Option { return func(c *Client) { c.jwt = token } }

// WithRetries sets how many more times a request is sent after the gateway
// answered 503 with Retry-After (a plugin restarting or being upgraded),
// waiting what Retry-After says (at most MaxRetryWait) — default
// DefaultRetries. Only requests that are safe to repeat are retried: GET,
// HEAD, PUT and DELETE, and the POST routes that only read or store the
// same value again (cache get/mget/scan/put, the database's query, find,
// find-one and select); never an exec, a publish, an invoke or an upload
// (the first attempt may have been done before the plugin went away). No
// other answer or failure is retried, nor a body that cannot be sent again.
func WithRetries(n int) Option { return func(c *Client) { c.retries = max(n, 0) } }

// Retry defaults.
const (
	DefaultRetries = 3
	MaxRetryWait   = 10 * time.Second
)

// New returns a client for the gateway at baseURL (e.g. http://host:6001).
func New(baseURL string, opts ...Option) *Client {
	c := &Client{
		base:    strings.TrimRight(baseURL, "/"),
		http:    &http.Client{Timeout: 30 * time.Second},
		maxBody: 64 << 20,
		retries: DefaultRetries,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// With returns a copy of c with opts applied, e.g. the same gateway with
// the JWT of a sign-in: c.With(client.WithJWT(s.AccessToken)).
func (c *Client) With(opts ...Option) *Client {
	cp := *c
	for _, o := range opts {
		o(&cp)
	}
	return &cp
}

// setCredentials puts c's credentials on h.
func (c *Client) setCredentials(h http.Header) {
	if c.apiKey != "" {
		h.Set("X-API-Key", c.apiKey)
	}
	if c.jwt != "" {
		h.Set("Authorization", "Bearer "+c.jwt)
	}
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
	resp, err := c.open(ctx, method, path, ctype, body, nil)
	if err != nil {
		return err
	}
	return c.decode(resp, method, path, out)
}

// decode reads and closes resp and decodes a 2xx answer into out (when
// not nil); other statuses become *sdk.Error from the gateway's error
// body (and still fill out when it decodes, e.g. a degraded health
// document).
func (c *Client) decode(resp *http.Response, method, path string, out any) error {
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody))
	if err != nil {
		return sdk.Errorf(sdk.CodeUnavailable, "%s %s: read response: %v", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		if out != nil {
			_ = json.Unmarshal(raw, out)
		}
		return responseError(resp.StatusCode, raw)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
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
	resp, err := c.open(ctx, method, path, ctype, body, nil)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody))
	if err != nil {
		return response{}, sdk.Errorf(sdk.CodeUnavailable, "%s %s: read response: %v", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: raw}, nil
}

// open sends the request and returns the answer with its body unread (the
// caller closes it), after the retries of WithRetries. hdr are extra
// headers (may be nil).
func (c *Client) open(ctx context.Context, method, path, ctype string, body io.Reader, hdr http.Header) (*http.Response, error) {
	return c.openWith(ctx, c.http, method, path, ctype, body, hdr)
}

// streaming is c's http.Client without its overall time limit, for
// uploads and downloads of any size: those are bounded by their ctx.
func (c *Client) streaming() *http.Client {
	if c.http.Timeout == 0 {
		return c.http
	}
	cp := *c.http
	cp.Timeout = 0
	return &cp
}

// openWith is open with the given http.Client.
func (c *Client) openWith(ctx context.Context, hc *http.Client, method, path, ctype string, body io.Reader, hdr http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, sdk.Errorf(sdk.CodeInvalid, "build request: %v", err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	c.setCredentials(req.Header)
	for attempt := 0; ; attempt++ {
		resp, err := hc.Do(req)
		if err != nil {
			return nil, sdk.Errorf(sdk.CodeUnavailable, "%s %s: %v", method, path, err)
		}
		wait, ok := retryAfter(resp)
		if !ok || attempt >= c.retries || !idempotent(method, path) || (req.Body != nil && req.GetBody == nil) {
			return resp, nil
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // reuse the connection
		resp.Body.Close()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, sdk.Errorf(sdk.CodeUnavailable, "%s %s: %v (while waiting to retry a 503)", method, path, ctx.Err())
		case <-t.C:
		}
		if req.GetBody != nil {
			if req.Body, err = req.GetBody(); err != nil {
				return nil, sdk.Errorf(sdk.CodeInvalid, "%s %s: body for a retry: %v", method, path, err)
			}
		}
	}
}

// repeatablePosts are the POST routes a retry cannot do twice.
var repeatablePosts = map[string]bool{
	"/v1/cache/get": true, "/v1/cache/mget": true, "/v1/cache/scan": true, "/v1/cache/put": true,
	"/v1/rqlite/query": true, "/v1/rqlite/find": true, "/v1/rqlite/find-one": true, "/v1/rqlite/select": true,
}

// idempotent reports whether sending the request twice does no more than
// sending it once.
func idempotent(method, path string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete:
		return true
	case http.MethodPost:
		return repeatablePosts[path]
	}
	return false
}

// retryAfter is how long to wait before sending again: only for a 503
// with a Retry-After of seconds or an HTTP date, at most MaxRetryWait and
// at least 50 ms.
func retryAfter(resp *http.Response) (time.Duration, bool) {
	v := resp.Header.Get("Retry-After")
	if resp.StatusCode != http.StatusServiceUnavailable || v == "" {
		return 0, false
	}
	var d time.Duration
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		d = time.Duration(n) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		d = time.Until(at)
	} else {
		return 0, false
	}
	return min(max(d, 50*time.Millisecond), MaxRetryWait), true
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
