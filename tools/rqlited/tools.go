//go:build tools

// Package rqlited pins the rqlite server that the integration tests start
// (built into .tools/bin/rqlited by `make tools-rqlited`).
package rqlited

import _ "github.com/rqlite/rqlite/v9/cmd/rqlited"
