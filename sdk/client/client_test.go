package client_test

import (
	"context"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func TestHealthOK(t *testing.T) {
	srv := newRecorder(t, 200, `{"status":"ok","server":{"status":"ok","uptime":"3s"},"plugins":{"cache":{"status":"running","pid":42,"restarts":0}}}`)
	doc, err := client.New(srv.URL).Health(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, srv.only(t), "GET", "/v1/health", nil)
	if doc["status"] != "ok" {
		t.Errorf("status %v", doc["status"])
	}
	plugins, _ := doc["plugins"].(map[string]any)
	cache, _ := plugins["cache"].(map[string]any)
	if cache["pid"] != 42.0 {
		t.Errorf("plugins.cache = %v", cache)
	}
}

func TestHealthDegradedReturnsDocumentAndError(t *testing.T) {
	srv := newRecorder(t, 503, `{"status":"degraded","server":{"status":"ok"},"plugins":{"cache":{"status":"restarting","restarts":3}}}`)
	doc, err := client.New(srv.URL).Health(t.Context())
	if e := plugintest.SDKError(t, err); e.Code != sdk.CodeUnavailable {
		t.Errorf("code %s, want unavailable", e.Code)
	}
	if doc == nil || doc["status"] != "degraded" {
		t.Fatalf("document %v, want the degraded document", doc)
	}
	plugins, _ := doc["plugins"].(map[string]any)
	cache, _ := plugins["cache"].(map[string]any)
	if cache["status"] != "restarting" || cache["restarts"] != 3.0 {
		t.Errorf("plugins.cache = %v", cache)
	}
}

func TestHealthBadJSONOn200IsInternal(t *testing.T) {
	srv := newRecorder(t, 200, `not json`)
	_, err := client.New(srv.URL).Health(t.Context())
	if e := plugintest.SDKError(t, err); e.Code != sdk.CodeInternal {
		t.Errorf("code %s, want internal", e.Code)
	}
}

func TestCanceledContextIsUnavailable(t *testing.T) {
	srv := newRecorder(t, 200, `{"status":"ok"}`)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	e := plugintest.SDKError(t, client.New(srv.URL).Cache().Delete(ctx, "d", "k"))
	if e.Code != sdk.CodeUnavailable {
		t.Errorf("code %s, want unavailable", e.Code)
	}
}
