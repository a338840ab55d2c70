// Command orama-plugin-storage is Orama's storage plugin: IPFS content
// in an embedded boxo blockstore or on kubo (optionally IPFS Cluster).
package main

import (
	"github.com/orama-network/orama/plugins/storage/ipfs"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/storage"
)

func main() {
	plugin.Serve(storage.Kind, &storage.Plugin{Impl: ipfs.New(plugin.Logger(storage.Kind))})
}
