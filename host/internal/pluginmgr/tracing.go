package pluginmgr

import (
	"google.golang.org/grpc"

	"github.com/orama-network/orama/sdk/telemetry"
)

// Tracing across the plugin boundary. With the host's telemetry block set,
// a plugin is launched with it in its environment (telemetry.Environ), so
// it exports its spans to the same collector; the host's calls into the
// plugin carry the span context of the request they serve in gRPC
// metadata (traceparent), and the plugin's calls back into the host (the
// host API: serverless → database …) carry theirs, which the host starts
// a span under and passes on to the plugin it proxies to. With tracing off
// none of this is installed.

// tracingDialOptions propagate the span context of the host's calls into
// a plugin. They come first in the connection's interceptor chain: the
// mux, last, sends the metadata along with each call.
func tracingDialOptions(c telemetry.Config) []grpc.DialOption {
	if !c.Enabled() {
		return nil
	}
	return []grpc.DialOption{grpc.WithChainUnaryInterceptor(telemetry.UnaryClient),
		grpc.WithChainStreamInterceptor(telemetry.StreamClient)}
}

// tracingServerOptions start a span for each call of a plugin to the host
// API (all proxied calls are streams) that carries a span context.
func tracingServerOptions(c telemetry.Config) []grpc.ServerOption {
	if !c.Enabled() {
		return nil
	}
	return []grpc.ServerOption{grpc.ChainStreamInterceptor(telemetry.StreamServer)}
}
