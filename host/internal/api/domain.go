package api

import (
	"context"
	"net/http"
	"time"
)

// Domain finds one plugin domain for a request and bounds the calls made
// on it by the request timeout. Every adapter holds one for its domain.
type Domain[T any] struct {
	// Plugin returns the domain; while its plugin is down, restarting or
	// being upgraded it waits (bounded by ctx), then fails unavailable.
	// (Not "Get": adapters have routes of that name.)
	Plugin  func(ctx context.Context) (T, error)
	Timeout time.Duration // bound of every plugin call of a request
}

// Context bounds ctx by the request timeout.
func (d Domain[T]) Context(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d.Timeout)
}

// Open returns the request's context bounded by the timeout and the
// domain. The caller cancels the context unless err is not nil.
func (d Domain[T]) Open(r *http.Request) (context.Context, context.CancelFunc, T, error) {
	ctx, cancel := d.Context(r.Context())
	v, err := d.Plugin(ctx)
	if err != nil {
		cancel()
		var zero T
		return nil, nil, zero, err
	}
	return ctx, cancel, v, nil
}

// Do calls fn with the bounded context and the domain.
func (d Domain[T]) Do(r *http.Request, fn func(ctx context.Context, v T) error) error {
	ctx, cancel, v, err := d.Open(r)
	if err != nil {
		return err
	}
	defer cancel()
	return fn(ctx, v)
}
