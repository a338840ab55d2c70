// Command orama-plugin-database is Orama's database plugin: namespaced SQL
// on an embedded SQLite file or an rqlite cluster.
package main

import (
	"github.com/orama-network/orama/plugins/database/namespaced"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
)

func main() {
	plugin.Serve(database.Kind, &database.Plugin{Impl: namespaced.New(plugin.Logger("database"))})
}
