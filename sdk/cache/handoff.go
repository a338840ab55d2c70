package cache

import (
	"context"
	"errors"
	"io"

	"github.com/orama-network/orama/sdk"
	cachev1 "github.com/orama-network/orama/sdk/gen/orama/cache/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Handoff is the optional capability that keeps a cache's entries across
// an upgrade. When the host replaces a cache plugin instance (a new
// binary, a new config, an operator's restart), it starts the successor,
// sends traffic to it, and streams the old instance's Export into the
// successor's Import; until that ends it reads the old instance on a miss
// and sends deletes to both. Only then does the old instance stop. A
// plugin that does not implement Handoff (its gRPC server answers
// Unimplemented) is upgraded all the same; the host logs that its entries
// did not move. Third-party plugins opt in by implementing it.
type Handoff interface {
	// Export calls fn with batches of at most batchSize entries (0: the
	// implementation's choice) until it has sent every entry this
	// instance holds that would be lost when it stops, each with its
	// absolute expiry. The first batch carries Total, the number of
	// entries Export expects to send (an estimate when entries expire or
	// are written meanwhile). It returns fn's error, or ctx's.
	// Errors: unavailable.
	Export(ctx context.Context, batchSize int, fn func(ExportBatch) error) error
	// Import stores each entry unless its key exists (a write made during
	// the hand-off wins over the older copy) and skips entries already
	// expired. Errors: invalid (a name or value out of limits), unavailable.
	Import(ctx context.Context, entries []HandoffEntry) (ImportCounts, error)
}

// HandoffEntry is one entry of a hand-off, with the names it lives under.
type HandoffEntry struct {
	Namespace, DMap string
	Entry
}

// ExportBatch is one batch of an Export.
type ExportBatch struct {
	Entries []HandoffEntry
	Total   int64 // first batch only: the entries Export expects to send
}

// ImportCounts says what Import did with the entries it was given.
type ImportCounts struct {
	Stored  int64 // written
	Existed int64 // skipped: the key existed already
	Expired int64 // skipped: already expired
}

// Add returns the sum of c and o.
func (c ImportCounts) Add(o ImportCounts) ImportCounts {
	return ImportCounts{Stored: c.Stored + o.Stored, Existed: c.Existed + o.Existed, Expired: c.Expired + o.Expired}
}

// Moved is the number of entries Import accounted for.
func (c ImportCounts) Moved() int64 { return c.Stored + c.Existed + c.Expired }

// ErrHandoffUnsupported is what Client's Export and Import return when the
// plugin does not implement the hand-off.
var ErrHandoffUnsupported = sdk.Errorf(sdk.CodeUnavailable, "cache plugin does not hand off its entries")

var _ Handoff = (*Client)(nil)

// Export streams the plugin's Export into fn.
func (c *Client) Export(ctx context.Context, batchSize int, fn func(ExportBatch) error) error {
	if err := c.Alive(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.api.Export(ctx, &cachev1.ExportRequest{BatchSize: int32(batchSize)})
	if err != nil {
		return handoffError(err)
	}
	for {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return handoffError(err)
		}
		b := ExportBatch{Total: m.Total, Entries: make([]HandoffEntry, len(m.Entries))}
		for i, e := range m.Entries {
			b.Entries[i] = HandoffEntry{Namespace: e.Namespace, DMap: e.Dmap, Entry: entryFromProto(e.Entry)}
		}
		if err := fn(b); err != nil {
			return err
		}
	}
}

// Import sends entries to the plugin's Import as one batch.
func (c *Client) Import(ctx context.Context, entries []HandoffEntry) (ImportCounts, error) {
	if err := c.Alive(); err != nil {
		return ImportCounts{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.api.Import(ctx)
	if err != nil {
		return ImportCounts{}, handoffError(err)
	}
	if err := stream.Send(batchToProto(ExportBatch{Entries: entries})); err != nil && !errors.Is(err, io.EOF) {
		return ImportCounts{}, handoffError(err)
	}
	resp, err := stream.CloseAndRecv()
	if err != nil {
		return ImportCounts{}, handoffError(err)
	}
	return ImportCounts{Stored: resp.Stored, Existed: resp.Existed, Expired: resp.Expired}, nil
}

func handoffError(err error) error {
	if status.Code(err) == codes.Unimplemented {
		return ErrHandoffUnsupported
	}
	return sdk.FromGRPC(err)
}

func batchToProto(b ExportBatch) *cachev1.EntryBatch {
	m := &cachev1.EntryBatch{Total: b.Total, Entries: make([]*cachev1.HandoffEntry, len(b.Entries))}
	for i, e := range b.Entries {
		m.Entries[i] = &cachev1.HandoffEntry{Namespace: e.Namespace, Dmap: e.DMap, Entry: entryToProto(e.Entry)}
	}
	return m
}

// Export serves impl's Export when impl is a Handoff, and answers
// Unimplemented otherwise.
func (s *server) Export(req *cachev1.ExportRequest, stream cachev1.Cache_ExportServer) error {
	h, ok := s.impl.(Handoff)
	if !ok {
		return status.Error(codes.Unimplemented, "cache implementation does not hand off its entries")
	}
	err := h.Export(stream.Context(), int(req.BatchSize), func(b ExportBatch) error {
		return stream.Send(batchToProto(b))
	})
	return sdk.ToGRPC(err)
}

// Import serves impl's Import when impl is a Handoff (one call per batch
// received), and answers Unimplemented otherwise.
func (s *server) Import(stream cachev1.Cache_ImportServer) error {
	h, ok := s.impl.(Handoff)
	if !ok {
		return status.Error(codes.Unimplemented, "cache implementation does not hand off its entries")
	}
	var sum ImportCounts
	for {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return stream.SendAndClose(&cachev1.ImportResponse{Stored: sum.Stored, Existed: sum.Existed, Expired: sum.Expired})
		}
		if err != nil {
			return err
		}
		entries := make([]HandoffEntry, len(m.Entries))
		for i, e := range m.Entries {
			entries[i] = HandoffEntry{Namespace: e.Namespace, DMap: e.Dmap, Entry: entryFromProto(e.GetEntry())}
		}
		n, err := h.Import(stream.Context(), entries)
		if err != nil {
			return sdk.ToGRPC(err)
		}
		sum = sum.Add(n)
	}
}
