package app

import (
	"context"
	"time"

	"github.com/hashicorp/go-hclog"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"

	"github.com/orama-network/orama/host/internal/config"
	"github.com/orama-network/orama/sdk/telemetry"
)

// telemetryConfig converts the telemetry block (nil: tracing off).
func telemetryConfig(t *config.Telemetry) telemetry.Config {
	if t == nil {
		return telemetry.Config{}
	}
	return telemetry.Config{Endpoint: t.OTLPEndpoint, TLS: t.OTLPTLS, SamplingRatio: t.SamplingRatio}
}

// startTracing sets up the host's tracer provider. It returns nil (no
// spans) when tracing is off, and the function that flushes the spans
// still queued, to call last.
func startTracing(ctx context.Context, cfg *config.Config, log hclog.Logger) (trace.TracerProvider, func(), error) {
	tc := telemetryConfig(cfg.Telemetry)
	shutdown, err := telemetry.Setup(ctx, tc, telemetry.Service{Name: "orama", Version: Version, Instance: cfg.Node.ID}, log)
	if err != nil || !tc.Enabled() {
		return nil, func() {}, err
	}
	log.Info("tracing on", "otlp_endpoint", tc.Endpoint, "sampling_ratio", tc.SamplingRatio)
	return otel.GetTracerProvider(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := shutdown(ctx); err != nil {
			log.Warn("flushing traces", "error", err)
		}
	}, nil
}
