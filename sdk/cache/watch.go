package cache

import (
	"context"
	"errors"

	"github.com/orama-network/orama/sdk"
	cachev1 "github.com/orama-network/orama/sdk/gen/orama/cache/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Watcher is the optional invalidation stream of a Cache. A host keeps a
// near cache (a bounded copy of hot entries in its own process) only of a
// plugin whose Cache is also a Watcher; a third-party plugin opts in by
// implementing it, and one that does not is simply always asked.
//
// WatchInvalidations calls fn, in order, with:
//   - first, Invalidation{All: true}, once the implementation sees every
//     write made from then on (through any node of its cluster);
//   - then one Invalidation naming (namespace, dmap, key) for each Put or
//     Delete of that key through any node, this one included, after the
//     write is visible to Get;
//   - Invalidation{All: true} again whenever some invalidations may have
//     been lost (e.g. a bounded queue overflowed): everything is suspect.
//
// It returns when ctx ends (ctx's error), when fn returns an error (that
// error), or when the implementation can no longer see every write
// (unavailable): the caller must then forget what it cached. Expiry needs
// no invalidation: entries carry ExpiresAt. Errors: unavailable.
type Watcher interface {
	WatchInvalidations(ctx context.Context, fn func(Invalidation) error) error
}

// Invalidation names a key whose value changed, or, with All, every key.
type Invalidation struct {
	Namespace, DMap, Key string
	All                  bool
}

// ErrWatchUnsupported is what Client.WatchInvalidations returns when the
// plugin does not implement the stream (code unavailable, so callers that
// only check codes treat it like a plugin that is down).
var ErrWatchUnsupported = sdk.Errorf(sdk.CodeUnavailable, "cache plugin does not stream invalidations")

var _ Watcher = (*Client)(nil)

// WatchInvalidations opens the plugin's invalidation stream and calls fn
// with each message until ctx ends, fn fails or the stream ends. A plugin
// that does not implement it yields ErrWatchUnsupported.
func (c *Client) WatchInvalidations(ctx context.Context, fn func(Invalidation) error) error {
	if err := c.Alive(); err != nil {
		return err
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if done := c.Done(); done != nil {
		// The client's lifetime ends the stream even when the connection
		// itself stays up (a host API connection).
		go func() {
			select {
			case <-done:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	stream, err := c.api.WatchInvalidations(ctx, &cachev1.WatchRequest{})
	if err != nil {
		return watchError(err)
	}
	for {
		m, err := stream.Recv()
		if err != nil {
			if parent.Err() != nil {
				return parent.Err()
			}
			if ctx.Err() != nil {
				return sdk.Errorf(sdk.CodeUnavailable, "cache plugin is gone")
			}
			return watchError(err)
		}
		if err := fn(Invalidation{Namespace: m.Namespace, DMap: m.Dmap, Key: m.Key, All: m.All}); err != nil {
			return err
		}
	}
}

func watchError(err error) error {
	if status.Code(err) == codes.Unimplemented {
		return ErrWatchUnsupported
	}
	return sdk.FromGRPC(err)
}

// WatchInvalidations serves impl's stream when impl is a Watcher, and
// answers Unimplemented otherwise.
func (s *server) WatchInvalidations(_ *cachev1.WatchRequest, stream cachev1.Cache_WatchInvalidationsServer) error {
	w, ok := s.impl.(Watcher)
	if !ok {
		return status.Error(codes.Unimplemented, "cache implementation does not stream invalidations")
	}
	err := w.WatchInvalidations(stream.Context(), func(inv Invalidation) error {
		return stream.Send(&cachev1.Invalidation{Namespace: inv.Namespace, Dmap: inv.DMap, Key: inv.Key, All: inv.All})
	})
	if err != nil && stream.Context().Err() != nil && errors.Is(err, stream.Context().Err()) {
		return nil
	}
	return sdk.ToGRPC(err)
}
