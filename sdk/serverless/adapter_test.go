package serverless_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
	"google.golang.org/grpc"
)

// dial serves impl over an in-memory gRPC connection sized like the
// host's (plugin.MaxMessageSize) and returns a client whose lifetime is
// life.
func dial(t *testing.T, life context.Context, impl serverless.Serverless) *serverless.Client {
	t.Helper()
	conn := plugintest.DialOptions(t,
		[]grpc.ServerOption{grpc.MaxRecvMsgSize(plugin.MaxMessageSize), grpc.MaxSendMsgSize(plugin.MaxMessageSize)},
		[]grpc.DialOption{grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(plugin.MaxMessageSize), grpc.MaxCallSendMsgSize(plugin.MaxMessageSize))},
		func(s *grpc.Server) { serverless.Register(s, impl) })
	return serverless.NewClient(life, conn)
}

// Values with every field set, times on whole milliseconds (the wire's
// precision).
var (
	at  = time.UnixMilli(1893456000123)
	def = serverless.Definition{Name: "hello", Namespace: "ns", IsPublic: true, MemoryLimitMB: 128,
		TimeoutSeconds: 5, RetryCount: 2, RetryDelaySeconds: 3, EnvVars: map[string]string{"A": "1", "B": ""}}
	fn = serverless.Function{ID: "fn_1", Name: "hello", Namespace: "ns", Version: 3, WASMCID: "bafyabc",
		IsPublic: true, MemoryLimitMB: 128, TimeoutSeconds: 5, RetryCount: 2, RetryDelaySeconds: 3,
		EnvVars: map[string]string{"A": "1"}, Status: serverless.StatusActive, CreatedAt: at, UpdatedAt: at.Add(time.Second)}
	fn2 = serverless.Function{ID: "fn_2", Name: "zz", Namespace: "ns", Version: 1, Status: serverless.StatusActive}
	inv = serverless.Invocation{Namespace: "ns", Name: "hello", Version: 2, Input: []byte{0, 1, 0xff, '{'},
		RequestID: "req-1", Caller: "other", Wallet: "0xabc"}
	res = serverless.Result{Status: serverless.ResultError, Output: []byte("partial\x00\xff"),
		Error: "wasm error: unreachable", Duration: 1234567 * time.Microsecond, Version: 2}
	logs = []serverless.LogEntry{
		{Level: serverless.LevelInfo, Message: "first", Timestamp: at, RequestID: "req-1", Version: 2},
		{Level: serverless.LevelError, Message: "second", Timestamp: at.Add(time.Millisecond)},
	}
	health = plugin.Health{OK: true, Driver: "wazero", Detail: "fine"}
)

// recorder returns the values above and records the arguments it got.
type recorder struct{ args []any }

func (r *recorder) Deploy(_ context.Context, d serverless.Definition, module []byte) (serverless.Function, error) {
	r.args = []any{d, module}
	return fn, nil
}
func (r *recorder) Get(_ context.Context, namespace, name string, version int) (serverless.Function, error) {
	r.args = []any{namespace, name, version}
	return fn, nil
}
func (r *recorder) List(_ context.Context, namespace string) ([]serverless.Function, error) {
	r.args = []any{namespace}
	return []serverless.Function{fn, fn2}, nil
}
func (r *recorder) Versions(_ context.Context, namespace, name string) ([]serverless.Function, error) {
	r.args = []any{namespace, name}
	return []serverless.Function{fn2, fn}, nil
}
func (r *recorder) Delete(_ context.Context, namespace, name string, version int) (int, error) {
	r.args = []any{namespace, name, version}
	return 7, nil
}
func (r *recorder) Invoke(_ context.Context, i serverless.Invocation) (serverless.Result, error) {
	r.args = []any{i}
	return res, nil
}
func (r *recorder) Logs(_ context.Context, namespace, name string, limit int) ([]serverless.LogEntry, error) {
	r.args = []any{namespace, name, limit}
	return logs, nil
}
func (r *recorder) SetSecret(_ context.Context, namespace, name string, value []byte) error {
	r.args = []any{namespace, name, value}
	return nil
}
func (r *recorder) DeleteSecret(_ context.Context, namespace, name string) error {
	r.args = []any{namespace, name}
	return nil
}
func (r *recorder) Secrets(_ context.Context, namespace string) ([]string, error) {
	r.args = []any{namespace}
	return []string{"API_KEY", "db.password"}, nil
}
func (r *recorder) Health(context.Context) (plugin.Health, error) { r.args = nil; return health, nil }

func TestRoundTrip(t *testing.T) {
	rec := &recorder{}
	c := dial(t, t.Context(), rec)
	ctx := t.Context()
	check := func(name string, got, want any, args ...any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s returned %+v, want %+v", name, got, want)
		}
		if !reflect.DeepEqual(rec.args, args) && !(len(rec.args) == 0 && len(args) == 0) {
			t.Errorf("%s: implementation got %+v, want %+v", name, rec.args, args)
		}
	}
	type pair struct {
		v   any
		err error
	}
	// A module near MaxModuleBytes crosses in one message, byte for byte.
	module := make([]byte, serverless.MaxModuleBytes)
	_, _ = rand.Read(module)
	f, err := c.Deploy(ctx, def, module)
	check("Deploy", pair{f, err}, pair{fn, nil}, def, module)
	f, err = c.Get(ctx, "ns", "hello", 3)
	check("Get", pair{f, err}, pair{fn, nil}, "ns", "hello", 3)
	fs, err := c.List(ctx, "ns")
	check("List", pair{fs, err}, pair{[]serverless.Function{fn, fn2}, nil}, "ns")
	fs, err = c.Versions(ctx, "ns", "hello")
	check("Versions", pair{fs, err}, pair{[]serverless.Function{fn2, fn}, nil}, "ns", "hello")
	n, err := c.Delete(ctx, "ns", "hello", 0)
	check("Delete", pair{n, err}, pair{7, nil}, "ns", "hello", 0)
	r, err := c.Invoke(ctx, inv)
	check("Invoke", pair{r, err}, pair{res, nil}, inv)
	ls, err := c.Logs(ctx, "ns", "hello", 50)
	check("Logs", pair{ls, err}, pair{logs, nil}, "ns", "hello", 50)
	err = c.SetSecret(ctx, "ns", "API_KEY", []byte("s3cret\x00"))
	check("SetSecret", err, nil, "ns", "API_KEY", []byte("s3cret\x00"))
	err = c.DeleteSecret(ctx, "ns", "API_KEY")
	check("DeleteSecret", err, nil, "ns", "API_KEY")
	names, err := c.Secrets(ctx, "ns")
	check("Secrets", pair{names, err}, pair{[]string{"API_KEY", "db.password"}, nil}, "ns")
	h, err := c.Health(ctx)
	check("Health", pair{h, err}, pair{health, nil})
}

// TestTimesKeepMilliseconds: times cross as whole milliseconds, the
// zero time stays zero, durations keep microseconds.
func TestTimesKeepMilliseconds(t *testing.T) {
	fine := time.Date(2030, 1, 2, 3, 4, 5, 678_901_234, time.UTC)
	impl := &fixed{fn: serverless.Function{Name: "f", CreatedAt: fine},
		res: serverless.Result{Status: serverless.ResultSuccess, Duration: 1500*time.Microsecond + 999}}
	c := dial(t, t.Context(), impl)
	f, err := c.Get(t.Context(), "ns", "f", 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := fine.Truncate(time.Millisecond); !f.CreatedAt.Equal(want) {
		t.Errorf("CreatedAt %v, want %v", f.CreatedAt, want)
	}
	if !f.UpdatedAt.IsZero() {
		t.Errorf("zero UpdatedAt came back as %v", f.UpdatedAt)
	}
	r, err := c.Invoke(t.Context(), serverless.Invocation{Namespace: "ns", Name: "f"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Duration != 1500*time.Microsecond {
		t.Errorf("Duration %v, want 1.5ms", r.Duration)
	}
}

// TestNotUTF8FromFunction: what a function writes to stderr or puts in
// an error need not be UTF-8; it still crosses, repaired.
func TestNotUTF8FromFunction(t *testing.T) {
	impl := &fixed{res: serverless.Result{Status: serverless.ResultError, Error: "bad \xff byte", Output: []byte{0xff}},
		logs: []serverless.LogEntry{{Level: serverless.LevelInfo, Message: "line \xfe"}}}
	c := dial(t, t.Context(), impl)
	r, err := c.Invoke(t.Context(), serverless.Invocation{Namespace: "ns", Name: "f"})
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	if r.Error != "bad \uFFFD byte" || !bytes.Equal(r.Output, []byte{0xff}) {
		t.Errorf("Invoke: error %q output %q", r.Error, r.Output)
	}
	ls, err := c.Logs(t.Context(), "ns", "f", 0)
	if err != nil || len(ls) != 1 || ls[0].Message != "line \uFFFD" {
		t.Errorf("Logs: %+v, %v", ls, err)
	}
}

// fixed returns its fields from Get, Invoke and Logs.
type fixed struct {
	recorder
	fn   serverless.Function
	res  serverless.Result
	logs []serverless.LogEntry
}

func (f *fixed) Get(context.Context, string, string, int) (serverless.Function, error) {
	return f.fn, nil
}
func (f *fixed) Invoke(context.Context, serverless.Invocation) (serverless.Result, error) {
	return f.res, nil
}
func (f *fixed) Logs(context.Context, string, string, int) ([]serverless.LogEntry, error) {
	return f.logs, nil
}

// failing returns err from every method.
type failing struct{ err error }

func (f failing) Deploy(context.Context, serverless.Definition, []byte) (serverless.Function, error) {
	return serverless.Function{}, f.err
}
func (f failing) Get(context.Context, string, string, int) (serverless.Function, error) {
	return serverless.Function{}, f.err
}
func (f failing) List(context.Context, string) ([]serverless.Function, error) { return nil, f.err }
func (f failing) Versions(context.Context, string, string) ([]serverless.Function, error) {
	return nil, f.err
}
func (f failing) Delete(context.Context, string, string, int) (int, error) { return 0, f.err }
func (f failing) Invoke(context.Context, serverless.Invocation) (serverless.Result, error) {
	return serverless.Result{}, f.err
}
func (f failing) Logs(context.Context, string, string, int) ([]serverless.LogEntry, error) {
	return nil, f.err
}
func (f failing) SetSecret(context.Context, string, string, []byte) error { return f.err }
func (f failing) DeleteSecret(context.Context, string, string) error      { return f.err }
func (f failing) Secrets(context.Context, string) ([]string, error)       { return nil, f.err }
func (f failing) Health(context.Context) (plugin.Health, error)           { return plugin.Health{}, f.err }

// calls makes every call of c once and returns the errors by method.
func calls(ctx context.Context, c serverless.Serverless) map[string]error {
	_, deployErr := c.Deploy(ctx, def, []byte("\x00asm"))
	_, getErr := c.Get(ctx, "ns", "f", 0)
	_, listErr := c.List(ctx, "ns")
	_, versionsErr := c.Versions(ctx, "ns", "f")
	_, deleteErr := c.Delete(ctx, "ns", "f", 1)
	_, invokeErr := c.Invoke(ctx, inv)
	_, logsErr := c.Logs(ctx, "ns", "f", 0)
	_, secretsErr := c.Secrets(ctx, "ns")
	_, healthErr := c.Health(ctx)
	return map[string]error{
		"Deploy": deployErr, "Get": getErr, "List": listErr, "Versions": versionsErr,
		"Delete": deleteErr, "Invoke": invokeErr, "Logs": logsErr, "Secrets": secretsErr,
		"Health": healthErr, "SetSecret": c.SetSecret(ctx, "ns", "s", []byte("v")),
		"DeleteSecret": c.DeleteSecret(ctx, "ns", "s"),
	}
}

func TestGRPCErrorCodesSurvive(t *testing.T) {
	for _, code := range plugintest.Codes() {
		want := &sdk.Error{Code: code, Message: "boom: " + string(code)}
		c := dial(t, t.Context(), failing{want})
		for op, err := range calls(t.Context(), c) {
			var got *sdk.Error
			if !errors.As(err, &got) || *got != *want {
				t.Errorf("%s with %s: got %#v, want %#v", op, code, err, want)
			}
		}
	}
	// A plain error is internal on the other side, its text kept for logs.
	c := dial(t, t.Context(), failing{errors.New("disk on fire")})
	_, err := c.Get(t.Context(), "ns", "f", 0)
	var got *sdk.Error
	if !errors.As(err, &got) || got.Code != sdk.CodeInternal || got.Message != "disk on fire" {
		t.Errorf("plain error: got %#v", err)
	}
}

// TestClientRefusesWhatCannotCross: arguments a proto message cannot
// carry fail in the client with the plugin's code, and never reach it.
func TestClientRefusesWhatCannotCross(t *testing.T) {
	rec := &recorder{}
	c := dial(t, t.Context(), rec)
	ctx := t.Context()
	_, err := c.Get(ctx, "ns\xff", "f", 0)
	plugintest.WantCode(t, err, "Get with a namespace not UTF-8", sdk.CodeInvalid)
	_, err = c.Invoke(ctx, serverless.Invocation{Namespace: "ns", Name: "f", Caller: "\xff"})
	plugintest.WantCode(t, err, "Invoke with a caller not UTF-8", sdk.CodeInvalid)
	_, err = c.Deploy(ctx, serverless.Definition{Name: "f", Namespace: "ns", EnvVars: map[string]string{"K": "\xff"}}, []byte("\x00asm"))
	plugintest.WantCode(t, err, "Deploy with an env value not UTF-8", sdk.CodeInvalid)
	_, err = c.Deploy(ctx, def, make([]byte, serverless.MaxModuleBytes+1))
	plugintest.WantCode(t, err, "Deploy of a module over MaxModuleBytes", sdk.CodeTooLarge)
	_, err = c.Get(ctx, "ns", "f", 1<<40)
	plugintest.WantCode(t, err, "Get of a version beyond int32", sdk.CodeInvalid)
	if rec.args != nil {
		t.Errorf("the implementation was called with %v", rec.args)
	}
}

func TestClientFailsFastAfterLifetime(t *testing.T) {
	life, cancel := context.WithCancel(t.Context())
	c := dial(t, life, &recorder{})
	if _, err := c.List(t.Context(), "ns"); err != nil {
		t.Fatalf("List while alive: %v", err)
	}
	cancel()
	_, err := c.List(t.Context(), "ns")
	plugintest.WantCode(t, err, "List after the lifetime ended", sdk.CodeUnavailable)
}

// backend is a recorder with the Base lifecycle, for the go-plugin test.
type backend struct{ recorder }

func (*backend) Info(context.Context) (plugin.Info, error) {
	return plugin.Info{Kind: serverless.Kind, Name: "fake"}, nil
}
func (*backend) ValidateConfig(context.Context, plugin.Config) error { return nil }
func (*backend) Configure(context.Context, plugin.Config) error      { return nil }
func (*backend) Close(context.Context) error                         { return nil }

func TestPlugin(t *testing.T) {
	c := plugintest.InProcess[*serverless.Client](t, serverless.Kind, &serverless.Plugin{Impl: &backend{}})
	info, err := c.Info(t.Context())
	if err != nil || info.Name != "fake" {
		t.Errorf("Info: %+v, %v", info, err)
	}
	r, err := c.Invoke(t.Context(), inv)
	if err != nil || !reflect.DeepEqual(r, res) {
		t.Errorf("Invoke over go-plugin: %+v, %v", r, err)
	}
}
