package hostapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"

	"github.com/orama-network/orama/sdk"
	hostapiv1 "github.com/orama-network/orama/sdk/gen/orama/hostapi/v1"
	"google.golang.org/grpc"
)

// Host is implemented by the host.
type Host interface {
	// Log writes e to the host log, tagged with the plugin's name.
	// Errors: invalid for an unknown level.
	Log(ctx context.Context, e Entry) error
}

// Entry is one structured log line.
type Entry struct {
	Level     string // trace, debug, info, warn, error
	Message   string
	RequestID string
	// Fields are marshalled as JSON on the plugin side; the host gets the
	// JSON values back (string, bool, json.Number, []any, map[string]any,
	// nil).
	Fields map[string]any
}

// Client is the plugin side of the host API.
type Client struct {
	conn *grpc.ClientConn
	api  hostapiv1.HostAPIClient
}

var _ Host = (*Client)(nil)

// NewClient wraps a broker connection to the host.
func NewClient(conn *grpc.ClientConn) *Client {
	return &Client{conn: conn, api: hostapiv1.NewHostAPIClient(conn)}
}

// Conn is the broker connection; the host registers domain services on it,
// e.g. cache.NewClient(ctx, host.Conn()) reaches the cache domain.
func (c *Client) Conn() *grpc.ClientConn { return c.conn }

// Log implements Host.
func (c *Client) Log(ctx context.Context, e Entry) error {
	req := &hostapiv1.LogRequest{Level: e.Level, Message: e.Message, RequestId: e.RequestID}
	if len(e.Fields) > 0 {
		req.Fields = make(map[string][]byte, len(e.Fields))
		for k, v := range e.Fields {
			b, err := json.Marshal(v)
			if err != nil {
				return sdk.Errorf(sdk.CodeInvalid, "log field %q: %v", k, err)
			}
			req.Fields[k] = b
		}
	}
	_, err := c.api.Log(ctx, req)
	return sdk.FromGRPC(err)
}

// Register serves h on s (host side).
func Register(s grpc.ServiceRegistrar, h Host) {
	hostapiv1.RegisterHostAPIServer(s, &server{h: h})
}

type server struct {
	hostapiv1.UnimplementedHostAPIServer
	h Host
}

func (s *server) Log(ctx context.Context, req *hostapiv1.LogRequest) (*hostapiv1.LogResponse, error) {
	e := Entry{Level: req.Level, Message: req.Message, RequestID: req.RequestId}
	if len(req.Fields) > 0 {
		e.Fields = make(map[string]any, len(req.Fields))
		for k, raw := range req.Fields {
			e.Fields[k] = decodeField(raw)
		}
	}
	return &hostapiv1.LogResponse{}, sdk.ToGRPC(s.h.Log(ctx, e))
}

// decodeField decodes one field's JSON. Numbers stay json.Number so that
// integers above 2^53 (UnixNano timestamps, ids) keep their digits; a value
// that is not JSON is kept as a string.
func decodeField(raw []byte) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return string(raw)
	}
	if _, err := dec.Token(); err != io.EOF {
		return string(raw) // trailing data
	}
	return v
}
