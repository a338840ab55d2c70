package plugin

import (
	"os"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
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
		GRPCServer:       goplugin.DefaultGRPCServer,
		Logger:           Logger(kind),
	})
}
