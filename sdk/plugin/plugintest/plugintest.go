// Package plugintest holds what the SDK's tests, the domains' conformance
// suites and plugins' own tests share:
//
//   - Build and Start run a plugin binary the way the host does (go-plugin,
//     gRPC, AutoMTLS, the Orama handshake and protocol version) and dispense
//     its client; Launch does both for orama-plugin-<kind>;
//   - InProcess serves a backend over go-plugin's gRPC transport in the
//     test's process; Configure configures a backend until the test ends,
//     CloseTwice checks that Close may be repeated;
//     WantIdle and WantConfigError check an unconfigured backend and a
//     rejected config; Logger logs to the test;
//   - Dial serves gRPC services over an in-memory connection, for the
//     adapter tests of every domain; Host is a recording hostapi.Host;
//   - Unique, RunID and Seq name what a test creates so that subtests and
//     processes sharing one backend never meet;
//   - SDKError, Code, WantCode and MustCode check the *sdk.Error a call
//     returns; Codes lists every sdk.Code;
//   - Case and RunCases run a conformance suite's subtests.
package plugintest

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk/plugin"
)

// Build compiles the main package in dir (e.g. ".") into a binary named
// name in a temporary directory and returns its path. It fails the test
// when the go tool is missing or the build fails.
func Build(t *testing.T, dir, name string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is needed to build %s: %v", name, err)
	}
	bin := filepath.Join(t.TempDir(), name)
	if out, err := exec.Command(goTool, "build", "-o", bin, dir).CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", dir, err, out)
	}
	return bin
}

// Start launches bin as a plugin of kind, with p the host side of its
// go-plugin wrapper (e.g. &cache.Plugin{}), and returns what it dispenses
// (e.g. *cache.Client). The process is killed when the test ends. Domain
// calls go through the mux as the host sends them (plugin.MuxDialOptions:
// ORAMA_PLUGIN_MUX=off makes them plain unary calls).
func Start(t *testing.T, bin, kind string, p goplugin.Plugin) any {
	t.Helper()
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  plugin.Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{plugin.ProtocolVersion: {kind: p}},
		Cmd:              exec.Command(bin),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "host", Level: hclog.Warn, Output: hclog.DefaultOutput}),
		GRPCDialOptions:  plugin.MuxDialOptions(),
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	raw, err := rpc.Dispense(kind)
	if err != nil {
		t.Fatalf("dispense %s: %v", kind, err)
	}
	return raw
}
