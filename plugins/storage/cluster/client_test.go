package cluster

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/storage/internal/clustertest"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
)

const (
	hello       = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
	clusterPeer = "12D3KooWF53rUFeGe8pwTXYDbMUpAiFjspnyk8ec3v8Qt8bhpc4H"
	ipfsPeer    = "12D3KooWPchpurPaY2eaN683P2NCfVY5pumioyLDXXLMy9rcFBkk"
)

func TestPin(t *testing.T) {
	r := clustertest.New(t, "testdata", "pin")
	p, err := newClient(t, r.URL).Pin(t.Context(), hello, PinOptions{Name: "hello", ReplicationMin: 1, ReplicationMax: 1})
	if err != nil {
		t.Fatal(err)
	}
	r.Done()
	if p.CID != hello || p.Name != "hello" || p.Mode != "recursive" || p.ReplicationMin != 1 || p.ReplicationMax != 1 ||
		len(p.Allocations) != 1 || p.Allocations[0] != clusterPeer || p.Timestamp.IsZero() {
		t.Errorf("Pin = %+v", p)
	}
}

func TestStatusPeerMap(t *testing.T) {
	r := clustertest.New(t, "testdata", "status")
	g, err := newClient(t, r.URL).Status(t.Context(), hello)
	if err != nil {
		t.Fatal(err)
	}
	r.Done()
	ps, ok := g.PeerMap[clusterPeer]
	if g.CID != hello || g.Name != "hello" || !ok || ps.Status != "pinned" || ps.IPFSPeerID != ipfsPeer || ps.PeerName != "vm" {
		t.Errorf("Status = %+v", g)
	}
	s := g.Summary()
	if s.Status != storage.StatusPinned || len(s.Peers) != 1 || s.Peers[0] != ipfsPeer || s.Error != "" {
		t.Errorf("Summary = %+v, want pinned on %s", s, ipfsPeer)
	}
}

func TestUnpinThenStatus(t *testing.T) {
	r := clustertest.New(t, "testdata", "unpin", "status-after-unpin")
	c := newClient(t, r.URL)
	p, err := c.Unpin(t.Context(), hello)
	if err != nil || p.CID != hello || p.Name != "hello" {
		t.Fatalf("Unpin = %+v, %v", p, err)
	}
	g, err := c.Status(t.Context(), hello)
	if err != nil {
		t.Fatal(err)
	}
	r.Done()
	if s := g.Summary(); s.Status != storage.StatusUnpinned || len(s.Peers) != 0 {
		t.Errorf("Summary after unpin = %+v, want unpinned on no peer", s)
	}
}

func TestStatusOfAnUnknownCID(t *testing.T) {
	const empty = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
	r := clustertest.New(t, "testdata", "status-unknown")
	g, err := newClient(t, r.URL).Status(t.Context(), empty)
	if err != nil {
		t.Fatal(err)
	}
	r.Done()
	if g.CID != empty || len(g.Allocations) != 0 {
		t.Errorf("Status = %+v", g)
	}
	if s := g.Summary(); s.Status != storage.StatusUnpinned || len(s.Peers) != 0 {
		t.Errorf("Summary = %+v, want unpinned", s)
	}
}

func TestPinOfABadCID(t *testing.T) {
	r := clustertest.New(t, "testdata", "pin-bad-cid")
	_, err := newClient(t, r.URL).Pin(t.Context(), "not-a-cid", PinOptions{})
	r.Done()
	e := plugintest.MustCode(t, err, "Pin of a bad CID", sdk.CodeInvalid)
	if !strings.Contains(e.Message, "invalid cid") {
		t.Errorf("message %q does not carry the cluster's reason", e.Message)
	}
}

func TestIDAndPeers(t *testing.T) {
	r := clustertest.New(t, "testdata", "id", "peers")
	c := newClient(t, r.URL)
	id, err := c.ID(t.Context())
	if err != nil || id.ID != clusterPeer || id.Version != "1.1.6" || id.IPFS.ID != ipfsPeer || id.PeerName != "vm" {
		t.Errorf("ID = %+v, %v", id, err)
	}
	peers, err := c.Peers(t.Context())
	r.Done()
	if err != nil || len(peers) != 1 || peers[0].ID != clusterPeer {
		t.Errorf("Peers = %+v, %v", peers, err)
	}
}

// TestPeersStreamError: a failure reported in the X-Stream-Error trailer
// after a 200 is an error, not a short list.
func TestPeersStreamError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Trailer", "X-Stream-Error")
		_, _ = w.Write([]byte(`{"id":"a"}` + "\n"))
		w.Header().Set("X-Stream-Error", "peer b unreachable")
	}))
	defer srv.Close()
	_, err := newClient(t, srv.URL).Peers(t.Context())
	e := plugintest.MustCode(t, err, "Peers with a stream error", sdk.CodeUnavailable)
	if !strings.Contains(e.Message, "peer b unreachable") {
		t.Errorf("message %q", e.Message)
	}
}

func TestBasicAuthFromTheURL(t *testing.T) {
	r := clustertest.New(t, "testdata", "id")
	r.RequireBasicAuth("orama", "s3cret")
	c := newClient(t, strings.Replace(r.URL, "http://", "http://orama:s3cret@", 1))
	if strings.Contains(c.URL(), "s3cret") {
		t.Errorf("URL() shows the password: %s", c.URL())
	}
	if _, err := c.ID(t.Context()); err != nil {
		t.Fatal(err)
	}
	r.Done()
}

func TestErrorStatuses(t *testing.T) {
	cases := []struct {
		status int
		body   string
		code   sdk.Code
	}{
		{http.StatusNotFound, `{"code":404,"message":"pin not found"}`, sdk.CodeNotFound},
		{http.StatusBadRequest, `{"code":400,"message":"bad"}`, sdk.CodeInvalid},
		{http.StatusUnauthorized, `{"code":401,"message":"Unauthorized"}`, sdk.CodeUnavailable},
		{http.StatusInternalServerError, `oops`, sdk.CodeUnavailable},
	}
	for _, tc := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		}))
		_, err := newClient(t, srv.URL).Unpin(t.Context(), hello)
		srv.Close()
		plugintest.MustCode(t, err, http.StatusText(tc.status), tc.code)
	}
}

// TestResponsesAreBounded: an endless answer is cut at MaxResponse.
func TestResponsesAreBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"id":"`))
		chunk := []byte(strings.Repeat("x", 64<<10))
		for range (MaxResponse / len(chunk)) + 2 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	_, err := newClient(t, srv.URL).ID(t.Context())
	e := plugintest.MustCode(t, err, "ID with an endless answer", sdk.CodeUnavailable)
	if !strings.Contains(e.Message, "over") {
		t.Errorf("message %q does not say the answer was too large", e.Message)
	}
}

// TestTimeoutBoundsACall: a peer that accepts and never answers makes the
// call fail with unavailable instead of hanging.
func TestTimeoutBoundsACall(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	c, err := New("http://"+l.Addr().String(), 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Status(t.Context(), hello)
	plugintest.MustCode(t, err, "Status against a mute peer", sdk.CodeUnavailable)
}

func TestNewRejectsBadURLs(t *testing.T) {
	for _, u := range []string{"", "127.0.0.1:9094", "ftp://host", "http://", "http://h:9094/?x=1", "/ip4/127.0.0.1/tcp/9094"} {
		if _, err := New(u, time.Second); err == nil {
			t.Errorf("New(%q) accepted it", u)
		}
	}
	if _, err := New("http://h:9094", 0); err == nil {
		t.Error("New with a zero timeout accepted it")
	}
}

func newClient(t *testing.T, rawURL string) *Client {
	t.Helper()
	c, err := New(rawURL, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
