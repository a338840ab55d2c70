package app

import (
	"os"
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(old) })

	t.Setenv("GOGC", "")
	os.Unsetenv("GOGC")
	tuneGC()
	if got := debug.SetGCPercent(100); got != hostGCPercent {
		t.Fatalf("GOGC unset: GC percent %d, want %d", got, hostGCPercent)
	}

	t.Setenv("GOGC", "50") // the operator's choice wins (the runtime read it at start)
	tuneGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC set: tuneGC changed the GC percent to %d", got)
	}
}
