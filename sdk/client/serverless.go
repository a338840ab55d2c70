package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/orama-network/orama/sdk/serverless"
)

// Serverless is the functions part of the API: deploy WASM modules
// (every deploy is a new version), invoke them, read their logs, and set
// the secrets they read with get_secret. A function is named "name" (the
// latest version) or "name@3" (version 3) wherever a ref is asked for.
type Serverless struct{ c *Client }

// Function is a deployed version of a function (API.md's function
// object).
type Function struct {
	ID                string            `json:"id"`
	Name              string            `json:"name"`
	Namespace         string            `json:"namespace"`
	Version           int               `json:"version"`
	WASMCID           string            `json:"wasm_cid"`
	IsPublic          bool              `json:"is_public"`
	MemoryLimitMB     int               `json:"memory_limit_mb"`
	TimeoutSeconds    int               `json:"timeout_seconds"`
	RetryCount        int               `json:"retry_count"`
	RetryDelaySeconds int               `json:"retry_delay_seconds"`
	EnvVars           map[string]string `json:"env_vars"`
	Status            string            `json:"status"`
	CreatedAt         time.Time         `json:"created_at"`
	UpdatedAt         time.Time         `json:"updated_at"`
}

// LogEntry is one log line of a function.
type LogEntry struct {
	Level     string    `json:"level"`
	Message   string    `json:"message"`
	Timestamp time.Time `json:"timestamp"`
}

// functionPath is /v1/functions/<ref><suffix>, after checking ref.
func functionPath(ref, suffix string) (string, error) {
	if _, _, err := serverless.ParseRef(ref); err != nil {
		return "", err
	}
	return "/v1/functions/" + url.PathEscape(ref) + suffix, nil
}

// List returns the latest version of every function of the key's
// namespace, sorted by name.
func (s *Serverless) List(ctx context.Context) ([]Function, error) {
	var resp struct {
		Functions []Function `json:"functions"`
	}
	err := s.c.do(ctx, http.MethodGet, "/v1/functions", nil, &resp)
	return resp.Functions, err
}

// Get returns a function: ref "name" for the latest version, "name@3"
// for version 3. Errors: invalid, not_found.
func (s *Serverless) Get(ctx context.Context, ref string) (Function, error) {
	var f Function
	path, err := functionPath(ref, "")
	if err != nil {
		return f, err
	}
	err = s.c.do(ctx, http.MethodGet, path, nil, &f)
	return f, err
}

// Versions returns every kept version of the function name, oldest
// first. Errors: invalid, not_found.
func (s *Serverless) Versions(ctx context.Context, name string) ([]Function, error) {
	path, err := functionPath(name, "/versions")
	if err != nil {
		return nil, err
	}
	var resp struct {
		Versions []Function `json:"versions"`
	}
	err = s.c.do(ctx, http.MethodGet, path, nil, &resp)
	return resp.Versions, err
}

// Delete removes one version ("name@3") or every version ("name") and
// returns the gateway's message. Errors: invalid, not_found.
func (s *Serverless) Delete(ctx context.Context, ref string) (string, error) {
	path, err := functionPath(ref, "")
	if err != nil {
		return "", err
	}
	var resp struct {
		Message string `json:"message"`
	}
	err = s.c.do(ctx, http.MethodDelete, path, nil, &resp)
	return resp.Message, err
}

// Logs returns the function's latest log entries, oldest first (limit 0:
// the gateway's default, 100). Errors: invalid, not_found.
func (s *Serverless) Logs(ctx context.Context, name string, limit int) ([]LogEntry, error) {
	path, err := functionPath(name, "/logs")
	if err != nil {
		return nil, err
	}
	if limit > 0 {
		path += "?limit=" + strconv.Itoa(limit)
	}
	var resp struct {
		Logs []LogEntry `json:"logs"`
	}
	err = s.c.do(ctx, http.MethodGet, path, nil, &resp)
	return resp.Logs, err
}
