// Command orama-plugin-pubsub is Orama's pubsub plugin: an in-process
// broker on one node ("local"), or libp2p gossipsub between the nodes of a
// cluster ("libp2p").
package main

import (
	"github.com/orama-network/orama/plugins/pubsub/service"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/pubsub"
)

func main() {
	plugin.Serve(pubsub.Kind, &pubsub.Plugin{Impl: service.New(plugin.Logger("pubsub"))})
}
