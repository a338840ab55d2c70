package serverless

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/serverless"
)

// Invocation responses (API.md). A successful invocation whose output,
// after leading JSON whitespace (space, tab, CR, LF), starts with '{' or
// '[' is returned as is — whitespace included — with Content-Type
// application/json and the headers X-Request-ID and X-Duration-Ms;
// any other output is wrapped as {request_id, output, status,
// duration_ms}. A function that ran out of time is 504 and one that
// failed (trapped, exited non-zero, hit its memory or output limit) is 500;
// both carry {error, code, request_id, status, duration_ms}, error being
// the plugin's message (the trap's). Durations are whole milliseconds.

const hdrDuration = "X-Duration-Ms"

type invokeResponse struct {
	RequestID  string `json:"request_id"`
	Output     string `json:"output"`
	Status     string `json:"status"`
	DurationMs int64  `json:"duration_ms"`
}

type invokeErrorResponse struct {
	Error      string   `json:"error"`
	Code       sdk.Code `json:"code,omitempty"`
	RequestID  string   `json:"request_id"`
	Status     string   `json:"status"`
	DurationMs int64    `json:"duration_ms"`
}

// Invoke is POST /v1/functions/:name[@ver]/invoke: runs a function of the
// caller's namespace. Without a credential the namespace is the query's
// ?namespace= (the function must then be public); without either, 401.
func (h *Handlers) Invoke(w http.ResponseWriter, r *http.Request) error {
	f, err := pathRef(r)
	if err != nil {
		return err
	}
	caller := callerNamespace(r.Context())
	ns := caller
	if ns == "" {
		// authorize has refused a ?namespace= other than a credential's.
		if ns = r.URL.Query().Get("namespace"); ns == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="gateway"`)
			return sdk.Errorf(sdk.CodeUnauthorized, "missing API key")
		}
	}
	return h.invoke(w, r, ns, caller, f)
}

// InvokeNamespaced is POST /v1/invoke/:namespace/:name[@ver]: runs a
// function of the namespace the path names — any caller's when it is
// public, else only with a credential of that namespace (403).
func (h *Handlers) InvokeNamespaced(w http.ResponseWriter, r *http.Request) error {
	ns := api.Param(r.Context(), "namespace")
	if ns == "" {
		return api.Invalidf("namespace is required")
	}
	if len(ns) > serverless.MaxNamespaceLen {
		return api.Invalidf("namespace longer than %d bytes", serverless.MaxNamespaceLen)
	}
	if auth.IsReservedNamespace(ns) {
		return api.ReservedNamespace(ns)
	}
	f, err := pathRef(r)
	if err != nil {
		return err
	}
	return h.invoke(w, r, ns, callerNamespace(r.Context()), f)
}

// callerNamespace is the namespace of the request's credential ("" for
// an anonymous request; "default" with authentication disabled).
func callerNamespace(ctx context.Context) string {
	if q := api.From(ctx); q != nil {
		return q.Namespace
	}
	return ""
}

// wallet is the signed-in wallet of the request, for get_caller_wallet.
func wallet(ctx context.Context) string {
	if p, ok := api.Principal(ctx); ok {
		return p.Subject
	}
	return ""
}

func (h *Handlers) invoke(w http.ResponseWriter, r *http.Request, ns, caller string, f ref) error {
	input, err := readInput(r.Body, h.opts.MaxInputBytes)
	if err != nil {
		return err
	}
	id := api.RequestID(r.Context())
	res, err := h.call(r.Context(), serverless.Invocation{Namespace: ns, Name: f.name, Version: f.version,
		Input: input, RequestID: id, Caller: caller, Wallet: wallet(r.Context())})
	if err != nil {
		return err
	}
	return writeResult(w, id, res)
}

// call runs one invocation, bounded by the invoke timeout.
func (h *Handlers) call(ctx context.Context, inv serverless.Invocation) (serverless.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, h.opts.InvokeTimeout)
	defer cancel()
	s, err := h.Plugin(ctx)
	if err != nil {
		return serverless.Result{}, err
	}
	return s.Invoke(ctx, inv)
}

// readInput reads the request body, at most max bytes (413 beyond).
func readInput(body io.Reader, max int64) ([]byte, error) {
	if body == nil || body == http.NoBody {
		return nil, nil
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(body, max+1))
	if err != nil {
		return nil, formError(err)
	}
	if n > max {
		return nil, sdk.Errorf(sdk.CodeTooLarge, "request body larger than %d bytes", max)
	}
	return buf.Bytes(), nil
}

func writeResult(w http.ResponseWriter, id string, res serverless.Result) error {
	ms := res.Duration.Milliseconds()
	switch res.Status {
	case serverless.ResultSuccess:
		if looksJSON(res.Output) {
			w.Header().Set(hdrDuration, strconv.FormatInt(ms, 10))
			return api.WriteJSONBytes(w, http.StatusOK, res.Output)
		}
		return api.WriteJSON(w, http.StatusOK, invokeResponse{RequestID: id, Output: string(res.Output),
			Status: res.Status, DurationMs: ms})
	case serverless.ResultTimeout:
		return api.WriteJSON(w, http.StatusGatewayTimeout, invokeErrorResponse{Error: orMsg(res.Error, "function timed out"),
			RequestID: id, Status: res.Status, DurationMs: ms})
	}
	return api.WriteJSON(w, http.StatusInternalServerError, invokeErrorResponse{Error: orMsg(res.Error, "function failed"),
		Code: sdk.CodeInternal, RequestID: id, Status: orMsg(res.Status, serverless.ResultError), DurationMs: ms})
}

func orMsg(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// looksJSON reports whether out, after leading JSON whitespace, starts
// with '{' or '['.
func looksJSON(out []byte) bool {
	for _, c := range out {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return false
}
