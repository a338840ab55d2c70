//go:build !unix

package server

// openFileLimit is unknown off Unix: DefaultMaxConnections takes 1024.
func openFileLimit() uint64 { return 0 }
