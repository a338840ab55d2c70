// Package telemetry sets up OpenTelemetry tracing the same way in the host
// and in every plugin process: spans exported with OTLP over gRPC to the
// collector config.hcl's telemetry { otlp_endpoint = … } names, sampled
// parent-based with a configurable ratio, and W3C Trace Context
// (traceparent, tracestate) as the one propagation format.
//
// The host passes its Config to the plugins it launches as environment
// variables (Config.Environ, FromEnv): a plugin built on sdk/plugin sets
// up its tracer provider from them before it serves, so a third-party
// plugin traces without any code of its own. Across the go-plugin
// connection, traceparent travels in gRPC metadata: UnaryClient and
// StreamClient inject it on the calling side, UnaryServer and
// StreamServer extract it and start a server span on the other. A call
// that carries no traceparent (health checks, calls outside a request)
// gets no span.
//
// Inside a plugin, Start and End wrap each call into the backend (Olric,
// SQLite or rqlite, the blockstore or kubo, wazero) in a client span.
// With tracing off (no telemetry block) the global provider is OTel's
// no-op one and the interceptors are not installed.
package telemetry
