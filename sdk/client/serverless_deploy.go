package client

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/serverless"
)

// Deploy uploads wasm, a WASI preview1 command module, as the next
// version of def.Name and returns it. def.Namespace may be left empty
// (the key's namespace); zero limits take the gateway's defaults. The
// request is API.md's multipart form: the file "wasm" and one field per
// attribute. At most serverless.MaxModuleBytes are read from wasm.
// Errors: invalid (bad name or definition, a module that does not
// compile or imports what the gateway does not provide), too_large,
// forbidden (another namespace).
func (s *Serverless) Deploy(ctx context.Context, def serverless.Definition, wasm io.Reader) (Function, error) {
	if err := serverless.CheckName(def.Name); err != nil {
		return Function{}, err
	}
	module, err := io.ReadAll(io.LimitReader(wasm, serverless.MaxModuleBytes+1))
	if err != nil {
		return Function{}, sdk.Errorf(sdk.CodeInvalid, "read the wasm module: %v", err)
	}
	if len(module) > serverless.MaxModuleBytes {
		return Function{}, sdk.Errorf(sdk.CodeTooLarge, "wasm module larger than %d bytes", serverless.MaxModuleBytes)
	}
	body, ctype, err := deployForm(def, module)
	if err != nil {
		return Function{}, err
	}
	resp, err := s.c.send(ctx, http.MethodPost, "/v1/functions", ctype, body)
	if err != nil {
		return Function{}, err
	}
	if resp.status/100 != 2 {
		return Function{}, responseError(resp.status, resp.body)
	}
	var out struct {
		Function Function `json:"function"`
	}
	if err := json.Unmarshal(resp.body, &out); err != nil {
		return Function{}, sdk.Errorf(sdk.CodeInternal, "POST /v1/functions: decode response: %v", err)
	}
	return out.Function, nil
}

// deployForm encodes def and module as the deploy form: the fields
// first, then the file "wasm".
func deployForm(def serverless.Definition, module []byte) (*bytes.Buffer, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fields := [][2]string{
		{"name", def.Name},
		{"namespace", def.Namespace},
		{"is_public", strconv.FormatBool(def.IsPublic)},
		{"memory_limit_mb", strconv.Itoa(def.MemoryLimitMB)},
		{"timeout_seconds", strconv.Itoa(def.TimeoutSeconds)},
		{"retry_count", strconv.Itoa(def.RetryCount)},
		{"retry_delay_seconds", strconv.Itoa(def.RetryDelaySeconds)},
	}
	if len(def.EnvVars) > 0 {
		env, err := json.Marshal(def.EnvVars)
		if err != nil {
			return nil, "", sdk.Errorf(sdk.CodeInvalid, "encode env_vars: %v", err)
		}
		fields = append(fields, [2]string{"env_vars", string(env)})
	}
	for _, f := range fields {
		if f[0] == "namespace" && f[1] == "" {
			continue
		}
		if err := w.WriteField(f[0], f[1]); err != nil {
			return nil, "", sdk.Errorf(sdk.CodeInternal, "encode form: %v", err)
		}
	}
	part, err := w.CreateFormFile("wasm", def.Name+".wasm")
	if err != nil {
		return nil, "", sdk.Errorf(sdk.CodeInternal, "encode form: %v", err)
	}
	_, _ = part.Write(module) // a bytes.Buffer does not fail
	if err := w.Close(); err != nil {
		return nil, "", sdk.Errorf(sdk.CodeInternal, "encode form: %v", err)
	}
	return &buf, w.FormDataContentType(), nil
}
