// Package cachetest is the conformance suite of the cache domain: Run checks
// that an implementation of cache.Cache keeps the contract documented in
// package cache (values, expiry, errors and their codes, Scan, limits,
// namespace isolation, concurrency). Every implementation runs it, directly
// and over gRPC. The package also offers Memory, an in-memory Cache for unit
// tests of code that uses a cache.
package cachetest

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
)

// Run runs the conformance suite. newCache is called once per subtest; it
// may return a fresh cache or the same shared one (every subtest uses its
// own namespaces and dmaps), and it should register its own cleanup.
func Run(t *testing.T, newCache func(t *testing.T) cache.Cache) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, c cache.Cache)
	}{
		{"RoundTrip", testRoundTrip},
		{"Overwrite", testOverwrite},
		{"GetMissing", testGetMissing},
		{"MGet", testMGet},
		{"Delete", testDelete},
		{"TTL", testTTL},
		{"Expiry", testExpiry},
		{"NoExpiry", testNoExpiry},
		{"Scan", testScan},
		{"ScanLimit", testScanLimit},
		{"NamespaceIsolation", testNamespaceIsolation},
		{"DMapIsolation", testDMapIsolation},
		{"InvalidNames", testInvalidNames},
		{"ValueSize", testValueSize},
		{"Concurrent", testConcurrent},
		{"Health", testHealth},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, newCache(t))
		})
	}
}

// runID keeps names apart when several processes share one backend.
var runID = func() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}()

var seq atomic.Int64

// unique returns a namespace or dmap name no other subtest uses.
func unique(prefix string) string {
	return fmt.Sprintf("%s-%s-%d", prefix, runID, seq.Add(1))
}

// wantCode fails unless err is an *sdk.Error with the given code.
func wantCode(t *testing.T, err error, code sdk.Code, what string) *sdk.Error {
	t.Helper()
	if err == nil {
		t.Errorf("%s: got no error, want %s", what, code)
		return nil
	}
	var e *sdk.Error
	if !errors.As(err, &e) {
		t.Errorf("%s: got %T %v, want *sdk.Error with code %s", what, err, err, code)
		return nil
	}
	if e.Code != code {
		t.Errorf("%s: got code %s (%q), want %s", what, e.Code, e.Message, code)
	}
	return e
}

// wantNotFound fails unless err is not_found "key not found".
func wantNotFound(t *testing.T, err error, what string) {
	t.Helper()
	if e := wantCode(t, err, sdk.CodeNotFound, what); e != nil && e.Message != "key not found" {
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
