package plugin

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"google.golang.org/grpc"

	"github.com/orama-network/orama/sdk/telemetry"
)

// startTracing sets up the plugin's tracer provider from the telemetry
// config the host launched it with (telemetry.FromEnv: the host's
// telemetry block), naming the process "orama-plugin-<kind>". It returns
// the function that flushes the spans still queued. With tracing off, or
// a config it cannot use (logged), nothing is traced.
//
// The server's interceptors (newGRPCServer, and the mux's calls) start a
// span for every call that carries a traceparent, as the host's calls do
// while it serves a traced request; the plugin's own spans (telemetry.Start)
// go under it.
func startTracing(kind string, log hclog.Logger) func() {
	c, err := telemetry.FromEnv()
	if err != nil {
		log.Warn("tracing off", "error", err)
		return func() {}
	}
	shutdown, err := telemetry.Setup(context.Background(), c, telemetry.Service{Name: "orama-plugin-" + kind}, log)
	if err != nil {
		log.Warn("tracing off", "error", err)
		return func() {}
	}
	traced.Store(c.Enabled())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = shutdown(ctx)
	}
}

// traced is whether this process traces (startTracing turned it on): only
// then do the server's interceptors look for a traceparent, so a plugin
// with tracing off pays nothing per call.
var traced atomic.Bool

// tracingServerOptions are the gRPC server's tracing interceptors, or none.
func tracingServerOptions() []grpc.ServerOption {
	if !traced.Load() {
		return nil
	}
	return []grpc.ServerOption{grpc.ChainUnaryInterceptor(telemetry.UnaryServer),
		grpc.ChainStreamInterceptor(telemetry.StreamServer)}
}

// muxInterceptor is the unary interceptor of the mux's calls, or nil.
func muxInterceptor() grpc.UnaryServerInterceptor {
	if !traced.Load() {
		return nil
	}
	return telemetry.UnaryServer
}
