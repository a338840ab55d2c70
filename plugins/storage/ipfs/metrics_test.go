package ipfs

import (
	"io"
	"testing"

	"github.com/orama-network/orama/plugins/storage/internal/gen"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
)

func TestMetricsMoveWithTraffic(t *testing.T) {
	s := startStore(t, map[string]any{"gc_interval": "0"})
	ctx := t.Context()
	m := func(name string, labels ...string) float64 { return plugintest.Metric(t, name, labels...) }
	in, out, pins, unpins := m("orama_storage_bytes_in_total"), m("orama_storage_bytes_out_total"), m("orama_storage_pins_total"), m("orama_storage_unpins_total")
	gcs, uploads := m("orama_storage_gc_runs_total", "result", "ok"), m("orama_storage_uploads_total", "result", "ok")

	res := put(t, s, "a", gen.Bytes(1, 3000), storage.PutOptions{Pin: true})
	put(t, s, "a", gen.Bytes(2, 1000), storage.PutOptions{})
	rc, _, err := s.Get(ctx, "a", res.CID, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, rc)
	_ = rc.Close()
	if err := s.Unpin(ctx, "a", res.CID); err != nil {
		t.Fatal(err)
	}
	gc(t, s)

	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"bytes in", m("orama_storage_bytes_in_total") - in, 4000},
		{"bytes out", m("orama_storage_bytes_out_total") - out, 3000},
		{"uploads", m("orama_storage_uploads_total", "result", "ok") - uploads, 2},
		{"pins", m("orama_storage_pins_total") - pins, 1},
		{"unpins", m("orama_storage_unpins_total") - unpins, 1},
		{"gc runs", m("orama_storage_gc_runs_total", "result", "ok") - gcs, 1},
	} {
		if c.got != c.want {
			t.Errorf("%s moved by %v, want %v", c.what, c.got, c.want)
		}
	}
	if m("orama_storage_gc_removed_blocks_total") < 1 {
		t.Error("gc removed no block by the metric's count")
	}
}
