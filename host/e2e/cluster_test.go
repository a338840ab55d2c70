package e2e

import (
	"fmt"
	"testing"
	"time"
)

// TestTwoHostsShareCache: two hosts whose cache plugins are joined as Olric
// peers read each other's keys.
func TestTwoHostsShareCache(t *testing.T) {
	mlA := freePort(t)
	a := startHost(t, func(port int) string {
		return configText(port, cacheBlock(bins.cache, fmt.Sprintf("    memberlist_port = %d", mlA)))
	})
	b := startHost(t, func(port int) string {
		return configText(port, cacheBlock(bins.cache, fmt.Sprintf("    peers = [\"127.0.0.1:%d\"]", mlA)))
	})
	ctx := ctxT(t)
	if err := a.Client.Cache().Put(ctx, "shared", "from-a", "A", 0); err != nil {
		t.Fatal(err)
	}
	if err := b.Client.Cache().Put(ctx, "shared", "from-b", "B", 0); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		var va, vb string
		errB := b.Client.Cache().Get(ctx, "shared", "from-a", &va)
		errA := a.Client.Cache().Get(ctx, "shared", "from-b", &vb)
		if errA == nil && errB == nil && va == "A" && vb == "B" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("hosts do not see each other's keys: b reads from-a=%q (%v), a reads from-b=%q (%v)", va, errB, vb, errA)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
