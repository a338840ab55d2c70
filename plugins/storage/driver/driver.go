// Package driver is the contract between the storage plugin's namespace
// layer (package ipfs) and the content backends under it (package
// embedded, package kubo): import bytes into a UnixFS DAG, read a file
// back by byte range, and hold or drop one backend-level pin per CID.
//
// Drivers know nothing of namespaces: the namespace layer keeps the pin
// registry and holds a driver pin while at least one namespace pins the
// CID. Every method takes ctx first and returns *sdk.Error values:
// not_found for content the backend does not have, invalid for a CID that
// is not a UnixFS file, unavailable when the backend cannot be reached in
// time.
package driver

import (
	"context"
	"io"

	"github.com/ipfs/go-cid"
	"github.com/orama-network/orama/sdk/plugin"
)

// Import settings shared by both drivers, equal to kubo's defaults for
// `ipfs add`: fixed-size chunks of 256 KiB and a balanced DAG of at most
// 174 links per node.
const (
	ChunkSize = 262144
	Chunker   = "size-262144"
	MaxLinks  = 174
)

// Driver stores UnixFS content and keeps backend-level pins.
type Driver interface {
	// Add imports r to its end as one unpinned UnixFS file and returns
	// the root CID. An error of r comes back wrapped.
	Add(ctx context.Context, r io.Reader) (cid.Cid, error)
	// Size returns the byte size of the file c names.
	Size(ctx context.Context, c cid.Cid) (int64, error)
	// Open returns length bytes of c's file from offset; the range was
	// checked against Size. The reader lives until Close or ctx ends.
	Open(ctx context.Context, c cid.Cid, offset, length int64) (io.ReadCloser, error)
	// Pin pins c's whole DAG (content must be reachable) or updates the
	// spec of an existing pin.
	Pin(ctx context.Context, c cid.Cid, spec PinSpec) error
	// Unpin drops the pin of c; unpinning what is not pinned is no error.
	Unpin(ctx context.Context, c cid.Cid) error
	// Placement reports where c's pin stands.
	Placement(ctx context.Context, c cid.Cid) (Placement, error)
	// Hold keeps garbage collection from running until release is
	// called, so an import and the pin that follows it are atomic with
	// respect to GC. Drivers without GC return a no-op.
	Hold() (release func())
	// Health reports whether the backend serves.
	Health(ctx context.Context) plugin.Health
	// Close releases the backend.
	Close(ctx context.Context) error
}

// PinningAdder is implemented by drivers whose backend can pin content
// in the import itself (kubo's add with pin=true): one backend call
// instead of Add and then Pin.
type PinningAdder interface {
	// AddPinned is Add followed by Pin of the root with spec, in one
	// call. ok is false, and nothing was read from r, when the driver
	// cannot do so now (pins that go through IPFS Cluster): the caller
	// uses Add and Pin.
	AddPinned(ctx context.Context, r io.Reader, spec PinSpec) (c cid.Cid, ok bool, err error)
}

// WholeOpener is implemented by drivers that open a whole file and learn
// its size in one backend call (kubo's cat announces the length before
// the bytes), where Size and then Open take two.
type WholeOpener interface {
	// OpenWhole returns c's file from its first byte and the file's
	// size. Errors as Size and Open.
	OpenWhole(ctx context.Context, c cid.Cid) (io.ReadCloser, int64, error)
}

// PinSpec describes a backend pin. Replication is honoured by backends
// that replicate (IPFS Cluster); -1 means every peer.
type PinSpec struct {
	Name           string
	ReplicationMin int
	ReplicationMax int
}

// Placement is a backend's view of a pin: its state (one of the
// storage.Status* constants), the peers that hold the content and the
// last error, if any.
type Placement struct {
	Status string
	Peers  []string
	Error  string
}

// Collector is implemented by drivers that garbage-collect their own
// blocks (the embedded driver).
type Collector interface {
	// GC deletes every block not reachable from a pin.
	GC(ctx context.Context) (GCResult, error)
}

// GCResult counts what a collection did.
type GCResult struct {
	Kept    int // blocks reachable from a pin
	Removed int // blocks deleted
}
