package plugin_test

import (
	"context"
	"testing"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/hostapi"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"google.golang.org/grpc"
)

// logBackend is a domain for the test: Base plus one service of its own
// (the host API's Log, which is at hand in this package).
type logBackend interface {
	plugin.Base
	hostapi.Host
}

// logPluginImpl is the plugin side of logBackend.
type logPluginImpl struct {
	*fakeBase
	*plugintest.Host
}

// logClient is the host side of logBackend.
type logClient struct {
	*plugin.BaseClient
	*hostapi.Client
}

// logDomain is all a domain writes to get its go-plugin wrapper.
type logDomain struct{}

func (logDomain) Register(s grpc.ServiceRegistrar, impl logBackend) { hostapi.Register(s, impl) }

func (logDomain) NewClient(base *plugin.BaseClient, conn grpc.ClientConnInterface) logBackend {
	return logClient{BaseClient: base, Client: hostapi.NewClient(conn.(*grpc.ClientConn))}
}

type logPlugin = plugin.GRPCPlugin[logBackend, logDomain]

var _ goplugin.GRPCPlugin = (*logPlugin)(nil)
var _ goplugin.Plugin = (*logPlugin)(nil) // what Serve requires

func TestGRPCPluginServesBaseAndDomain(t *testing.T) {
	impl := logPluginImpl{fakeBase: &fakeBase{info: plugin.Info{Kind: "log", Name: "fake", Version: "1"}}, Host: &plugintest.Host{}}
	client, _ := goplugin.TestPluginGRPCConn(t, false, map[string]goplugin.Plugin{"log": &logPlugin{Impl: impl}})
	t.Cleanup(func() { _ = client.Close() })
	raw, err := client.Dispense("log")
	if err != nil {
		t.Fatal(err)
	}
	c, ok := raw.(logClient) // what logDomain.NewClient returned, unwrapped
	if !ok {
		t.Fatalf("Dispense returned %T, want logClient", raw)
	}
	ctx := context.Background()

	// Base is served by GRPCPlugin and reached through the BaseClient it built.
	info, err := c.Info(ctx)
	if err != nil || info != impl.info {
		t.Fatalf("Info = %+v, %v; want %+v", info, err, impl.info)
	}
	if err := c.Alive(); err != nil {
		t.Fatalf("Alive = %v on an open connection", err)
	}
	// The domain's service is served by logDomain.Register.
	if err := c.Log(ctx, hostapi.Entry{Level: "info", Message: "hello"}); err != nil {
		t.Fatalf("Log: %v", err)
	}
	if got := impl.Logged(); len(got) != 1 || got[0].Message != "hello" {
		t.Fatalf("plugin side logged %+v, want one entry \"hello\"", got)
	}
}

// unary stands for a generated client method in the Call tests.
type unary = func(context.Context, string, ...grpc.CallOption) (int, error)

func TestCallPassesRequestAndResponse(t *testing.T) {
	c := plugin.NewBaseClient(context.Background(), nil, nil)
	got, err := plugin.Call(context.Background(), c, unary(func(_ context.Context, req string, _ ...grpc.CallOption) (int, error) {
		return len(req), nil
	}), "four")
	if err != nil || got != 4 {
		t.Fatalf("Call = %d, %v; want 4, nil", got, err)
	}
}

func TestCallConvertsGRPCErrors(t *testing.T) {
	c := plugin.NewBaseClient(context.Background(), nil, nil)
	got, err := plugin.Call(context.Background(), c, unary(func(context.Context, string, ...grpc.CallOption) (int, error) {
		return 7, sdk.ToGRPC(sdk.Errorf(sdk.CodeNotFound, "no such key"))
	}), "k")
	if got != 0 {
		t.Errorf("Call returned %d with an error, want the zero value", got)
	}
	if e := plugintest.SDKError(t, err); e.Code != sdk.CodeNotFound {
		t.Fatalf("code = %q, want %q", e.Code, sdk.CodeNotFound)
	}
}

func TestCallFailsFastOnceTheConnectionIsGone(t *testing.T) {
	life, cancel := context.WithCancel(context.Background())
	cancel()
	c := plugin.NewBaseClient(life, nil, nil)
	called := false
	_, err := plugin.Call(context.Background(), c, unary(func(context.Context, string, ...grpc.CallOption) (int, error) {
		called = true
		return 0, nil
	}), "k")
	if called {
		t.Fatal("Call reached the method after the connection's lifetime ended")
	}
	if e := plugintest.SDKError(t, err); e.Code != sdk.CodeUnavailable {
		t.Fatalf("code = %q, want %q", e.Code, sdk.CodeUnavailable)
	}
}
