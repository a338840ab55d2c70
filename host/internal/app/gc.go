package app

import (
	"context"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The host's garbage collector, when the operator set neither GOGC nor
// GOMEMLIMIT (either wins). The host's heap is small and short-lived
// (per-request buffers): at Go's default of 100 it collects many times a
// second under load, and a target of 400 measured +16 % cache GET
// throughput and 6.5 µs less host CPU per request (BENCHMARKS.md, "Knobs
// measured but not set"). Alone it let the host reach 73 MiB during a
// 2 GiB storage stream (38–41 before), so a soft memory limit goes with it:
// hostMemFloor, or hostLiveFactor times the live heap once that is larger
// (re-read every second), so a host whose live heap grows — thousands of
// WebSockets — is never held below what it really uses (the GC would run
// continuously). Plugins are not affected: they inherit the environment,
// not these settings, and the cache plugin keeps its data in its heap.
const (
	hostGCPercent  = 400
	hostMemFloor   = 32 << 20
	hostLiveFactor = 3
	hostMemEvery   = time.Second
)

// tuneGC applies the settings above until ctx ends.
func tuneGC(ctx context.Context) {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	debug.SetGCPercent(hostGCPercent)
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return
	}
	debug.SetMemoryLimit(hostMemFloor)
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(hostMemEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				debug.SetMemoryLimit(memLimitFor(sample[0].Value.Uint64()))
			}
		}
	}()
}

// memLimitFor is the soft memory limit for a live heap of live bytes.
func memLimitFor(live uint64) int64 {
	return max(hostMemFloor, int64(min(live, 1<<50))*hostLiveFactor)
}
