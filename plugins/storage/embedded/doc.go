// Package embedded is the storage plugin's default driver: an offline IPFS
// blockstore inside the plugin, built on boxo, that produces the same CIDs
// as `ipfs add` and needs nothing installed.
//
// Layout under the driver's directory:
//
//	blocks/  flatfs datastore of raw blocks (one file per block, written
//	         to a temporary file and renamed, fsynced), as kubo keeps them
//	pinset/  LevelDB datastore of boxo's pinner (recursive pins)
//
// Imports use kubo's defaults: fixed 256 KiB chunks, a balanced DAG of at
// most 174 links per node, CIDv0 with dag-pb leaves, or CIDv1 with raw
// leaves when configured (like `ipfs add --cid-version=1`). Reads go
// through a UnixFS DAG reader that seeks to the range and streams one
// block at a time.
//
// GC deletes every block not reachable from a pin. It never waits in line
// for the lock that imports and pins share: it only takes it when nothing
// holds it (TryLock), so it cannot stall uploads, and imports and pins can
// take the shared side recursively.
package embedded
