package client

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/serverless"
)

// InvokeResult is a successful invocation.
type InvokeResult struct {
	Output    []byte        // what the function wrote to stdout, as it wrote it
	Status    string        // "success"
	RequestID string        // the invocation's request id (its log lines carry it)
	Duration  time.Duration // as the gateway measured it, in whole milliseconds
}

// FunctionError is an invocation in which the function itself failed:
// it trapped, exited non-zero or hit a limit (Status "error", HTTP 500),
// or ran out of time (Status "timeout", HTTP 504). Invoke returns it
// instead of an *sdk.Error for those answers.
type FunctionError struct {
	Status     string // "error" or "timeout"
	Message    string // why (e.g. the trap's message)
	RequestID  string
	Duration   time.Duration
	HTTPStatus int
}

func (e *FunctionError) Error() string { return "function " + e.Status + ": " + e.Message }

// Invoke runs a function of the key's namespace (ref "name" or
// "name@3") with body on its stdin. Errors: *FunctionError when the
// function failed; *sdk.Error otherwise (invalid, not_found, forbidden,
// too_large, rate_limited, unavailable).
func (s *Serverless) Invoke(ctx context.Context, ref string, body []byte) (InvokeResult, error) {
	path, err := functionPath(ref, "/invoke")
	if err != nil {
		return InvokeResult{}, err
	}
	return s.invoke(ctx, path, body)
}

// InvokePublic runs a function of namespace through /v1/invoke: any
// caller may run a public function; a private one needs a key of
// namespace (forbidden otherwise). Errors as Invoke.
func (s *Serverless) InvokePublic(ctx context.Context, namespace, ref string, body []byte) (InvokeResult, error) {
	if err := serverless.CheckNamespace(namespace); err != nil {
		return InvokeResult{}, err
	}
	if _, _, err := serverless.ParseRef(ref); err != nil {
		return InvokeResult{}, err
	}
	return s.invoke(ctx, "/v1/invoke/"+url.PathEscape(namespace)+"/"+url.PathEscape(ref), body)
}

func (s *Serverless) invoke(ctx context.Context, path string, body []byte) (InvokeResult, error) {
	if len(body) > serverless.MaxInputBytes {
		return InvokeResult{}, sdk.Errorf(sdk.CodeTooLarge, "input larger than %d bytes", serverless.MaxInputBytes)
	}
	resp, err := s.c.send(ctx, http.MethodPost, path, "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		return InvokeResult{}, err
	}
	if resp.status/100 != 2 {
		return InvokeResult{}, invokeError(resp)
	}
	// Output that looks like JSON comes back as is, with its request id
	// and duration in headers; any other is wrapped in an object.
	if resp.header.Get("X-Duration-Ms") != "" {
		ms, _ := strconv.ParseInt(resp.header.Get("X-Duration-Ms"), 10, 64)
		return InvokeResult{Output: resp.body, Status: serverless.ResultSuccess,
			RequestID: resp.header.Get("X-Request-ID"), Duration: time.Duration(ms) * time.Millisecond}, nil
	}
	var w struct {
		RequestID  string `json:"request_id"`
		Output     string `json:"output"`
		Status     string `json:"status"`
		DurationMs int64  `json:"duration_ms"`
	}
	if err := json.Unmarshal(resp.body, &w); err != nil {
		return InvokeResult{}, sdk.Errorf(sdk.CodeInternal, "POST %s: decode response: %v", path, err)
	}
	res := InvokeResult{Status: w.Status, RequestID: w.RequestID, Duration: time.Duration(w.DurationMs) * time.Millisecond}
	if w.Output != "" {
		res.Output = []byte(w.Output)
	}
	if res.RequestID == "" {
		res.RequestID = resp.header.Get("X-Request-ID")
	}
	return res, nil
}

// invokeError is a failed invocation's error: a *FunctionError when the
// body says the function ran and failed, else the gateway's *sdk.Error.
func invokeError(resp response) error {
	var body struct {
		Error      string `json:"error"`
		RequestID  string `json:"request_id"`
		Status     string `json:"status"`
		DurationMs int64  `json:"duration_ms"`
	}
	_ = json.Unmarshal(resp.body, &body)
	if (resp.status == http.StatusInternalServerError && body.Status == serverless.ResultError) ||
		(resp.status == http.StatusGatewayTimeout && body.Status == serverless.ResultTimeout) {
		return &FunctionError{Status: body.Status, Message: body.Error, RequestID: body.RequestID,
			Duration: time.Duration(body.DurationMs) * time.Millisecond, HTTPStatus: resp.status}
	}
	return responseError(resp.status, resp.body)
}
