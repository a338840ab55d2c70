package ipfs

import (
	"testing"

	"github.com/orama-network/orama/sdk/storage"
	"github.com/orama-network/orama/sdk/storage/storagetest"
)

func TestConformanceEmbedded(t *testing.T) {
	for _, v1 := range []bool{false, true} {
		name := map[bool]string{false: "CIDv0", true: "CIDv1"}[v1]
		t.Run(name, func(t *testing.T) {
			s := startStore(t, map[string]any{"cid_version": map[bool]int{false: 0, true: 1}[v1]})
			storagetest.Run(t, func(*testing.T) storage.Storage { return s }, storagetest.Options{CIDv1: v1})
		})
	}
}

// TestConformanceKubo runs the suite against a real kubo daemon
// (offline, loopback, telemetry off).
func TestConformanceKubo(t *testing.T) {
	for _, v1 := range []bool{false, true} {
		name := map[bool]string{false: "CIDv0", true: "CIDv1"}[v1]
		t.Run(name, func(t *testing.T) {
			s, _ := startKuboStore(t, map[string]any{"cid_version": map[bool]int{false: 0, true: 1}[v1]})
			storagetest.Run(t, func(*testing.T) storage.Storage { return s }, storagetest.Options{CIDv1: v1})
		})
	}
}
