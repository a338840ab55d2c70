package hostapi_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/hostapi"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"google.golang.org/grpc"
)

// dial serves h over an in-memory gRPC connection and returns the plugin
// side's client.
func dial(t *testing.T, h hostapi.Host) *hostapi.Client {
	t.Helper()
	conn := plugintest.Dial(t, func(s *grpc.Server) { hostapi.Register(s, h) })
	c := hostapi.NewClient(conn)
	if c.Conn() != conn {
		t.Fatal("Conn() is not the connection the client was made with")
	}
	return c
}

func TestLogRoundTrip(t *testing.T) {
	h := &plugintest.Host{}
	c := dial(t, h)
	in := hostapi.Entry{
		Level:     "warn",
		Message:   "slow query",
		RequestID: "req-7f3a",
		Fields: map[string]any{
			"rows":     42,
			"ratio":    0.25,
			"negative": -3,
			"table":    "users",
			"ok":       false,
			"none":     nil,
			"tags":     []string{"a", "b"},
			"plan": map[string]any{
				"index": "users_by_email",
				"cost":  map[string]any{"startup": 1.5, "total": 10},
			},
			"struct": struct {
				Name string `json:"name"`
				N    int    `json:"n"`
			}{"x", 7},
		},
	}
	if err := c.Log(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	got := h.Logged()
	if len(got) != 1 {
		t.Fatalf("host got %d entries, want 1", len(got))
	}
	e := got[0]
	if e.Level != in.Level || e.Message != in.Message || e.RequestID != in.RequestID {
		t.Errorf("got level %q message %q request id %q, want %q %q %q",
			e.Level, e.Message, e.RequestID, in.Level, in.Message, in.RequestID)
	}
	// The host sees each field as the JSON value it was marshalled to.
	for k, v := range in.Fields {
		want := jsonValue(t, v)
		if !reflect.DeepEqual(jsonValue(t, e.Fields[k]), want) {
			t.Errorf("field %q: host got %#v, want the JSON value %#v", k, e.Fields[k], want)
		}
	}
	if len(e.Fields) != len(in.Fields) {
		t.Errorf("host got %d fields, want %d: %v", len(e.Fields), len(in.Fields), e.Fields)
	}
	if s, ok := e.Fields["table"].(string); !ok || s != "users" {
		t.Errorf("a string field arrives as %#v, want the string", e.Fields["table"])
	}
	if m, ok := e.Fields["plan"].(map[string]any); !ok || m["index"] != "users_by_email" {
		t.Errorf("a nested map arrives as %#v, want a map", e.Fields["plan"])
	}
}

// jsonValue is v after a trip through JSON, so that values of different Go
// types but the same JSON compare equal.
func jsonValue(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestLogLargeIntegersKeepTheirDigits: an int64 above 2^53 (a UnixNano
// timestamp, a snowflake id) must not be rounded on the way to the host.
func TestLogLargeIntegersKeepTheirDigits(t *testing.T) {
	h := &plugintest.Host{}
	c := dial(t, h)
	const ns int64 = 1764067200123456789
	if err := c.Log(t.Context(), hostapi.Entry{Level: "info", Message: "tick", Fields: map[string]any{"at_ns": ns}}); err != nil {
		t.Fatal(err)
	}
	got := h.Logged()[0].Fields["at_ns"]
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "1764067200123456789" {
		t.Errorf("host got %v (%T), which marshals as %s; want 1764067200123456789", got, got, b)
	}
}

func TestLogWithoutFields(t *testing.T) {
	h := &plugintest.Host{}
	c := dial(t, h)
	if err := c.Log(t.Context(), hostapi.Entry{Level: "info", Message: "hello"}); err != nil {
		t.Fatal(err)
	}
	got := h.Logged()
	if len(got) != 1 || got[0].Message != "hello" || got[0].RequestID != "" || len(got[0].Fields) != 0 {
		t.Errorf("host got %+v", got)
	}
}

func TestLogHostErrorKeepsItsCode(t *testing.T) {
	h := &plugintest.Host{Err: sdk.Errorf(sdk.CodeInvalid, `unknown log level "loud"`)}
	c := dial(t, h)
	e := plugintest.SDKError(t, c.Log(t.Context(), hostapi.Entry{Level: "loud", Message: "x"}))
	if e.Code != sdk.CodeInvalid || e.Message != `unknown log level "loud"` {
		t.Errorf("got %+v, want invalid with the host's message", e)
	}
}

func TestLogUnmarshallableFieldIsInvalidWithoutACall(t *testing.T) {
	h := &plugintest.Host{}
	c := dial(t, h)
	err := c.Log(t.Context(), hostapi.Entry{Level: "info", Message: "x", Fields: map[string]any{"ch": make(chan int)}})
	e := plugintest.SDKError(t, err)
	if e.Code != sdk.CodeInvalid {
		t.Errorf("code %s, want invalid", e.Code)
	}
	if got := h.Logged(); len(got) != 0 {
		t.Errorf("the host was called with %+v", got)
	}
}

func TestLogAfterConnectionClosedIsUnavailable(t *testing.T) {
	conn := plugintest.Dial(t, func(s *grpc.Server) { hostapi.Register(s, &plugintest.Host{}) })
	c := hostapi.NewClient(conn)
	_ = conn.Close()
	if e := plugintest.SDKError(t, c.Log(t.Context(), hostapi.Entry{Level: "info", Message: "x"})); e.Code != sdk.CodeUnavailable {
		t.Errorf("code %s, want unavailable", e.Code)
	}
}
