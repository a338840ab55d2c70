// Package storagetest is the conformance suite of the storage domain: Run
// checks that an implementation of storage.Storage keeps the contract
// documented in package storage (streaming round trips of any size, CIDs
// equal to kubo's, ranges, errors and their codes, size limits, pins per
// namespace, concurrency). Every implementation runs it, directly and over
// gRPC. The package also offers Memory, an in-memory Storage for unit
// tests of code that uses storage.
package storagetest

import (
	"testing"

	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
)

// Options describe the implementation under test.
type Options struct {
	// CIDv1 says the implementation imports with CID version 1 and raw
	// leaves (`ipfs add --cid-version=1`); false means kubo's defaults
	// (CIDv0). The CID vectors are checked against this choice.
	CIDv1 bool
	// SkipCIDVectors skips the CID vector subtest. It exists for Memory
	// only, which cannot build UnixFS DAGs; a real implementation must
	// never set it.
	SkipCIDVectors bool
}

// Run runs the conformance suite. newStore is called once per subtest; it
// may return a fresh store or the same shared one (every subtest uses its
// own namespaces and content of its own), and it should register its own
// cleanup. opts, at most one, describes the implementation; without it
// the suite expects kubo's defaults (CIDv0).
//
// Where package storage leaves a choice open, the suite requires:
//   - every method taking a namespace refuses one that fails
//     storage.CheckNamespace, and a malformed CID is invalid "malformed
//     CID" (storage.CheckCID's error);
//   - Get ranges follow storage.CheckRange: offset == size and length 0
//     give no bytes, a negative offset or one beyond the size is invalid;
//     the Stat of a ranged Get is the whole content's;
//   - an upload of exactly MaxSize bytes is accepted, one byte more is
//     too_large and pins nothing;
//   - Put with Pin reports Status pinned with the given name at once;
//     Pin of pinned content succeeds again and Pins lists it once;
//   - Pin of a well-formed CID whose content the store lacks fails with
//     not_found and records no pin (a store checks what it holds rather
//     than wait for the network);
//   - Stat, Get, Status and Unpin of unknown CIDs are not_found.
func Run(t *testing.T, newStore func(t *testing.T) storage.Storage, opts ...Options) {
	t.Helper()
	var o Options
	switch len(opts) {
	case 0:
	case 1:
		o = opts[0]
	default:
		t.Fatalf("storagetest.Run: %d Options, want at most one", len(opts))
	}
	tests := []plugintest.Case[storage.Storage]{
		{Name: "RoundTrip", Test: testRoundTrip},
		{Name: "SameBytesSameCID", Test: testSameCID},
		{Name: "CIDVectors", Test: func(t *testing.T, s storage.Storage) {
			if o.SkipCIDVectors {
				t.Skip("Options.SkipCIDVectors: the implementation does not build UnixFS DAGs (test fakes only)")
			}
			testCIDVectors(t, s, o)
		}},
		{Name: "Ranges", Test: testRanges},
		{Name: "Stat", Test: testStat},
		{Name: "UnknownCID", Test: testUnknownCID},
		{Name: "MalformedCID", Test: testMalformedCID},
		{Name: "InvalidNamespace", Test: testInvalidNamespace},
		{Name: "TooLarge", Test: testTooLarge},
		{Name: "PinsPerNamespace", Test: testPinsPerNamespace},
		{Name: "PinAbsentContent", Test: testPinAbsentContent},
		{Name: "ReadsNeedAPin", Test: testReadsNeedAPin},
		{Name: "Concurrent", Test: testConcurrent},
		{Name: "Health", Test: testHealth},
	}
	plugintest.RunCases(t, newStore, tests...)
}
