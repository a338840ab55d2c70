package storage_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
	"github.com/orama-network/orama/sdk/storage/storagetest"
	"google.golang.org/grpc"
)

// memoryOptions: Memory makes CIDv1 raw blocks and cannot build UnixFS
// DAGs, so it skips the CID vectors (see storagetest.Memory).
var memoryOptions = storagetest.Options{CIDv1: true, SkipCIDVectors: true}

func TestMemoryConformance(t *testing.T) {
	storagetest.Run(t, func(*testing.T) storage.Storage { return storagetest.NewMemory() }, memoryOptions)
}

func TestGRPCConformance(t *testing.T) {
	shared, _ := dial(t, t.Context(), storagetest.NewMemory())
	storagetest.Run(t, func(*testing.T) storage.Storage { return shared }, memoryOptions)
}

// window is the fixed gRPC flow-control window of the test connections.
// A fixed window switches off gRPC's BDP estimator (which may grow it to
// 16 MiB), so what the transport may buffer is known: the streaming tests
// bound what our adapters buffer on top of it.
const window = 1 << 20

// dial serves impl over an in-memory gRPC connection and returns a client
// whose lifetime is life, and the raw connection.
func dial(t *testing.T, life context.Context, impl storage.Storage) (*storage.Client, *grpc.ClientConn) {
	t.Helper()
	conn := plugintest.DialOptions(t,
		[]grpc.ServerOption{grpc.InitialWindowSize(window), grpc.InitialConnWindowSize(window)},
		[]grpc.DialOption{grpc.WithInitialWindowSize(window), grpc.WithInitialConnWindowSize(window)},
		func(s *grpc.Server) { storage.Register(s, impl) })
	return storage.NewClient(life, conn), conn
}

// failing returns err from every method.
type failing struct{ err error }

func (f failing) Put(context.Context, string, io.Reader, storage.PutOptions) (storage.PutResult, error) {
	return storage.PutResult{}, f.err
}
func (f failing) Get(context.Context, string, string, int64, int64) (io.ReadCloser, storage.Stat, error) {
	return nil, storage.Stat{}, f.err
}
func (f failing) Stat(context.Context, string, string) (storage.Stat, error) {
	return storage.Stat{}, f.err
}
func (f failing) Pin(context.Context, string, string, string, int) (storage.PinStatus, error) {
	return storage.PinStatus{}, f.err
}
func (f failing) Unpin(context.Context, string, string) error { return f.err }
func (f failing) Status(context.Context, string, string) (storage.PinStatus, error) {
	return storage.PinStatus{}, f.err
}
func (f failing) Pins(context.Context, string) ([]storage.PinStatus, error) { return nil, f.err }
func (f failing) Health(context.Context) (plugin.Health, error)             { return plugin.Health{}, f.err }

var _ storage.Storage = failing{}

// callAll calls every method of c and returns their errors by name.
func callAll(ctx context.Context, c storage.Storage) map[string]error {
	const id = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"
	_, putErr := c.Put(ctx, "ns", strings.NewReader("hello world\n"), storage.PutOptions{})
	rc, _, getErr := c.Get(ctx, "ns", id, 0, -1)
	if rc != nil {
		rc.Close()
	}
	_, statErr := c.Stat(ctx, "ns", id)
	_, pinErr := c.Pin(ctx, "ns", id, "n", 0)
	_, statusErr := c.Status(ctx, "ns", id)
	_, pinsErr := c.Pins(ctx, "ns")
	_, healthErr := c.Health(ctx)
	return map[string]error{
		"Put": putErr, "Get": getErr, "Stat": statErr, "Pin": pinErr, "Status": statusErr,
		"Pins": pinsErr, "Health": healthErr, "Unpin": c.Unpin(ctx, "ns", id),
	}
}

func TestGRPCErrorCodesSurvive(t *testing.T) {
	codes := plugintest.Codes()
	for _, code := range codes {
		want := &sdk.Error{Code: code, Message: "boom: " + string(code)}
		c, _ := dial(t, t.Context(), failing{want})
		for op, err := range callAll(t.Context(), c) {
			var got *sdk.Error
			if !errors.As(err, &got) || *got != *want {
				t.Errorf("%s with %s: got %#v, want %#v", op, code, err, want)
			}
		}
	}

	// A plain error is internal on the other side, its text kept for logs.
	c, _ := dial(t, t.Context(), failing{errors.New("disk on fire")})
	for op, err := range callAll(t.Context(), c) {
		var got *sdk.Error
		if !errors.As(err, &got) || got.Code != sdk.CodeInternal || got.Message != "disk on fire" {
			t.Errorf("%s with a plain error: got %#v", op, err)
		}
	}
}

func TestClientFailsFastAfterLifetime(t *testing.T) {
	life, cancel := context.WithCancel(t.Context())
	// Every call that reaches this server fails as internal: unavailable
	// can only come from the client's own check.
	c, _ := dial(t, life, failing{sdk.Errorf(sdk.CodeInternal, "reached the server")})
	if _, err := c.Stat(t.Context(), "ns", "x"); plugintest.Code(err) != sdk.CodeInternal {
		t.Fatalf("Stat while alive: %v, want the server's internal error", err)
	}
	cancel()
	for op, err := range callAll(t.Context(), c) {
		if plugintest.Code(err) != sdk.CodeUnavailable {
			t.Errorf("%s after the lifetime ended: %v, want unavailable", op, err)
		}
	}
}

func TestPluginDispensesClient(t *testing.T) {
	mem := storagetest.NewMemory()
	client, _ := goplugin.TestPluginGRPCConn(t, false, map[string]goplugin.Plugin{storage.Kind: &storage.Plugin{Impl: mem}})
	t.Cleanup(func() { _ = client.Close() })
	raw, err := client.Dispense(storage.Kind)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := raw.(*storage.Client)
	if !ok {
		t.Fatalf("Dispense returned %T, want *storage.Client", raw)
	}
	info, err := c.Info(t.Context()) // the Base service
	if err != nil || info.Kind != storage.Kind || info.Name != "memory" {
		t.Errorf("Info = %+v, %v", info, err)
	}
	res, err := c.Put(t.Context(), "ns", strings.NewReader("hello world\n"), storage.PutOptions{Pin: true})
	if err != nil {
		t.Fatalf("Put through the plugin: %v", err)
	}
	// A single raw block: Memory's CID equals kubo's CIDv1 here.
	if res.CID != "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4" || res.Size != 12 {
		t.Errorf("Put through the plugin = %+v", res)
	}
	rc, st, err := c.Get(t.Context(), "ns", res.CID, 6, -1)
	if err != nil {
		t.Fatalf("Get through the plugin: %v", err)
	}
	defer rc.Close()
	body, err := io.ReadAll(rc)
	if err != nil || string(body) != "world\n" || st.Size != 12 {
		t.Errorf("Get through the plugin = %q, %+v, %v", body, st, err)
	}
}
