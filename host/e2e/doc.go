// Package e2e holds the end-to-end tests of the gateway: they build the real
// binaries (bin/orama and the cache, database, storage, auth and pubsub
// plugins, and test plugins), write a config under t.TempDir(), start the
// host on a free port and drive it over HTTP with sdk/client. The database
// tests also start real rqlited processes (one node, or a 3-node cluster on
// loopback) from .tools/bin/rqlited, built by make tools-rqlited. The auth
// tests sign in with real secp256k1 and ed25519 keys (sdk/auth/authtest)
// over HTTP and run orama keys and orama auth login as a user would. The
// pubsub tests speak real WebSockets (coder/websocket) to the host; the
// two-node test peers two hosts over the libp2p driver on 127.0.0.1, with
// node keys the test writes (pubsub_cluster_test.go). A binary or server
// they need that cannot be built or started fails the test; nothing is
// skipped.
package e2e
