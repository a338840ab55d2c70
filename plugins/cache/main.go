// Command orama-plugin-cache is Orama's cache plugin, backed by Olric.
package main

import (
	"github.com/orama-network/orama/plugins/cache/olric"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin"
)

func main() {
	plugin.Serve(cache.Kind, &cache.Plugin{Impl: olric.New(plugin.Logger("cache"))})
}
