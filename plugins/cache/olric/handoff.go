package olric

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/buraksezer/olric"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
)

// Olric's own rebalancing does not keep an embedded member's entries when
// the member is replaced: a member that joins takes over only the
// partitions the new routing table gives it (about half of them, after a
// balancer cycle of 15 s), a member that shuts down hands nothing off, and
// entries written before a second member joined have no backup copy even
// with replica_count 2 (measured: 4,842 and 4,447 of 10,000 entries kept).
// So the hand-off is the contract's: the old instance exports its entries,
// the host imports them into the new one.

var _ cache.Handoff = (*Store)(nil)

// Export bounds: entries per batch by default, and value bytes per batch
// (a batch is one gRPC message, at most plugin.MaxMessageSize).
const (
	exportBatch      = 1000
	exportBatchBytes = 8 << 20
)

// exportDelayEnv names a test-only knob: a duration Export sleeps before
// each batch, to make a hand-off slow on purpose (the host's timeout path).
const exportDelayEnv = "ORAMA_CACHE_HANDOFF_BATCH_DELAY"

// Export sends every entry of every dmap this member holds (in a cluster:
// every entry the cluster serves, since a scan is cluster-wide), with its
// absolute expiry; Total is the count of entries in this member's primary
// partitions. In client mode the entries live on the Olric servers, not
// here: Export sends one empty batch. Errors: unavailable.
func (s *Store) Export(ctx context.Context, batchSize int, fn func(cache.ExportBatch) error) error {
	b, err := s.cur.Current("cache")
	if err != nil {
		return err
	}
	if batchSize <= 0 {
		batchSize = exportBatch
	}
	var delay time.Duration
	if v := os.Getenv(exportDelayEnv); v != "" {
		delay, _ = time.ParseDuration(v)
	}
	if b.db == nil {
		return fn(cache.ExportBatch{})
	}
	names, total, err := b.localDMaps(ctx)
	if err != nil {
		return err
	}
	out := exporter{fn: fn, size: batchSize, delay: delay, first: true, total: total}
	for _, name := range names {
		ns, dmap, ok := splitOlricName(name)
		if !ok {
			continue // not one of ours (Olric's own, or another program's)
		}
		if err := b.exportDMap(ctx, ns, dmap, &out); err != nil {
			return err
		}
	}
	return out.flush(ctx, true)
}

// localDMaps lists the Olric dmaps with entries on this member and counts
// the entries of its primary partitions.
func (b *backend) localDMaps(ctx context.Context) ([]string, int64, error) {
	cctx, cancel := b.callCtx(ctx)
	defer cancel()
	st, err := b.client.Stats(cctx, b.addr)
	if err != nil {
		return nil, 0, backendError("stats", err)
	}
	seen := map[string]bool{}
	var names []string
	var total int64
	for _, p := range st.Partitions {
		for name, d := range p.DMaps {
			total += int64(d.Length)
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	for _, p := range st.Backups {
		for name := range p.DMaps {
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	return names, total, nil
}

// exportDMap scans one dmap and adds each entry that still exists to out.
func (b *backend) exportDMap(ctx context.Context, ns, dmap string, out *exporter) error {
	sdm, err := b.cluster.NewDMap(olricName(ns, dmap))
	if err != nil {
		return backendError("scan", err)
	}
	dm, err := b.dmap(ns, dmap)
	if err != nil {
		return err
	}
	it, err := sdm.Scan(ctx, olric.Count(scanCount))
	if err != nil {
		return backendError("scan", err)
	}
	defer it.Close()
	keys := make([]string, 0, exportChunk)
	flush := func() error {
		entries := make([]cache.Entry, len(keys))
		found := make([]bool, len(keys))
		err := parallel(len(keys), func(i int) error {
			gctx, cancel := b.callCtx(ctx)
			defer cancel()
			e, err := get(gctx, dm, keys[i])
			if sdkCode(err) == sdk.CodeNotFound {
				return nil // expired or deleted since the scan saw it
			}
			entries[i], found[i] = e, err == nil
			return err
		})
		if err != nil {
			return err
		}
		for i, e := range entries {
			if !found[i] {
				continue
			}
			if err := out.add(ctx, cache.HandoffEntry{Namespace: ns, DMap: dmap, Entry: e}); err != nil {
				return err
			}
		}
		keys = keys[:0]
		return nil
	}
	for it.Next() {
		if keys = append(keys, it.Key()); len(keys) == exportChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return flush()
}

// Hand-off concurrency: Export reads the keys of a scan exportChunk at a
// time, and Export and Import make handoffWorkers Olric calls at once (in a
// cluster most of them cross to another member).
const (
	exportChunk    = 512
	handoffWorkers = 8
)

// parallel calls fn(i) for every i in [0, n) from at most handoffWorkers
// goroutines; after an error it starts no further call and returns the
// first error.
func parallel(n int, fn func(i int) error) error {
	var next atomic.Int64
	var failed atomic.Bool
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for range min(handoffWorkers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// exporter gathers entries into batches for fn.
type exporter struct {
	fn    func(cache.ExportBatch) error
	size  int
	delay time.Duration
	first bool
	total int64
	batch []cache.HandoffEntry
	bytes int
}

func (x *exporter) add(ctx context.Context, e cache.HandoffEntry) error {
	x.batch = append(x.batch, e)
	x.bytes += len(e.Value) + len(e.Key)
	if len(x.batch) >= x.size || x.bytes >= exportBatchBytes {
		return x.flush(ctx, false)
	}
	return nil
}

// flush sends the batch; last sends it even when empty if nothing was
// sent yet (so Total always reaches the caller).
func (x *exporter) flush(ctx context.Context, last bool) error {
	if len(x.batch) == 0 && !(last && x.first) {
		return nil
	}
	if x.delay > 0 {
		select {
		case <-time.After(x.delay):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	b := cache.ExportBatch{Entries: x.batch}
	if x.first {
		b.Total, x.first = x.total, false
	}
	x.batch, x.bytes = nil, 0
	return x.fn(b)
}

// Import stores each entry unless its key exists, with its remaining
// time to live, and skips expired ones. Errors: invalid, too_large,
// unavailable.
func (s *Store) Import(ctx context.Context, entries []cache.HandoffEntry) (cache.ImportCounts, error) {
	var n cache.ImportCounts
	b, err := s.cur.Current("cache")
	if err != nil {
		return n, err
	}
	for _, e := range entries {
		if err := cache.CheckPut(e.Namespace, e.DMap, e.Key, e.Value); err != nil {
			return n, err
		}
	}
	var stored, existed, expired atomic.Int64
	err = parallel(len(entries), func(i int) error {
		e := entries[i]
		var ttl time.Duration
		if !e.ExpiresAt.IsZero() {
			if ttl = time.Until(e.ExpiresAt); ttl <= 0 {
				expired.Add(1)
				return nil
			}
		}
		dm, err := b.dmap(e.Namespace, e.DMap)
		if err != nil {
			return err
		}
		ok, err := putIfAbsent(ctx, b, dm, e.Key, e.Value, ttl)
		switch {
		case err != nil:
			return err
		case ok:
			stored.Add(1)
		default:
			existed.Add(1)
		}
		return nil
	})
	n = cache.ImportCounts{Stored: stored.Load(), Existed: existed.Load(), Expired: expired.Load()}
	return n, err
}

// putIfAbsent stores value under key unless the key exists, expiring
// after ttl (0: never). Olric cannot do that in one call once the key's
// owner is another member: its server keeps one option of NX and PX (the
// expiry is lost), and an Expire forwarded to the owner arrives as a plain
// Put of an empty value. So it asks first and then puts: a write to the
// same key in the moment between the two loses to the older copy.
func putIfAbsent(ctx context.Context, b *backend, dm olric.DMap, key string, value []byte, ttl time.Duration) (bool, error) {
	pctx, cancel := b.callCtx(ctx)
	defer cancel()
	_, err := dm.Get(pctx, key)
	switch {
	case err == nil:
		return false, nil
	case !errors.Is(err, olric.ErrKeyNotFound):
		return false, backendError("get", err)
	}
	if ttl > 0 {
		err = dm.Put(pctx, key, value, olric.PX(max(ttl, time.Millisecond)))
	} else {
		err = dm.Put(pctx, key, value)
	}
	if err != nil {
		return false, backendError("put", err)
	}
	return true, nil
}

// splitOlricName undoes olricName: "3:a:b:c" is namespace "a:b", dmap "c".
func splitOlricName(name string) (ns, dmap string, ok bool) {
	lenStr, rest, found := strings.Cut(name, ":")
	if !found {
		return "", "", false
	}
	n, err := strconv.Atoi(lenStr)
	if err != nil || n < 0 || len(rest) < n+1 || rest[n] != ':' {
		return "", "", false
	}
	return rest[:n], rest[n+1:], true
}
