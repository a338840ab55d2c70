package hostfuncs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/netguard"
)

// Fetcher makes one guarded outbound request (*netguard.Client).
type Fetcher interface {
	Fetch(ctx context.Context, method, rawURL string, header http.Header, body []byte) (*netguard.Response, error)
}

var _ Fetcher = (*netguard.Client)(nil)

// maxRequestHeaders bounds the headers a guest may send.
const maxRequestHeaders = 64

// fetchResult is http_fetch's answer: {status, headers, body} or
// {error, status:0}.
type fetchResult struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    string            `json:"body"`
	Error   string            `json:"error,omitempty"`
}

// HTTPFetch makes one outbound request through the SSRF-safe client and
// returns the JSON {status, headers, body}, or {error, status:0} when it
// is refused or fails (the client bounds its time and the body it
// reads). headersJSON is a JSON object of strings (empty: none); a
// response header with several values comes back joined with ", ".
func (h *Host) HTTPFetch(ctx context.Context, method, url string, headersJSON, body []byte) []byte {
	res := h.fetch(ctx, method, url, headersJSON, body)
	if res.Error != "" {
		_ = h.logged("http_fetch", fmt.Errorf("%s %s: %s", method, url, res.Error))
	}
	out, _ := json.Marshal(res)
	return out
}

func (h *Host) fetch(ctx context.Context, method, url string, headersJSON, body []byte) fetchResult {
	if h.b.HTTP == nil {
		return fetchResult{Error: "http_fetch is not available"}
	}
	var hdr map[string]string
	if t := bytes.TrimSpace(headersJSON); len(t) > 0 && string(t) != "null" {
		if err := json.Unmarshal(t, &hdr); err != nil {
			return fetchResult{Error: "headers must be a JSON object of strings"}
		}
		if len(hdr) > maxRequestHeaders {
			return fetchResult{Error: fmt.Sprintf("at most %d headers", maxRequestHeaders)}
		}
	}
	header := make(http.Header, len(hdr))
	for k, v := range hdr {
		header.Set(k, v)
	}
	resp, err := h.b.HTTP.Fetch(ctx, strings.ToUpper(method), url, header, body)
	if err != nil {
		return fetchResult{Error: sdk.AsError(err).Message}
	}
	headers := make(map[string]string, len(resp.Header))
	for k, v := range resp.Header {
		headers[k] = strings.Join(v, ", ")
	}
	return fetchResult{Status: resp.Status, Headers: headers, Body: string(resp.Body)}
}
