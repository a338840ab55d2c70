package plugin

import (
	"os"

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

func newGRPCServer(opts []grpc.ServerOption) *grpc.Server {
	opts = append(opts, grpc.MaxRecvMsgSize(MaxMessageSize), grpc.MaxSendMsgSize(MaxMessageSize))
	return grpc.NewServer(opts...)
}

// Serve runs a plugin of the given kind until the host stops it. p is the
// domain's GRPCPlugin wrapper (e.g. &cache.Plugin{Impl: impl}).
func Serve(kind string, p goplugin.GRPCPlugin) {
	gp, ok := p.(goplugin.Plugin)
	if !ok {
		panic("plugin.Serve: " + kind + " wrapper does not implement goplugin.Plugin")
	}
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig:  Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{ProtocolVersion: {kind: gp}},
		GRPCServer:       newGRPCServer,
		Logger:           Logger(kind),
	})
}
