package plugin

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orama-network/orama/sdk"
)

// State holds what Configure made of a plugin (its open engine, its
// parsed config…): nil before Configure, after a failed Configure and
// after Close. Configure and Close are serialised; Load and Current take
// no lock, so every call may use them. The zero State is ready to use.
//
//	type Store struct{ cur plugin.State[backend] }
//
//	func (s *Store) Configure(ctx context.Context, cfg plugin.Config) error {
//		c, err := ParseConfig(cfg)
//		if err != nil {
//			return err
//		}
//		return s.cur.Configure("cache", func() (*backend, error) { return open(ctx, c) })
//	}
type State[T any] struct {
	mu  sync.Mutex // serialises Configure and Close
	cur atomic.Pointer[T]
}

// Configure stores what open returns; open runs only when the State is
// not configured yet. kind names the plugin in the error. Errors:
// conflict when already configured; what open returns (nothing is
// stored then).
func (s *State[T]) Configure(kind string, open func() (*T, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur.Load() != nil {
		return sdk.Errorf(sdk.CodeConflict, "%s plugin is already configured; restart it to change its config", kind)
	}
	v, err := open()
	if err != nil {
		return err
	}
	s.cur.Store(v)
	return nil
}

// Load returns the configured value, or nil.
func (s *State[T]) Load() *T { return s.cur.Load() }

// Current returns the configured value. Errors: unavailable when there
// is none (kind names the plugin in the message).
func (s *State[T]) Current(kind string) (*T, error) {
	v := s.cur.Load()
	if v == nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "%s plugin is not configured", kind)
	}
	return v, nil
}

// Close forgets the configured value and returns what release returns
// for it. It is a no-op (nil) before Configure, after a failed Configure
// and when called again.
func (s *State[T]) Close(release func(*T) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.cur.Swap(nil)
	if v == nil {
		return nil
	}
	return release(v)
}

// WithDefaultTimeout bounds ctx by d when it has no deadline of its own,
// e.g. for a Close the host may call with context.Background().
func WithDefaultTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, d)
}
