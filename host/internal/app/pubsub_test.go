package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// fakePubSub is a fake gateway of the pubsub routes the command uses:
// POST /v1/pubsub/publish answers status (recording the body and key),
// GET /v1/pubsub/ws sends frames, then calls onOpen and waits for the
// client to close.
type fakePubSub struct {
	*httptest.Server
	status int
	frames []string
	onOpen func()

	mu     sync.Mutex
	keys   []string
	bodies []map[string]string
	query  url.Values
}

func newFakePubSub(t *testing.T, status int, frames ...string) *fakePubSub {
	t.Helper()
	f := &fakePubSub{status: status, frames: frames}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	t.Setenv("HOME", t.TempDir()) // no saved login unless the test writes one
	t.Setenv("ORAMA_GATEWAY", "")
	t.Setenv("ORAMA_API_KEY", "")
	return f
}

func (f *fakePubSub) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.keys = append(f.keys, r.Header.Get("X-API-Key"))
	f.mu.Unlock()
	if f.status != http.StatusOK {
		w.WriteHeader(f.status)
		_, _ = w.Write([]byte(`{"error":"invalid API key","code":"unauthorized"}`))
		return
	}
	switch r.URL.Path {
	case "/v1/pubsub/publish":
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.mu.Lock()
		f.bodies = append(f.bodies, body)
		f.mu.Unlock()
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	case "/v1/pubsub/ws":
		f.mu.Lock()
		f.query = r.URL.Query()
		f.mu.Unlock()
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		for _, fr := range f.frames {
			if err := c.Write(context.Background(), websocket.MessageText, []byte(fr)); err != nil {
				return
			}
		}
		if f.onOpen != nil {
			f.onOpen()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, _, _ = c.Read(ctx) // until the client closes
	default:
		http.NotFound(w, r)
	}
}

func (f *fakePubSub) published(t *testing.T) (data []byte, topic, key string) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.bodies) != 1 {
		t.Fatalf("%d publishes, want 1", len(f.bodies))
	}
	data, err := base64.StdEncoding.DecodeString(f.bodies[0]["data_base64"])
	if err != nil {
		t.Fatal(err)
	}
	return data, f.bodies[0]["topic"], f.keys[0]
}

func runPubsub(ctx context.Context, stdin string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := pubsubCommand(ctx, args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestPubsubPublishSources(t *testing.T) {
	file := filepath.Join(t.TempDir(), "msg")
	if err := os.WriteFile(file, []byte{0, 1, 2}, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"data", "ignored", []string{"-data", "hello"}, "hello"},
		{"empty data", "ignored", []string{"-data", ""}, ""},
		{"file", "ignored", []string{"-file", file}, "\x00\x01\x02"},
		{"stdin", "from stdin\n", nil, "from stdin\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFakePubSub(t, 200)
			args := append([]string{"publish", "-gateway", f.URL, "-api-key", "ak_1:ns", "-topic", "chat"}, c.args...)
			code, out, errs := runPubsub(t.Context(), c.stdin, args...)
			if code != 0 || !strings.Contains(out, "Published") {
				t.Fatalf("exit %d, out %q, err %q", code, out, errs)
			}
			data, topic, key := f.published(t)
			if string(data) != c.want || topic != "chat" || key != "ak_1:ns" {
				t.Errorf("published %q to %q with key %q", data, topic, key)
			}
		})
	}
}

func TestPubsubUsesTheSavedLogin(t *testing.T) {
	f := newFakePubSub(t, 200)
	gw, err := normalizeGateway(f.URL)
	if err != nil {
		t.Fatal(err)
	}
	path, _ := credentialsPath()
	if err := saveCredentials(path, gw, Credentials{APIKey: "ak_saved:ns", Namespace: "ns"}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ORAMA_GATEWAY", f.URL)
	if code, _, errs := runPubsub(t.Context(), "", "publish", "-topic", "t", "-data", "x", "-json"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if _, _, key := f.published(t); key != "ak_saved:ns" {
		t.Errorf("key %q, want the saved one", key)
	}
}

func TestPubsubRefusedKeyExits1(t *testing.T) {
	f := newFakePubSub(t, 401)
	for _, op := range []string{"publish", "subscribe"} {
		code, _, errs := runPubsub(t.Context(), "", op, "-gateway", f.URL, "-topic", "chat", "-data", "x")
		if op == "subscribe" {
			code, _, errs = runPubsub(t.Context(), "", op, "-gateway", f.URL, "-topic", "chat")
		}
		if code != 1 || !strings.Contains(errs, "invalid API key (unauthorized)") {
			t.Errorf("%s: exit %d, %q", op, code, errs)
		}
	}
}

func TestPubsubFlagErrors(t *testing.T) {
	newFakePubSub(t, 200)
	cases := [][]string{
		{},
		{"frobnicate"},
		{"publish"},
		{"publish", "-topic", "t", "-data", "x", "-file", "f"},
		{"publish", "-topic", "t", "extra"},
		{"subscribe", "-topic", "t", "-presence"},
		{"subscribe", "-topic", "t", "-member-id", "m"},
		{"subscribe", "-topic", "t", "-presence", "-member-id", "m", "-meta", "{bad"},
		{"subscribe", "-topic", "t", "-n", "-1"},
		{"subscribe", "-topic", "t", "-gateway", "ftp://x"},
		{"subscribe", "-topic", "t", "-timeout", "0s"},
	}
	for _, args := range cases {
		if code, _, errs := runPubsub(t.Context(), "", args...); code != 2 || errs == "" {
			t.Errorf("%q: exit %d, stderr %q; want 2 and a reason", args, code, errs)
		}
	}
	if code, out, _ := runPubsub(t.Context(), "", "help"); code != 0 || !strings.Contains(out, "orama pubsub subscribe") {
		t.Errorf("help: %d %q", code, out)
	}
	if code, out, _ := run("help"); code != 0 || !strings.Contains(out, "pubsub") {
		t.Errorf("orama help does not list pubsub: %q", out)
	}
}

func TestPubsubPublishTooLarge(t *testing.T) {
	f := newFakePubSub(t, 200)
	code, _, errs := runPubsub(t.Context(), strings.Repeat("x", 1<<20+1), "publish", "-gateway", f.URL, "-topic", "t")
	if code != 1 || !strings.Contains(errs, "too_large") {
		t.Errorf("exit %d, %q", code, errs)
	}
}

func b64s(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// frames the fake sends in the subscribe tests, and how they print.
var (
	testFrames = []string{
		`{"data":"` + b64s("hello world") + `","timestamp":1700000000123,"topic":"chat"}`,
		`{"data":"` + base64.StdEncoding.EncodeToString([]byte{0xff, 0}) + `","timestamp":1700000000124,"topic":"chat"}`,
		`{"data":"` + b64s("two\nlines") + `","timestamp":1700000000125,"topic":"chat"}`,
		`{"type":"presence.join","member_id":"m1","meta":{"n":1},"topic":"chat","timestamp":1700000000126,"data":"` +
			b64s(`{"type":"presence.join","member_id":"m1","timestamp":1700000000,"meta":{"n":1}}`) + `"}`,
	}
	testLines = "hello world\nbase64:/wA=\nbase64:" + b64s("two\nlines") + "\npresence.join m1 {\"n\":1}\n"
)

func TestPubsubSubscribePrintsLines(t *testing.T) {
	f := newFakePubSub(t, 200, testFrames...)
	code, out, errs := runPubsub(t.Context(), "", "subscribe", "-gateway", f.URL, "-topic", "chat",
		"-presence", "-member-id", "m1", "-meta", `{"n":1}`, "-n", "4")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if out != testLines {
		t.Errorf("output\n%s\nwant\n%s", out, testLines)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if q := f.query; q.Get("topic") != "chat" || q.Get("presence") != "true" || q.Get("member_id") != "m1" || q.Get("member_meta") != `{"n":1}` {
		t.Errorf("handshake query %v", q)
	}
}

func TestPubsubSubscribeJSONPrintsFrames(t *testing.T) {
	f := newFakePubSub(t, 200, testFrames...)
	code, out, errs := runPubsub(t.Context(), "", "subscribe", "-gateway", f.URL, "-topic", "chat", "-n", "4", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines: %q", len(lines), out)
	}
	for i, l := range lines {
		var got, want map[string]any
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line %d is not JSON: %q", i, l)
		}
		_ = json.Unmarshal([]byte(testFrames[i]), &want)
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if string(gb) != string(wb) {
			t.Errorf("line %d = %s, want the frame %s", i, gb, wb)
		}
	}
}

// TestPubsubSubscribeEndsCleanlyOnInterrupt: the end of the context
// (Ctrl-C) ends the command with 0 after what it printed.
func TestPubsubSubscribeEndsCleanlyOnInterrupt(t *testing.T) {
	f := newFakePubSub(t, 200, testFrames[0])
	ctx, cancel := context.WithCancel(t.Context())
	f.onOpen = cancel
	code, out, errs := runPubsub(ctx, "", "subscribe", "-gateway", f.URL, "-topic", "chat")
	if code != 0 || errs != "" {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if out != "" && out != "hello world\n" {
		t.Errorf("output %q", out)
	}
}
