package plugintest

import (
	"context"
	"sync"

	"github.com/orama-network/orama/sdk/hostapi"
)

// Host is a hostapi.Host for tests: it records the entries it is sent and
// answers Err (SetErr changes it while calls may be running). Its zero
// value is ready to use.
type Host struct {
	Err error

	mu      sync.Mutex
	entries []hostapi.Entry
}

var _ hostapi.Host = (*Host)(nil)

// Log records e and returns h.Err.
func (h *Host) Log(_ context.Context, e hostapi.Entry) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.entries = append(h.entries, e)
	return h.Err
}

// Logged returns a copy of the entries recorded so far.
func (h *Host) Logged() []hostapi.Entry {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hostapi.Entry(nil), h.entries...)
}

// SetErr makes Log answer err from now on.
func (h *Host) SetErr(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.Err = err
}
