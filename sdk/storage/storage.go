// Package storage is the contract of the storage domain: content-addressed
// files (IPFS CIDs) with per-namespace pins. It holds the Storage
// interface, its gRPC adapters (Plugin, Client, Register — bytes travel as
// chunked gRPC streams, never whole files in one message) and, in
// storagetest, the conformance suite every implementation must pass.
//
// A CID names the same bytes for everyone, but a namespace reaches content
// only through its own pins: Get and Stat are not_found unless the
// namespace pins the CID, and Pin by CID is not_found when only other
// namespaces pin it (a CID is no key to another tenant's files). A
// namespace sees, lists and removes only its own pins, and content pinned
// by several namespaces stays until every one has unpinned.
package storage

import (
	"context"
	"io"
	"time"

	"github.com/orama-network/orama/sdk/plugin"
)

// Kind is the plugin kind of the storage domain.
const Kind = "storage"

// ChunkSize is the payload size of one stream message.
const ChunkSize = 256 << 10

// Pin states reported by Status.
const (
	StatusPinned   = "pinned"
	StatusPinning  = "pinning"
	StatusUnpinned = "unpinned"
	StatusQueued   = "queued"
	StatusError    = "error"
)

// PutOptions control an upload.
type PutOptions struct {
	Name string // stored with the pin (may be empty)
	Pin  bool   // pin in the caller's namespace after import
	// MaxSize bounds the upload in bytes (0: the implementation's limit);
	// beyond it Put fails with too_large and nothing is pinned.
	MaxSize int64
}

// PutResult describes stored content.
type PutResult struct {
	CID  string
	Size int64 // bytes of the original content
}

// Stat describes content by its CID.
type Stat struct {
	CID  string
	Size int64 // bytes of the original content
	// Name is the name of the caller's pin of the CID when Named: Get
	// may fill it in (the registry lookup that checks the pin has it),
	// which spares its caller a Status call. Stat leaves it unset.
	Name  string
	Named bool
}

// PinStatus is a namespace's pin of a CID.
type PinStatus struct {
	CID               string
	Name              string
	Status            string // see the Status* constants
	ReplicationMin    int
	ReplicationMax    int
	ReplicationFactor int      // peers that hold it now
	Peers             []string // peer ids holding it
	Error             string
	Created           time.Time
}

// Storage stores content and keeps per-namespace pins.
//
// Errors (as *sdk.Error): invalid for a malformed CID or bad arguments;
// not_found for content or a pin that does not exist (in that namespace);
// too_large when an upload exceeds its limit; unavailable when the backend
// cannot be reached.
type Storage interface {
	// Put imports r and returns its CID. The CID for given bytes equals
	// what `ipfs add` gives with the implementation's configured settings.
	Put(ctx context.Context, namespace string, r io.Reader, opts PutOptions) (PutResult, error)
	// Get returns the content of cid from offset, at most length bytes
	// (length < 0: to the end). The caller closes the reader. Errors:
	// not_found unless namespace pins cid.
	Get(ctx context.Context, namespace, cid string, offset, length int64) (io.ReadCloser, Stat, error)
	// Stat returns the size of cid's content. Errors: not_found unless
	// namespace pins cid.
	Stat(ctx context.Context, namespace, cid string) (Stat, error)
	// Pin pins cid in namespace (content must be reachable); replication
	// 0 means the implementation's default. Errors: not_found when the
	// content is absent, or when other namespaces pin it and namespace
	// does not (worded as for absent content).
	Pin(ctx context.Context, namespace, cid, name string, replication int) (PinStatus, error)
	// Unpin removes namespace's pin of cid. Errors: not_found when that
	// namespace has no such pin.
	Unpin(ctx context.Context, namespace, cid string) error
	// Status reports namespace's pin of cid. Errors: not_found.
	Status(ctx context.Context, namespace, cid string) (PinStatus, error)
	// Pins lists namespace's pins.
	Pins(ctx context.Context, namespace string) ([]PinStatus, error)
	// Health reports the backend's state.
	Health(ctx context.Context) (plugin.Health, error)
}

// Backend is what a storage plugin implements: Base plus Storage.
type Backend interface {
	plugin.Base
	Storage
}
