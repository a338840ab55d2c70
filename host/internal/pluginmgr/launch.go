package pluginmgr

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/host/internal/config"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/telemetry"
	"google.golang.org/grpc"
)

// launchOptions is what a launch needs besides the plugin block.
type launchOptions struct {
	log          hclog.Logger
	nodeID       string
	dataDir      string
	hostServer   func([]grpc.ServerOption) *grpc.Server // nil: no host API
	validateOnly bool                                   // ValidateConfig instead of Configure
	telemetry    telemetry.Config                       // tracing of the plugin's calls (tracing.go)
}

// newClient prepares (does not start) a go-plugin client for p and
// returns the command it will start, so the process can be SIGKILLed.
func newClient(p *config.Plugin, log hclog.Logger, dial []grpc.DialOption) (*goplugin.Client, *exec.Cmd, error) {
	k, ok := kinds[p.Kind]
	if !ok {
		return nil, nil, sdk.Errorf(sdk.CodeInvalid, "unknown plugin kind %q", p.Kind)
	}
	cmd := exec.Command(p.Path)
	cmd.Env = append(os.Environ(), "ORAMA_LOG_LEVEL="+log.GetLevel().String())
	var secure *goplugin.SecureConfig
	if len(p.SHA256) > 0 {
		secure = &goplugin.SecureConfig{Checksum: p.SHA256, Hash: sha256.New()}
	}
	return goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  plugin.Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{plugin.ProtocolVersion: {p.Kind: k.plugin()}},
		Cmd:              cmd,
		SecureConfig:     secure,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		Logger:           log,
		GRPCDialOptions:  dial,
	}), cmd, nil
}

// launch starts p's binary, configures it and checks its health. On any
// error the process is gone when launch returns (killed with SIGKILL: a
// plugin that hangs while starting cannot be asked to exit). A plugin's
// rejection of its config comes back as a plugin.ConfigError.
func launch(ctx context.Context, p *config.Plugin, o launchOptions) (*instance, error) {
	inst := &instance{}
	client, cmd, err := newClient(p, o.log, append(tracingDialOptions(o.telemetry), inst.dialOptions()...))
	if err != nil {
		return nil, err
	}
	cmd.Env = append(cmd.Env, o.telemetry.Environ()...)
	inst.client, inst.cmd = client, cmd
	if err := start(ctx, inst, p, o); err != nil {
		inst.kill()
		return nil, err
	}
	return inst, nil
}

// start launches inst's process and fills in inst.
func start(ctx context.Context, inst *instance, p *config.Plugin, o launchOptions) error {
	rpc, err := inst.client.Client()
	if err != nil {
		return fmt.Errorf("start %s: %w", p.Path, err)
	}
	if g, ok := rpc.(*goplugin.GRPCClient); ok {
		inst.conn = g.Conn
	}
	raw, err := rpc.Dispense(p.Kind)
	if err != nil {
		return fmt.Errorf("dispense %s: %w", p.Kind, err)
	}
	backend, ok := raw.(dispensed)
	if !ok {
		return fmt.Errorf("plugin kind %s: client %T lacks the Base contract", p.Kind, raw)
	}
	info, err := backend.Info(ctx)
	if err != nil {
		return fmt.Errorf("info: %w", err)
	}
	if info.Kind != p.Kind {
		return fmt.Errorf("%s is a %q plugin, configured as %q", p.Path, info.Kind, p.Kind)
	}
	cfg := plugin.Config{Name: p.Kind, NodeID: o.nodeID, DataDir: o.dataDir, Raw: p.ConfigJSON}
	if o.validateOnly {
		if err := backend.ValidateConfig(ctx, cfg); err != nil {
			return err
		}
		inst.backend, inst.version = backend, info.Version
		return nil
	}
	if o.hostServer != nil {
		backend.SetHostServer(o.hostServer)
	}
	if err := backend.Configure(ctx, cfg); err != nil {
		_ = backend.Close(ctx)
		return err
	}
	h, err := backend.Health(ctx)
	if err != nil {
		_ = backend.Close(ctx)
		return fmt.Errorf("health: %w", err)
	}
	if !h.OK {
		_ = backend.Close(ctx)
		return fmt.Errorf("unhealthy after configure: %s", h.Detail)
	}
	inst.backend, inst.version, inst.driver = backend, info.Version, h.Driver
	if rc := inst.client.ReattachConfig(); rc != nil {
		inst.pid = rc.Pid
	}
	return nil
}
