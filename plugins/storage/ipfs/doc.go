// Package ipfs is the storage plugin's backend (storage.Backend): content
// addressed by real IPFS CIDs, kept by a driver — the embedded boxo
// blockstore (package embedded, the default) or a kubo node (package
// kubo, optionally pinning through IPFS Cluster) — and pins kept per
// namespace in a pin registry (package registry).
//
// Pins. The registry maps (namespace, CID) to {name, created,
// replication}. The driver-level pin of a CID is held while at least one
// namespace pins it: content pinned by two namespaces stays until both
// have unpinned. Operations on one CID are serialised. The order of
// writes keeps every crash on the safe side: a pin is taken in the
// driver before the registry records it, and the registry forgets a pin
// before the driver drops it, so a crash can leave a driver pin that no
// namespace holds (content kept, never lost); at start the embedded
// driver's pins that no namespace holds are dropped. A driver that pins
// in the import (driver.PinningAdder: kubo without a cluster) takes the
// pin before the CID's lock; the registry write that follows, under the
// lock, pins again if a driver unpin ran in between.
//
// Calls per request. An upload that pins is one driver import (pinning
// in it where the driver can), a registry lookup and a registry write;
// a whole-file Get is a registry lookup, which also gives the pin's name
// for the caller, and one driver read (driver.WholeOpener: for kubo, one
// cat).
//
// Several gateway nodes: each node keeps its own registry in its data
// directory (<data_dir>/<plugin name>/registry); the registries are not
// shared. With IPFS Cluster the cluster keeps the content and its
// replicas for every node, but a node that drops its last namespace pin
// of a CID unpins it from the cluster, whatever other nodes' registries
// hold; give each node's tenants their own CIDs' lifecycle or run one
// node per cluster when that matters.
//
// Limits. Uploads stop at max_upload_bytes or the request's MaxSize
// (too_large; nothing is pinned and the imported blocks are garbage).
// Every call to a backend is bounded by timeout; streams are bounded by
// the driver's stall guard. The embedded driver's GC runs every
// gc_interval and on demand (Store.GC).
package ipfs
