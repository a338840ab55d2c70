// Package registry is the storage plugin's pin registry: which namespace
// pins which CID, under what name, since when and with what replication.
//
// It lives in a LevelDB datastore (go-ds-leveldb) under the plugin's data
// directory. Each pin is two keys written in one synchronous batch, so a
// crash leaves either both or neither:
//
//	/ns/<namespace>/<cid>  → the entry (JSON)
//	/cid/<cid>/<namespace> → empty (the index of a CID's holders)
//
// The registry does not serialise operations on one CID; its caller does
// (package ipfs locks per CID).
package registry
