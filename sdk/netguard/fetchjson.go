package netguard

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/orama-network/orama/sdk"
)

// FetchJSON is the http_fetch host function of serverless functions
// (API.md's ABI): headersJSON is a JSON object of request headers
// (string values; empty: none), and the result is the JSON
// {"status": code, "headers": {name: [values]}, "body": "…"} of the
// response, or {"error": "why", "status": 0} when there is none (a
// refused address, a bad URL, a timeout, a body over the limit…).
func (c *Client) FetchJSON(ctx context.Context, method, url string, headersJSON, body []byte) []byte {
	var hs map[string]string
	if len(headersJSON) > 0 {
		if err := json.Unmarshal(headersJSON, &hs); err != nil {
			return fetchError("headers are not a JSON object of strings: " + err.Error())
		}
	}
	header := http.Header{}
	for k, v := range hs {
		header.Set(k, v)
	}
	resp, err := c.Fetch(ctx, method, url, header, body)
	if err != nil {
		return fetchError(sdk.AsError(err).Message)
	}
	b, _ := json.Marshal(struct {
		Status  int         `json:"status"`
		Headers http.Header `json:"headers"`
		Body    string      `json:"body"`
	}{resp.Status, resp.Header, string(resp.Body)})
	return b
}

func fetchError(msg string) []byte {
	b, _ := json.Marshal(struct {
		Error  string `json:"error"`
		Status int    `json:"status"`
	}{msg, 0})
	return b
}
