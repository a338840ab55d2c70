//go:build tools

// Package kubo pins the IPFS daemon that the storage integration tests
// start (built into .tools/bin/ipfs by `make tools-kubo`).
package kubo

import _ "github.com/ipfs/kubo/cmd/ipfs"
