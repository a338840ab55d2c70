// Package sdk holds what every Orama plugin author and client imports: the
// error type shared by host, plugins and clients, and the single table that
// maps an error code to a gRPC code and an HTTP status.
//
// Sub-packages: plugin (handshake, Serve, the Base interface), hostapi (what
// the host offers plugins), one package per domain (cache, …) with its
// contract, gRPC adapters and conformance suite, and gen (generated code).
package sdk
