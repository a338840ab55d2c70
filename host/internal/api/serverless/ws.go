package serverless

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/serverless"
)

// GET /v1/functions/:name[@ver]/ws is a WebSocket on a function of the
// caller's namespace: each text frame the client sends is one invocation
// with the frame as input, answered, in order, by one text frame
// {request_id, status, duration_ms, output} (status "success"), or
// {request_id, status, duration_ms, error} (status "error" or "timeout",
// and "error" for a refused invocation: not found, rate limited…).
// Request ids are the upgrade request's id with "-<n>" appended, n
// counting frames from 1.
//
// Close codes: 1001 server shutting down, 1003 a binary frame, 1007 a text
// frame that is not valid UTF-8, 1009 a frame larger than
// Options.MaxInputBytes, 1011 the plugin is gone (unavailable); the socket
// is closed after Options.WSIdleTimeout without a frame.

type wsResult struct {
	RequestID  string  `json:"request_id"`
	Status     string  `json:"status"`
	DurationMs int64   `json:"duration_ms"`
	Output     *string `json:"output,omitempty"`
	Error      string  `json:"error,omitempty"`
}

// fnSocket is one function WebSocket.
type fnSocket struct {
	c *websocket.Conn
}

// WS is GET /v1/functions/:name/ws.
func (h *Handlers) WS(w http.ResponseWriter, r *http.Request) error {
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return err
	}
	f, err := pathRef(r)
	if err != nil {
		return err
	}
	if !api.IsWebSocketUpgrade(r) {
		return api.Invalidf("GET /v1/functions/:name/ws expects a WebSocket upgrade")
	}
	// The function must exist before the upgrade: a clear 404 rather than
	// a socket that fails every frame.
	if err := h.Do(r, func(ctx context.Context, s serverless.Serverless) error {
		_, err := s.Get(ctx, ns, f.name, f.version)
		return err
	}); err != nil {
		return err
	}
	sock, ok := h.attach()
	if !ok {
		return sdk.Errorf(sdk.CodeUnavailable, "server shutting down")
	}
	defer h.release(sock)
	c, err := websocket.Accept(w, r, api.AcceptOptions(h.opts.OriginPatterns))
	if err != nil {
		return nil // Accept has answered
	}
	h.mu.Lock()
	sock.c = c
	closing := h.closing
	h.mu.Unlock()
	if closing {
		c.Close(websocket.StatusGoingAway, "server shutting down")
		return nil
	}
	c.SetReadLimit(h.opts.MaxInputBytes)
	h.serveWS(c, r, ns, f)
	return nil
}

func (h *Handlers) serveWS(c *websocket.Conn, r *http.Request, ns string, f ref) {
	// The upgrade's request is over: the socket lives until it closes or
	// Shutdown ends h.life (which ends an invocation in flight too).
	ctx := h.life
	base, caller, wal := api.RequestID(r.Context()), callerNamespace(r.Context()), wallet(r.Context())
	for n := 1; ; n++ {
		// Reads are not bound to h.life: a cancelled read makes the library
		// drop the connection, and Shutdown closes it with 1001 instead.
		rctx, cancel := context.WithTimeout(context.Background(), h.opts.WSIdleTimeout)
		typ, data, err := c.Read(rctx)
		cancel()
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				c.Close(websocket.StatusNormalClosure, "idle")
			}
			return // closed by the client, the read limit (1009) or Shutdown
		}
		if typ != websocket.MessageText {
			c.Close(websocket.StatusUnsupportedData, "text frames only")
			return
		}
		if !utf8.Valid(data) {
			c.Close(websocket.StatusInvalidFramePayloadData, "invalid UTF-8 in a text frame")
			return
		}
		id := base + "-" + strconv.Itoa(n)
		res, err := h.call(ctx, serverless.Invocation{Namespace: ns, Name: f.name, Version: f.version,
			Input: data, RequestID: id, Caller: caller, Wallet: wal})
		if h.life.Err() != nil {
			return // Shutdown closes the socket
		}
		out := wsResult{RequestID: id}
		switch {
		case err != nil && unavailable(err):
			c.Close(websocket.StatusInternalError, closeReason(sdk.AsError(err).Message))
			return
		case err != nil:
			out.Status, out.Error = serverless.ResultError, sdk.AsError(err).Message
		default:
			out.Status, out.DurationMs = res.Status, res.Duration.Milliseconds()
			if res.Status == serverless.ResultSuccess {
				s := string(res.Output)
				out.Output = &s
			} else {
				out.Error = orMsg(res.Error, "function "+res.Status)
			}
		}
		b, _ := json.Marshal(out)
		wctx, cancel := context.WithTimeout(context.Background(), h.Timeout)
		err = c.Write(wctx, websocket.MessageText, b)
		cancel()
		if err != nil {
			return
		}
	}
}

// closeReason fits a close reason in a control frame (123 bytes).
func closeReason(s string) string {
	if len(s) <= 120 {
		return s
	}
	s = s[:120]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// attach registers a socket, unless the handlers are shutting down.
func (h *Handlers) attach() (*fnSocket, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closing {
		return nil, false
	}
	s := &fnSocket{}
	h.sockets[s] = struct{}{}
	h.wg.Add(1)
	return s, true
}

func (h *Handlers) release(s *fnSocket) {
	h.mu.Lock()
	delete(h.sockets, s)
	h.mu.Unlock()
	h.wg.Done()
}

// Shutdown closes every function WebSocket with 1001 (going away) and
// waits for them to be gone, or for ctx.
func (h *Handlers) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	h.closing = true
	var conns []*websocket.Conn
	for s := range h.sockets {
		if s.c != nil {
			conns = append(conns, s.c)
		}
	}
	h.mu.Unlock()
	h.end() // ends the invocations in flight
	for _, c := range conns {
		go c.Close(websocket.StatusGoingAway, "server shutting down")
	}
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
