// Package plugin is what every Orama plugin is built on: the go-plugin
// handshake and protocol version, Serve, and the Base interface (Info,
// ValidateConfig, Configure, Health, Close) with its gRPC adapters.
//
// A plugin binary's main is one call:
//
//	plugin.Serve("cache", &cache.Plugin{Impl: mystore.New()})
//
// A domain's go-plugin wrapper is GRPCPlugin instantiated with the
// domain's backend interface and a Domain (how to register its service and
// build its client), e.g. in package cache:
//
//	type Plugin = plugin.GRPCPlugin[Backend, domain]
//
// The lifecycle follows Caddy's: the host calls ValidateConfig (no side
// effects), then Configure (start the backend), then serves traffic, and
// Close at the end. Close must tolerate a Configure that failed half way.
//
// Metrics: a plugin registers Prometheus collectors on Metrics(); the host
// gathers them over the plugin connection (the Base service's Metrics
// call) and serves them on its own /metrics labelled plugin="<kind>".
package plugin
