package serverless_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/server"
	"github.com/orama-network/orama/host/internal/server/servertest"
)

// wait bounds every wait of these tests (generous: never a performance
// assertion).
const wait = 10 * time.Second

// Limits of the test server.
const (
	testMaxModule = 4 << 10
	testMaxInput  = 2 << 10
)

// module is a stand-in for a WASM module (the fake does not compile it).
var module = []byte("\x00asm\x01\x00\x00\x00 fake module")

// newEnv is a server with authentication (keys alpha and beta, JWT beta)
// and small function limits.
func newEnv(t *testing.T, mod func(*server.Options)) *servertest.Env {
	t.Helper()
	return servertest.NewAuth(t, func(o *server.Options) {
		o.Functions.MaxModuleBytes = testMaxModule
		o.Functions.MaxInputBytes = testMaxInput
		o.Functions.InvokeTimeout = 300 * time.Millisecond
		if mod != nil {
			mod(o)
		}
	})
}

// form is a multipart body: fields (name/value pairs) and, unless wasm is
// nil, the file part "wasm".
func form(t testing.TB, wasm []byte, fields ...string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := mw.WriteField(fields[i], fields[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if wasm != nil {
		fw, err := mw.CreateFormFile("wasm", "fn.wasm")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(wasm)
	}
	mw.Close()
	return b.String(), mw.FormDataContentType()
}

// deploy posts a form with the key and returns the response.
func deploy(t testing.TB, e *servertest.Env, key string, wasm []byte, fields ...string) *httptest.ResponseRecorder {
	t.Helper()
	body, ct := form(t, wasm, fields...)
	return e.Do(t, "POST", "/v1/functions", body, "Content-Type", ct, "X-API-Key", key)
}

// mustDeploy deploys name in alpha and returns the function object.
func mustDeploy(t testing.TB, e *servertest.Env, fields ...string) map[string]any {
	t.Helper()
	rec := deploy(t, e, apitest.KeyAlpha, module, fields...)
	if rec.Code != http.StatusCreated {
		t.Fatalf("deploy: %d %s", rec.Code, rec.Body)
	}
	var out struct {
		Message  string         `json:"message"`
		Function map[string]any `json:"function"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out.Function
}

// startHTTP serves e behind a real HTTP server (WebSockets).
func startHTTP(t *testing.T, e *servertest.Env) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(e.Srv.Handler())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		_ = e.Srv.Shutdown(ctx)
		srv.Close()
	})
	return srv
}
