package hostfuncs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

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
// is refused or fails. The body read is capped at HTTPMaxBytes (more is
// an error); headersJSON is a JSON object of strings (empty: none).
func (h *Host) HTTPFetch(ctx context.Context, method, url string, headersJSON, body []byte) []byte {
	res := h.fetch(ctx, method, url, headersJSON, body)
	if res.Error != "" {
		h.logged("http_fetch", fmt.Errorf("%s %s: %s", method, url, res.Error))
	}
	out, _ := json.Marshal(res)
	return out
}

func (h *Host) fetch(ctx context.Context, method, url string, headersJSON, body []byte) fetchResult {
	if h.b.HTTP == nil {
		return fetchResult{Error: "http_fetch is not available"}
	}
	if method == "" {
		method = http.MethodGet
	}
	method = strings.ToUpper(method)
	if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
		return fetchResult{Error: "only http and https URLs may be fetched"}
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
	var rd io.Reader
	if len(body) > 0 {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return fetchResult{Error: err.Error()}
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := h.b.HTTP.Do(req)
	if err != nil {
		return fetchResult{Error: err.Error()}
	}
	defer resp.Body.Close()
	limit := h.b.HTTPMaxBytes
	if limit <= 0 {
		limit = 1 << 20
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return fetchResult{Error: err.Error()}
	}
	if int64(len(data)) > limit {
		return fetchResult{Error: fmt.Sprintf("response body larger than %d bytes", limit)}
	}
	headers := make(map[string]string, len(resp.Header))
	for k, v := range resp.Header {
		headers[k] = strings.Join(v, ", ")
	}
	return fetchResult{Status: resp.StatusCode, Headers: headers, Body: string(data)}
}
