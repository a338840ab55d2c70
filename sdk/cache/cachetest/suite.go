// Package cachetest is the conformance suite of the cache domain: Run checks
// that an implementation of cache.Cache keeps the contract documented in
// package cache (values, expiry, errors and their codes, Scan, limits,
// namespace isolation, concurrency) and, for implementations that offer
// the optional cache.Watcher, its invalidations, and for those that offer
// the optional cache.Handoff, its Export and Import (skipped otherwise). Every
// implementation runs it, directly and over gRPC. The package also offers
// Memory, an in-memory Cache (and Watcher) for unit tests of code that uses
// a cache.
package cachetest

import (
	"fmt"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// Run runs the conformance suite. newCache is called once per subtest; it
// may return a fresh cache or the same shared one (every subtest uses its
// own namespaces and dmaps), and it should register its own cleanup.
func Run(t *testing.T, newCache func(t *testing.T) cache.Cache) {
	t.Helper()
	tests := []plugintest.Case[cache.Cache]{
		{Name: "RoundTrip", Test: testRoundTrip},
		{Name: "Overwrite", Test: testOverwrite},
		{Name: "GetMissing", Test: testGetMissing},
		{Name: "MGet", Test: testMGet},
		{Name: "Delete", Test: testDelete},
		{Name: "TTL", Test: testTTL},
		{Name: "Expiry", Test: testExpiry},
		{Name: "NoExpiry", Test: testNoExpiry},
		{Name: "Scan", Test: testScan},
		{Name: "ScanLimit", Test: testScanLimit},
		{Name: "NamespaceIsolation", Test: testNamespaceIsolation},
		{Name: "DMapIsolation", Test: testDMapIsolation},
		{Name: "InvalidNames", Test: testInvalidNames},
		{Name: "ValueSize", Test: testValueSize},
		{Name: "Concurrent", Test: testConcurrent},
		{Name: "Health", Test: testHealth},
		{Name: "WatchPut", Test: testWatchPut},
		{Name: "WatchDelete", Test: testWatchDelete},
		{Name: "WatchOrder", Test: testWatchOrder},
		{Name: "HandoffImport", Test: testHandoffImport},
		{Name: "HandoffExport", Test: testHandoffExport},
	}
	plugintest.RunCases(t, newCache, tests...)
}

// wantNotFound fails unless err is not_found "key not found".
func wantNotFound(t *testing.T, err error, what string) {
	t.Helper()
	if e := plugintest.WantCode(t, err, what, sdk.CodeNotFound); e != nil && e.Message != "key not found" {
		t.Errorf("%s: message %q, want %q", what, e.Message, "key not found")
	}
}

// mustPut fails the test when Put fails.
func mustPut(t *testing.T, c cache.Cache, ns, dm, key, value string) {
	t.Helper()
	if err := c.Put(t.Context(), ns, dm, key, []byte(value), 0); err != nil {
		t.Fatalf("Put(%s, %s, %s): %v", short(ns), short(dm), short(key), err)
	}
}

// wantValue fails unless key holds value.
func wantValue(t *testing.T, c cache.Cache, ns, dm, key, value string) {
	t.Helper()
	e, err := c.Get(t.Context(), ns, dm, key)
	if err != nil {
		t.Errorf("Get(%s, %s, %s): %v", short(ns), short(dm), short(key), err)
		return
	}
	if string(e.Value) != value || e.Key != key {
		t.Errorf("Get(%s, %s, %s) = {%q, %q}, want {%q, %q}", short(ns), short(dm), short(key), short(e.Key), e.Value, short(key), value)
	}
}

// short abbreviates long names in failure messages.
func short(s string) string {
	if len(s) <= 40 {
		return s
	}
	return fmt.Sprintf("%s…(%d bytes)", s[:30], len(s))
}
