package pluginmgr

import (
	"context"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/hostapi"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
)

// hostServer builds the host API server a plugin of kind reaches over the
// broker: logging into the host log, and every other domain through a
// transparent proxy to the plugin that owns it (see proxy.go).
func (m *Manager) hostServer(kind string) func([]grpc.ServerOption) *grpc.Server {
	return func(opts []grpc.ServerOption) *grpc.Server {
		opts = append(opts, grpc.ForceServerCodec(frameCodec{}), grpc.UnknownServiceHandler(m.proxy),
			grpc.MaxRecvMsgSize(plugin.MaxMessageSize), grpc.MaxSendMsgSize(plugin.MaxMessageSize))
		opts = append(opts, tracingServerOptions(m.telemetry)...)
		s := grpc.NewServer(opts...)
		hostapi.Register(s, hostLog{log: m.log.Named(kind)})
		return s
	}
}

// hostLog writes plugin log entries to the host log.
type hostLog struct{ log hclog.Logger }

func (h hostLog) Log(_ context.Context, e hostapi.Entry) error {
	level := hclog.LevelFromString(e.Level)
	if level == hclog.NoLevel {
		return sdk.Errorf(sdk.CodeInvalid, "unknown log level %q", e.Level)
	}
	args := make([]any, 0, 2*len(e.Fields)+2)
	if e.RequestID != "" {
		args = append(args, "request_id", e.RequestID)
	}
	for k, v := range e.Fields {
		args = append(args, k, v)
	}
	h.log.Log(level, e.Message, args...)
	return nil
}
