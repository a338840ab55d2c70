package app

import (
	"math"
	"os"
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	oldPct, oldLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(oldPct); debug.SetMemoryLimit(oldLimit) })

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	os.Unsetenv("GOGC")
	os.Unsetenv("GOMEMLIMIT")
	tuneGC(t.Context())
	if got := debug.SetGCPercent(100); got != hostGCPercent {
		t.Fatalf("GOGC unset: GC percent %d, want %d", got, hostGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got < hostMemFloor || got == math.MaxInt64 {
		t.Fatalf("GOMEMLIMIT unset: memory limit %d, want at least %d", got, hostMemFloor)
	}

	debug.SetMemoryLimit(math.MaxInt64)
	t.Setenv("GOMEMLIMIT", "1GiB") // the operator's limit wins, GOGC still tuned
	tuneGC(t.Context())
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Fatalf("GOMEMLIMIT set: tuneGC changed the limit to %d", got)
	}

	debug.SetGCPercent(100)
	t.Setenv("GOGC", "50") // the operator's choice wins (the runtime read it at start)
	tuneGC(t.Context())
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC set: tuneGC changed the GC percent to %d", got)
	}
}

func TestMemLimitFor(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int64
	}{
		{0, hostMemFloor},
		{hostMemFloor / hostLiveFactor, hostMemFloor},
		{100 << 20, 300 << 20},
		{math.MaxUint64, (1 << 50) * hostLiveFactor},
	} {
		if got := memLimitFor(c.live); got != c.want {
			t.Errorf("memLimitFor(%d) = %d, want %d", c.live, got, c.want)
		}
	}
}
