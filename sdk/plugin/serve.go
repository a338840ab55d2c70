package plugin

import (
	"os"
	"runtime"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// Logger returns the logger a plugin should use: JSON lines on stderr,
// which the host re-logs tagged with the plugin's name. Level comes from
// ORAMA_LOG_LEVEL (default info).
func Logger(name string) hclog.Logger {
	level := hclog.LevelFromString(os.Getenv("ORAMA_LOG_LEVEL"))
	if level == hclog.NoLevel {
		level = hclog.Info
	}
	return hclog.New(&hclog.LoggerOptions{
		Name:       name,
		Level:      level,
		Output:     os.Stderr,
		JSONFormat: true,
	})
}

// MaxMessageSize bounds one gRPC message between host and plugin in either
// direction. Domain limits (a statement with its arguments, a query result,
// a stream chunk) stay below it; gRPC's own default (4 MiB) would not.
const MaxMessageSize = 64 << 20

// newGRPCServer is the plugin's gRPC server. It may send a message
// muxFrameOverhead larger than MaxMessageSize: a Mux frame carrying a
// response of MaxMessageSize.
func newGRPCServer(opts []grpc.ServerOption) *grpc.Server {
	opts = append(opts, grpc.MaxRecvMsgSize(MaxMessageSize), grpc.MaxSendMsgSize(MaxMessageSize+muxFrameOverhead),
		grpc.NumStreamWorkers(streamWorkers()))
	opts = append(opts, tracingServerOptions()...)
	return grpc.NewServer(opts...)
}

// streamWorkers is how many long-lived goroutines serve incoming calls
// (grpc.NumStreamWorkers). A call handed to a worker runs on a stack that
// has already grown to what a call needs, instead of on a fresh goroutine
// whose stack must grow (13% of the cache plugin's CPU under load). A call
// that finds no worker idle gets a goroutine of its own, as without
// workers. Against a host serving 64 connections, 8 workers left most
// calls on fresh goroutines and 256 ran so few calls each that the garbage
// collector shrank their stacks in between; 64 removed most of the stack
// growth (BENCHMARKS.md).
func streamWorkers() uint32 {
	return uint32(max(64, 8*runtime.GOMAXPROCS(0)))
}

// Serve runs a plugin of the given kind until the host stops it. p is the
// domain's go-plugin wrapper, a GRPCPlugin (e.g. &cache.Plugin{Impl: impl}).
func Serve(kind string, p goplugin.GRPCPlugin) {
	registerRuntimeMetrics()
	cfg := ServeConfig(kind, p)
	defer startTracing(kind, cfg.Logger)()
	goplugin.Serve(cfg)
}

// ServeConfig is the go-plugin configuration Serve uses. Tests set its
// Test field to serve a plugin inside the test process.
func ServeConfig(kind string, p goplugin.GRPCPlugin) *goplugin.ServeConfig {
	gp, ok := p.(goplugin.Plugin)
	if !ok {
		panic("plugin.Serve: " + kind + " wrapper does not implement goplugin.Plugin")
	}
	return &goplugin.ServeConfig{
		HandshakeConfig:  Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{ProtocolVersion: {kind: gp}},
		GRPCServer:       newGRPCServer,
		Logger:           Logger(kind),
	}
}
