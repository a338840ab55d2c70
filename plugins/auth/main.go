// Command orama-plugin-auth is Orama's auth plugin: wallet sign-in, API
// keys and JWTs, stored through the database plugin via the host.
package main

import (
	"github.com/orama-network/orama/plugins/auth/service"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/plugin"
)

func main() {
	plugin.Serve(auth.Kind, &auth.Plugin{Impl: service.New(plugin.Logger("auth"))})
}
