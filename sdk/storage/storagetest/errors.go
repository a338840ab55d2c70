package storagetest

import (
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
)

func testUnknownCID(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	ns := plugintest.Unique("ns")
	for _, version := range []int{0, 1} {
		id := absentCID(version)
		_, err := get(t, s, ns, id, 0, -1)
		plugintest.WantCode(t, err, "Get of an unknown CID "+id, sdk.CodeNotFound)
		_, err = s.Stat(ctx, ns, id)
		plugintest.WantCode(t, err, "Stat of an unknown CID "+id, sdk.CodeNotFound)
		_, err = s.Status(ctx, ns, id)
		plugintest.WantCode(t, err, "Status of an unknown CID "+id, sdk.CodeNotFound)
		err = s.Unpin(ctx, ns, id)
		plugintest.WantCode(t, err, "Unpin of an unknown CID "+id, sdk.CodeNotFound)
	}
}

func testMalformedCID(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	ns := plugintest.Unique("ns")
	for _, id := range []string{"", "not-a-cid", "Qm123", "bafy!!!", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5", strings.Repeat("z", 200)} {
		_, err := get(t, s, ns, id, 0, -1)
		wantMalformed(t, err, "Get", id)
		_, err = s.Stat(ctx, ns, id)
		wantMalformed(t, err, "Stat", id)
		_, err = s.Pin(ctx, ns, id, "x", 0)
		wantMalformed(t, err, "Pin", id)
		_, err = s.Status(ctx, ns, id)
		wantMalformed(t, err, "Status", id)
		wantMalformed(t, s.Unpin(ctx, ns, id), "Unpin", id)
	}
}

func testInvalidNamespace(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	good := put(t, s, plugintest.Unique("ns"), newContent(10), storage.PutOptions{})
	for _, ns := range []string{"", "a/b", "with space", "dot.ted", "ünï", strings.Repeat("n", 129)} {
		what := func(op string) string { return op + " in namespace " + short(ns) }
		// A Put big enough that over gRPC the refusal arrives while the
		// client is still sending.
		_, err := s.Put(ctx, ns, newContent(2<<20).reader(), storage.PutOptions{Pin: true})
		plugintest.WantCode(t, err, what("Put"), sdk.CodeInvalid)
		_, err = get(t, s, ns, good.CID, 0, -1)
		plugintest.WantCode(t, err, what("Get"), sdk.CodeInvalid)
		_, err = s.Stat(ctx, ns, good.CID)
		plugintest.WantCode(t, err, what("Stat"), sdk.CodeInvalid)
		_, err = s.Pin(ctx, ns, good.CID, "x", 0)
		plugintest.WantCode(t, err, what("Pin"), sdk.CodeInvalid)
		_, err = s.Status(ctx, ns, good.CID)
		plugintest.WantCode(t, err, what("Status"), sdk.CodeInvalid)
		err = s.Unpin(ctx, ns, good.CID)
		plugintest.WantCode(t, err, what("Unpin"), sdk.CodeInvalid)
		_, err = s.Pins(ctx, ns)
		plugintest.WantCode(t, err, what("Pins"), sdk.CodeInvalid)
	}

	// 128 bytes of every allowed character are fine.
	longest := strings.Repeat("aZ09_-", 22)[:128]
	res := put(t, s, longest, newContent(10), storage.PutOptions{Pin: true})
	if _, err := s.Status(ctx, longest, res.CID); err != nil {
		t.Errorf("Status in a namespace of 128 bytes: %v", err)
	}
}

func testTooLarge(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	ns := plugintest.Unique("ns")
	const limit = 1 << 20
	_, err := s.Put(ctx, ns, newContent(limit+1).reader(), storage.PutOptions{Pin: true, Name: "big", MaxSize: limit})
	plugintest.WantCode(t, err, "Put of MaxSize+1 bytes", sdk.CodeTooLarge)
	pins, err := s.Pins(ctx, ns)
	if err != nil || len(pins) != 0 {
		t.Errorf("Pins after a refused Put = %+v, %v; want none", pins, err)
	}

	// Exactly MaxSize is fine.
	c := newContent(limit)
	res := put(t, s, ns, c, storage.PutOptions{Pin: true, Name: "fits", MaxSize: limit})
	wantContent(t, s, ns, res.CID, c, 0, -1)
	if p, err := s.Status(ctx, ns, res.CID); err != nil || p.Name != "fits" {
		t.Errorf("Status after a Put of exactly MaxSize = %+v, %v", p, err)
	}
}

// wantMalformed fails unless err is invalid "malformed CID" (what
// storage.CheckCID returns).
func wantMalformed(t *testing.T, err error, op, id string) {
	t.Helper()
	what := op + " of malformed CID " + short(id)
	if e := plugintest.WantCode(t, err, what, sdk.CodeInvalid); e != nil && e.Message != "malformed CID" {
		t.Errorf("%s: message %q, want %q", what, e.Message, "malformed CID")
	}
}

// short abbreviates long names in failure messages.
func short(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:30] + "…"
}
