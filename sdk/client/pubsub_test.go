package client_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func TestPubSubPublishOverHTTP(t *testing.T) {
	srv := newRecorder(t, 200, `{"status":"ok"}`)
	ps := client.New(srv.URL, client.WithAPIKey("ak_1:ns")).PubSub()
	if err := ps.Publish(t.Context(), "chat", []byte{0, 1, 2, 'h', 'i'}); err != nil {
		t.Fatal(err)
	}
	got := srv.only(t)
	checkRequest(t, got, "POST", "/v1/pubsub/publish", map[string]any{"topic": "chat", "data_base64": "AAECaGk="})
	if got.APIKey != "ak_1:ns" {
		t.Errorf("X-API-Key %q", got.APIKey)
	}
}

func TestPubSubPublishEmptyDataIsEmptyString(t *testing.T) {
	srv := newRecorder(t, 200, `{"status":"ok"}`)
	if err := client.New(srv.URL).PubSub().Publish(t.Context(), "chat", nil); err != nil {
		t.Fatal(err)
	}
	checkRequest(t, srv.only(t), "POST", "/v1/pubsub/publish", map[string]any{"topic": "chat", "data_base64": ""})
}

func TestPubSubErrorsFromTheBody(t *testing.T) {
	cases := []struct {
		status int
		body   string
		code   sdk.Code
		msg    string
	}{
		{400, `{"error":"topic is required","code":"invalid"}`, sdk.CodeInvalid, "topic is required"},
		{401, `{"error":"missing credentials","code":"unauthorized"}`, sdk.CodeUnauthorized, "missing credentials"},
		{413, `{"error":"data too large","code":"too_large"}`, sdk.CodeTooLarge, "data too large"},
		{503, `{"error":"plugin pubsub is restarting","code":"unavailable"}`, sdk.CodeUnavailable, "plugin pubsub is restarting"},
		{502, `<html>bad gateway</html>`, sdk.CodeInternal, "HTTP 502"},
	}
	for _, c := range cases {
		srv := newRecorder(t, c.status, c.body)
		ps := client.New(srv.URL).PubSub()
		for name, err := range map[string]error{
			"publish":  ps.Publish(t.Context(), "chat", []byte("x")),
			"topics":   func() error { _, err := ps.Topics(t.Context()); return err }(),
			"presence": func() error { _, err := ps.Presence(t.Context(), "chat"); return err }(),
		} {
			e := plugintest.SDKError(t, err)
			if e.Code != c.code || e.Message != c.msg {
				t.Errorf("%d %s: %s %q, want %s %q", c.status, name, e.Code, e.Message, c.code, c.msg)
			}
		}
	}
}

func TestPubSubTopics(t *testing.T) {
	srv := newRecorder(t, 200, `{"topics":["a","b"]}`)
	got, err := client.New(srv.URL).PubSub().Topics(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, srv.only(t), "GET", "/v1/pubsub/topics", nil)
	if len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("topics %v", got)
	}
	empty := newRecorder(t, 200, `{"topics":null}`)
	got, err = client.New(empty.URL).PubSub().Topics(t.Context())
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("no topics: %#v, %v; want an empty slice", got, err)
	}
}

func TestPubSubPresence(t *testing.T) {
	var query string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.Path + "?" + r.URL.RawQuery
		_, _ = w.Write([]byte(`{"topic":"room 1","count":2,"members":[` +
			`{"member_id":"ann","joined_at":1700000000,"meta":{"name":"Ann"}},` +
			`{"member_id":"bob","joined_at":1700000005}]}`))
	}))
	t.Cleanup(srv.Close)
	got, err := client.New(srv.URL).PubSub().Presence(t.Context(), "room 1")
	if err != nil {
		t.Fatal(err)
	}
	if query != "/v1/pubsub/presence?topic=room+1" {
		t.Errorf("request %s", query)
	}
	want := []client.Member{
		{ID: "ann", Meta: json.RawMessage(`{"name":"Ann"}`), JoinedAt: time.Unix(1700000000, 0)},
		{ID: "bob", JoinedAt: time.Unix(1700000005, 0)},
	}
	if len(got) != len(want) {
		t.Fatalf("members %+v", got)
	}
	for i := range want {
		if got[i].ID != want[i].ID || string(got[i].Meta) != string(want[i].Meta) || !got[i].JoinedAt.Equal(want[i].JoinedAt) {
			t.Errorf("member %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
