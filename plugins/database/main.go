package main

import (
	_ "github.com/orama-network/orama/sdk/database"
	_ "github.com/orama-network/orama/sdk/plugin"
	_ "github.com/rqlite/gorqlite"
	_ "github.com/rqlite/sql"
	_ "modernc.org/sqlite"
)

func main() {}
