package kubo

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/plugins/storage/internal/gen"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
)

func TestParseAPI(t *testing.T) {
	good := map[string]string{
		"/ip4/127.0.0.1/tcp/5001":   "http://127.0.0.1:5001",
		"/ip6/::1/tcp/5001":         "http://[::1]:5001",
		"/dns4/ipfs.local/tcp/5001": "http://ipfs.local:5001",
		"http://127.0.0.1:5001/":    "http://127.0.0.1:5001",
		"https://ipfs.example:443":  "https://ipfs.example:443",
	}
	for in, want := range good {
		if got, err := apiURL(in); err != nil || got != want {
			t.Errorf("apiURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "127.0.0.1:5001", "/ip4/127.0.0.1", "/unix/tmp/api.sock", "/ip4/999.0.0.1/tcp/1", "ftp://h", "http://h:1/?x=1"} {
		if err := ParseAPI(bad); err == nil {
			t.Errorf("ParseAPI(%q) accepted it", bad)
		}
	}
}

func TestAddSizeAndRanges(t *testing.T) {
	d, _ := openDriver(t, 1, "")
	data := gen.Bytes(1, 3*262144+1000)
	c := add(t, d, data)
	if c.Prefix().Version != 1 {
		t.Errorf("CID %s is not v1", c)
	}
	n := int64(len(data))
	if size, err := d.Size(t.Context(), c); err != nil || size != n {
		t.Fatalf("Size = %d, %v; want %d", size, err, n)
	}
	for _, r := range [][2]int64{{0, n}, {0, 0}, {n, 0}, {1, 10}, {262143, 2}, {100, 600000}, {n - 1, 1}} {
		got, err := readAll(t, d, c, r[0], r[1])
		if err != nil {
			t.Fatalf("range %v: %v", r, err)
		}
		if !bytes.Equal(got, data[r[0]:r[0]+r[1]]) {
			t.Errorf("range %v: %d bytes differ from the original", r, len(got))
		}
	}
	for _, want := range [][]byte{data, {}} {
		c := add(t, d, want)
		rc, size, err := d.OpenWhole(t.Context(), c)
		if err != nil || size != int64(len(want)) {
			t.Fatalf("OpenWhole of %d bytes: size %d, %v", len(want), size, err)
		}
		got, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("OpenWhole read %d bytes, %v; want the %d added", len(got), err, len(want))
		}
	}
	if h := d.Health(t.Context()); !h.OK || h.Driver != "kubo" {
		t.Errorf("Health = %+v", h)
	}
}

func TestHelloVectors(t *testing.T) {
	for version, want := range map[int]string{
		0: "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
		1: "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
	} {
		d, _ := openDriver(t, version, "")
		if got := add(t, d, []byte("hello world\n")).String(); got != want {
			t.Errorf("v%d CID = %s, want %s", version, got, want)
		}
	}
}

func TestUnknownContentAndDirectories(t *testing.T) {
	d, _ := openDriver(t, 0, "")
	unknown, _ := cid.Decode("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")
	_, err := d.Size(t.Context(), unknown)
	plugintest.WantCode(t, err, "Size of unknown content", sdk.CodeNotFound)
	_, err = d.Open(t.Context(), unknown, 0, 5)
	plugintest.WantCode(t, err, "Open of unknown content", sdk.CodeNotFound)
	plugintest.WantCode(t, d.Pin(t.Context(), unknown, driver.PinSpec{Name: "x"}), "Pin of unknown content", sdk.CodeNotFound)

	emptyDir, _ := cid.Decode("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn") // kubo always has it
	_, err = d.Size(t.Context(), emptyDir)
	plugintest.WantCode(t, err, "Size of a directory", sdk.CodeInvalid)
	_, _, err = d.OpenWhole(t.Context(), unknown)
	plugintest.WantCode(t, err, "OpenWhole of unknown content", sdk.CodeNotFound)
	_, _, err = d.OpenWhole(t.Context(), emptyDir)
	plugintest.WantCode(t, err, "OpenWhole of a directory", sdk.CodeInvalid)
}

func TestPinUnpinPlacement(t *testing.T) {
	d, _ := openDriver(t, 0, "")
	ctx := t.Context()
	c := add(t, d, gen.Bytes(2, 300000))
	if p, err := d.Placement(ctx, c); err != nil || p.Status != storage.StatusUnpinned {
		t.Errorf("Placement after an unpinned add = %+v, %v", p, err)
	}
	for range 2 {
		if err := d.Pin(ctx, c, driver.PinSpec{Name: "a"}); err != nil {
			t.Fatalf("Pin: %v", err)
		}
	}
	p, err := d.Placement(ctx, c)
	if err != nil || p.Status != storage.StatusPinned || len(p.Peers) != 1 || p.Peers[0] != d.peerID || d.peerID == "" {
		t.Errorf("Placement after Pin = %+v, %v (kubo peer %q)", p, err, d.peerID)
	}
	for range 2 {
		if err := d.Unpin(ctx, c); err != nil {
			t.Fatalf("Unpin: %v", err)
		}
	}
	if p, err := d.Placement(ctx, c); err != nil || p.Status != storage.StatusUnpinned {
		t.Errorf("Placement after Unpin = %+v, %v", p, err)
	}
}

// TestOpenFailsFastWithoutKubo: nothing listens on the API address.
func TestOpenFailsFastWithoutKubo(t *testing.T) {
	_, err := Open(t.Context(), Options{API: "/ip4/127.0.0.1/tcp/1", Timeout: 5 * time.Second})
	plugintest.WantCode(t, err, "Open without kubo", sdk.CodeUnavailable)
}
