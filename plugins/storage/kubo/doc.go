// Package kubo is the storage plugin's driver for a kubo (go-ipfs) node,
// spoken to through kubo's RPC API at the configured address: the calls
// that stream bytes (add, cat) directly over HTTP, the others through
// kubo's own RPC client (github.com/ipfs/kubo/client/rpc).
//
// Imports go to kubo's add with the embedded driver's settings (256 KiB
// chunks, balanced layout, CIDv0 or CIDv1 with raw leaves), the caller's
// bytes as the one part of a multipart body. An upload that pins, with no
// cluster configured, is one call: add with pin=true and the pin's name
// (AddPinned); otherwise add with pin=false and the namespace layer pins
// afterwards. A whole-file read is one call too: cat, whose
// X-Content-Length header gives the size (OpenWhole); a range asks for
// the file's size (files/stat) and then for exactly the range (cat with
// offset and length). The node's own Import.* config must be at kubo's
// defaults (no link width is sent), or CIDs differ from the embedded
// driver's.
//
// Pins are kubo recursive pins, or, when an IPFS Cluster REST API is
// configured, cluster pins with replication factors (package cluster);
// the cluster then decides which kubo peers hold the content.
//
// Every call is bounded: calls that answer at once by the timeout;
// streams (uploads and downloads, which may run long) by a stall guard
// that cancels them when kubo makes no progress for the timeout.
package kubo
