// Command orama is the Orama gateway host: see `orama help`.
package main

import (
	"context"
	"os"

	"github.com/orama-network/orama/host/internal/app"
)

func main() {
	os.Exit(app.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
