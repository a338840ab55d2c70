// Package proxy is the HTTP adapter of POST /v1/proxy/anon: the gateway
// makes one HTTP request on the caller's behalf and answers with the
// whole response as JSON. Targets are reached through sdk/netguard — the
// address actually dialled is checked (loopback, private, link-local,
// CGNAT, metadata, IPv6 equivalents, DNS rebinding), every redirect again —
// or, when configured, through a SOCKS5 proxy such as an anonymity
// network's local client, never around it.
package proxy

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/http/httpguts"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/netguard"
)

// MaxHeaders bounds the headers of one proxied request.
const MaxHeaders = 100

// Handlers serves the proxy route.
type Handlers struct {
	client *netguard.Client // nil: the proxy is disabled
}

// New returns the handlers; a nil client answers every request 403.
func New(client *netguard.Client) *Handlers { return &Handlers{client: client} }

// anonRequest is the body of POST /v1/proxy/anon.
type anonRequest struct {
	URL     string            `json:"url"`
	Method  string            `json:"method"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

// anonResponse is its answer. Body is the target's body as text, or
// base64 with BodyEncoding "base64" when it is not valid UTF-8 (JSON
// strings cannot carry other bytes unchanged).
type anonResponse struct {
	StatusCode   int               `json:"status_code"`
	Headers      map[string]string `json:"headers"`
	Body         string            `json:"body"`
	BodyEncoding string            `json:"body_encoding,omitempty"`
}

// failure is the answer when the target could not be fetched: the error
// body of API.md with the route's status_code 0.
type failure struct {
	StatusCode int      `json:"status_code"`
	Error      string   `json:"error"`
	Code       sdk.Code `json:"code"`
	RequestID  string   `json:"request_id,omitempty"`
}

// Anon handles POST /v1/proxy/anon.
func (h *Handlers) Anon(w http.ResponseWriter, r *http.Request) error {
	if h.client == nil {
		return sdk.Errorf(sdk.CodeForbidden, "the anonymous proxy is disabled on this gateway (server { proxy { enabled = false } })")
	}
	var in anonRequest
	if err := api.DecodeJSON(r, &in); err != nil {
		return err
	}
	req, err := newRequest(r.Context(), in)
	if err != nil {
		return err
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return fetchError(w, r, err)
	}
	out := anonResponse{StatusCode: resp.Status, Headers: flatten(resp.Header), Body: string(resp.Body)}
	if !utf8.Valid(resp.Body) {
		out.Body, out.BodyEncoding = base64.StdEncoding.EncodeToString(resp.Body), "base64"
	}
	return api.WriteJSON(w, http.StatusOK, out)
}

// hopByHop are headers that belong to one connection, never forwarded.
var hopByHop = []string{"Connection", "Keep-Alive", "Te", "Trailer", "Transfer-Encoding", "Upgrade", "Proxy-Connection"}

// newRequest checks in and builds the outbound request.
func newRequest(ctx context.Context, in anonRequest) (*http.Request, error) {
	if in.URL == "" {
		return nil, api.Invalidf("url is required")
	}
	u, err := url.Parse(in.URL)
	if err != nil {
		return nil, api.Invalidf("url: %v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, api.Invalidf("url: scheme %q: only http and https are allowed", u.Scheme)
	}
	if u.Host == "" {
		return nil, api.Invalidf("url: no host")
	}
	method := strings.ToUpper(in.Method)
	if method == "" {
		method = http.MethodGet
	}
	if !httpguts.ValidHeaderFieldName(method) || method == http.MethodConnect {
		return nil, api.Invalidf("method %q is not an HTTP method the proxy sends", in.Method)
	}
	if len(in.Headers) > MaxHeaders {
		return nil, api.Invalidf("headers: %d, at most %d", len(in.Headers), MaxHeaders)
	}
	var body io.Reader // nil (not a nil *strings.Reader) when there is none
	if in.Body != "" {
		body = strings.NewReader(in.Body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, api.Invalidf("request: %v", err)
	}
	for k, v := range in.Headers {
		if !httpguts.ValidHeaderFieldName(k) || !httpguts.ValidHeaderFieldValue(v) {
			return nil, api.Invalidf("headers: %q is not a valid header", k)
		}
		ck := http.CanonicalHeaderKey(k)
		if strings.HasPrefix(ck, "Proxy-") || isHopByHop(ck) {
			continue
		}
		if ck == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(ck, v)
	}
	return req, nil
}

func isHopByHop(k string) bool {
	for _, h := range hopByHop {
		if k == h {
			return true
		}
	}
	return false
}

// flatten joins repeated header values with ", " (RFC 9110 5.3), leaving
// out hop-by-hop headers.
func flatten(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		if isHopByHop(k) {
			continue
		}
		out[k] = strings.Join(vs, ", ")
	}
	return out
}

// fetchError answers a target that could not be fetched. A refused address
// or a bad URL (a redirect elsewhere) is the caller's: 403 / 400 through
// the error adapter. The target's own failure is the gateway's upstream:
// 504 when the time limit passed, 502 otherwise (unreachable, proxy down,
// a body over the limit).
func fetchError(w http.ResponseWriter, r *http.Request, err error) error {
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code == sdk.CodeForbidden || e.Code == sdk.CodeInvalid {
		return err
	}
	status := http.StatusBadGateway
	if netguard.IsTimeout(err) {
		status = http.StatusGatewayTimeout
	}
	return api.WriteJSON(w, status, failure{Error: e.Message, Code: sdk.CodeUnavailable, RequestID: api.RequestID(r.Context())})
}
