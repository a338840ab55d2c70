// Command orama-plugin-serverless is Orama's serverless plugin: WASM
// functions on wazero, code in storage and metadata in the database
// through the host API.
package main

import (
	"github.com/orama-network/orama/plugins/serverless/service"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/serverless"
)

func main() {
	plugin.Serve(serverless.Kind, &serverless.Plugin{Impl: service.New(plugin.Logger(serverless.Kind))})
}
