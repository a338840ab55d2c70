package plugin

import (
	"context"
	"time"

	"github.com/hashicorp/go-hclog"

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
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = shutdown(ctx)
	}
}
