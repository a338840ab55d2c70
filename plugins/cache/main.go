package main

import (
	_ "github.com/buraksezer/olric"
	_ "github.com/buraksezer/olric/config"
	_ "github.com/hashicorp/memberlist"
	_ "github.com/orama-network/orama/sdk/plugin"
	_ "github.com/orama-network/orama/sdk/cache"
)

func main() {}
