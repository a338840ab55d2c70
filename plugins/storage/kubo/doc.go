// Package kubo is the storage plugin's driver for a kubo (go-ipfs) node,
// spoken to through kubo's own RPC client (github.com/ipfs/kubo/client/rpc)
// at the configured API address.
//
// Imports go through Unixfs().Add with the embedded driver's settings
// (256 KiB chunks, balanced layout, CIDv0 or CIDv1 with raw leaves) and
// pin=false; the namespace layer pins afterwards. Reads ask kubo for the
// file's size (files/stat) and then for exactly the range (cat with
// offset and length). The node's own Import.* config must be at kubo's
// defaults (the RPC client cannot send a link width), or CIDs differ from
// the embedded driver's.
//
// Pins are kubo recursive pins, or, when an IPFS Cluster REST API is
// configured, cluster pins with replication factors (package cluster);
// the cluster then decides which kubo peers hold the content.
//
// Every call is bounded: calls that answer at once by the timeout;
// streams (uploads and downloads, which may run long) by a stall guard
// that cancels them when kubo makes no progress for the timeout.
package kubo
