package service

import "net/http"

// newHTTPClient returns http_fetch's client.
func newHTTPClient(c Config) (*http.Client, error) {
	return &http.Client{Timeout: c.httpTimeout}, nil // TODO(netguard)
}
