package service

import "github.com/orama-network/orama/sdk/netguard"

// newHTTPClient returns http_fetch's SSRF-safe client.
func newHTTPClient(c Config) (*netguard.Client, error) {
	return netguard.New(netguard.Config{Allow: c.HTTPAllow, Timeout: c.httpTimeout, MaxBodyBytes: c.HTTPMaxBytes})
}
