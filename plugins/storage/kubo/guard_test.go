package kubo

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// stallingKubo answers id and version, and on cat sends the headers and a
// few bytes, then nothing until the client goes away; add reads the body
// and then never answers.
func stallingKubo(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v0/id":
			_, _ = io.WriteString(w, `{"ID":"12D3KooWfake","AgentVersion":"kubo/fake"}`)
		case "/api/v0/version":
			_, _ = io.WriteString(w, `{"Version":"0.42.0"}`)
		case "/api/v0/cat":
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("X-Content-Length", "100")
			_, _ = io.WriteString(w, "abc")
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		case "/api/v0/add":
			_, _ = io.Copy(io.Discard, r.Body)
			<-r.Context().Done()
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestStalledDownloadIsUnavailable(t *testing.T) {
	srv := stallingKubo(t)
	d, err := Open(t.Context(), Options{API: srv.URL, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := cid.Decode("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")
	rc, err := d.Open(t.Context(), c, 0, 100)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer rc.Close()
	whole, size, err := d.OpenWhole(t.Context(), c)
	if err != nil || size != 100 {
		t.Fatalf("OpenWhole: size %d, %v", size, err)
	}
	defer whole.Close()
	for name, rc := range map[string]io.Reader{"Open": rc, "OpenWhole": whole} {
		got, err := io.ReadAll(rc)
		if string(got) != "abc" {
			t.Errorf("%s read %q before the stall, want abc", name, got)
		}
		plugintest.WantCode(t, err, name+": read of a stalled stream", sdk.CodeUnavailable)
	}
}

func TestStalledAddIsUnavailable(t *testing.T) {
	srv := stallingKubo(t)
	d, err := Open(t.Context(), Options{API: srv.URL, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Add(t.Context(), bytes.NewReader([]byte("hello")))
	plugintest.WantCode(t, err, "add to a kubo that never answers", sdk.CodeUnavailable)
}

// TestSlowCallerIsNotAStall: the caller's reader takes longer than the
// timeout between reads; that time is not kubo's and must not trip the
// guard (a real kubo daemon takes the upload).
func TestSlowCallerIsNotAStall(t *testing.T) {
	k, _ := openDriver(t, 0, "")
	d, err := Open(t.Context(), Options{API: k.opts.API, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r := &slowReader{r: strings.NewReader("hello world\n"), pauses: 2, pause: 1500 * time.Millisecond}
	c, err := d.Add(t.Context(), r)
	if err != nil || c.String() != "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o" {
		t.Errorf("Add with a slow caller = %s, %v", c, err)
	}
}

// slowReader sleeps before each of its first reads, which return 6
// bytes at most.
type slowReader struct {
	r      io.Reader
	pauses int
	pause  time.Duration
}

func (s *slowReader) Read(p []byte) (int, error) {
	if s.pauses > 0 {
		s.pauses--
		time.Sleep(s.pause)
	}
	return s.r.Read(p[:min(len(p), 6)])
}
