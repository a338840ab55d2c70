// Package service is the serverless plugin's serverless.Backend: it
// deploys WASM modules (compiled and checked by package engine, the bytes
// stored through the host API's storage domain, the metadata in the
// database domain's system namespace by package store), keeps every
// version, and invokes them with package hostfuncs as their host
// functions.
//
// Any node sharing the database and storage can invoke any function: a
// node resolves a function's metadata through a cache whose entries live
// at most metadata_ttl, and fetches a module it has not compiled yet from
// storage by CID (checking its SHA-256) — once per module, not per call:
// the warm path never touches storage. Module bytes are pinned in storage
// under the system namespace (database.SystemNamespace, "_system"), which
// no tenant credential can act in, so no tenant can unpin a function's
// code.
//
// Invocation records and the lines a function logs are written to the
// database asynchronously, in batches, from a bounded buffer, so an
// invocation never waits for the database; what does not fit is dropped,
// counted and reported in the plugin's log. Logs flushes what is pending
// before it reads.
package service
