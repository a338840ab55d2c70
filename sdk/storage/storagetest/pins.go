package storagetest

import (
	"fmt"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
)

func testPinsPerNamespace(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	a, b := plugintest.Unique("a"), plugintest.Unique("b")
	c := newContent(storage.ChunkSize + 10)
	res := put(t, s, a, c, storage.PutOptions{Pin: true, Name: "report.pdf"})

	wantPin(t, s, a, res.CID, "report.pdf")
	_, err := s.Status(ctx, b, res.CID)
	plugintest.WantCode(t, err, "Status in a namespace that did not pin", sdk.CodeNotFound)
	wantListed(t, s, a, res.CID, true)
	wantListed(t, s, b, res.CID, false)

	// A CID is no key to a's content: b cannot pin it by CID alone...
	_, err = s.Pin(ctx, b, res.CID, "copy-b", 0)
	plugintest.WantCode(t, err, "Pin by CID in b of content only a pins", sdk.CodeNotFound)
	wantListed(t, s, b, res.CID, false)
	// ...but b that has the bytes uploads them and holds its own pin.
	if again := put(t, s, b, c, storage.PutOptions{Pin: true, Name: "copy-b"}); again.CID != res.CID {
		t.Fatalf("the same bytes in b: CID %s, want %s", again.CID, res.CID)
	}
	p, err := s.Status(ctx, b, res.CID)
	if err != nil {
		t.Fatalf("Status in b: %v", err)
	}
	if p.CID != res.CID || p.Name != "copy-b" || p.Status != storage.StatusPinned {
		t.Errorf("pin in b = %+v, want pinned %s named copy-b", p, res.CID)
	}
	wantPin(t, s, a, res.CID, "report.pdf") // b's name does not leak into a
	wantPin(t, s, b, res.CID, "copy-b")
	wantListed(t, s, a, res.CID, true)
	wantListed(t, s, b, res.CID, true)

	// Pinning again is harmless and still lists the CID once.
	if _, err := s.Pin(ctx, b, res.CID, "copy-b", 0); err != nil {
		t.Errorf("Pin again in b: %v", err)
	}
	wantListed(t, s, b, res.CID, true)

	if err := s.Unpin(ctx, a, res.CID); err != nil {
		t.Fatalf("Unpin in a: %v", err)
	}
	_, err = s.Status(ctx, a, res.CID)
	plugintest.WantCode(t, err, "Status in a after Unpin in a", sdk.CodeNotFound)
	wantListed(t, s, a, res.CID, false)
	wantPin(t, s, b, res.CID, "copy-b")
	wantListed(t, s, b, res.CID, true)
	wantContent(t, s, b, res.CID, c, 0, -1) // b's pin keeps the content

	err = s.Unpin(ctx, a, res.CID)
	plugintest.WantCode(t, err, "Unpin again in a", sdk.CodeNotFound)
	if err := s.Unpin(ctx, b, res.CID); err != nil {
		t.Errorf("Unpin in b: %v", err)
	}
	wantListed(t, s, b, res.CID, false)
}

// testPinAbsentContent requires that pinning a well-formed CID whose
// content the store does not have fails with not_found and records no pin:
// Pin's content must be reachable (a store may check what it holds
// itself rather than search the network).
func testPinAbsentContent(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	ns := plugintest.Unique("ns")
	for _, version := range []int{0, 1} {
		id := absentCID(version)
		_, err := s.Pin(ctx, ns, id, "ghost", 0)
		plugintest.WantCode(t, err, "Pin of absent content "+id, sdk.CodeNotFound)
		_, err = s.Status(ctx, ns, id)
		plugintest.WantCode(t, err, "Status after a failed Pin of "+id, sdk.CodeNotFound)
		wantListed(t, s, ns, id, false)
	}
}

// wantPin fails unless namespace has a pin of cid with the given name.
func wantPin(t *testing.T, s storage.Storage, namespace, cid, name string) {
	t.Helper()
	p, err := s.Status(t.Context(), namespace, cid)
	if err != nil {
		t.Errorf("Status(%s, %s): %v", namespace, cid, err)
		return
	}
	if p.CID != cid || p.Name != name || p.Status != storage.StatusPinned {
		t.Errorf("Status(%s, %s) = %+v, want pinned, named %q", namespace, cid, p, name)
	}
	// Get may name the pin too (Stat.Named); the name must be this
	// namespace's.
	rc, st, err := s.Get(t.Context(), namespace, cid, 0, 1)
	if err != nil {
		t.Errorf("Get(%s, %s): %v", namespace, cid, err)
		return
	}
	_ = rc.Close()
	if st.Named && st.Name != name {
		t.Errorf("Get(%s, %s) names the pin %q, want %q", namespace, cid, st.Name, name)
	}
}

// wantListed fails unless Pins(namespace) lists cid exactly once (listed)
// or not at all.
func wantListed(t *testing.T, s storage.Storage, namespace, cid string, listed bool) {
	t.Helper()
	pins, err := s.Pins(t.Context(), namespace)
	if err != nil {
		t.Errorf("Pins(%s): %v", namespace, err)
		return
	}
	n := 0
	for _, p := range pins {
		if p.CID == cid {
			n++
		}
	}
	switch {
	case listed && n != 1:
		t.Errorf("Pins(%s) lists %s %d times, want once (%d pins)", namespace, cid, n, len(pins))
	case !listed && n != 0:
		t.Errorf("Pins(%s) lists %s, want it absent", namespace, cid)
	}
}

// testReadsNeedAPin requires that content is read only through a pin of
// the reading namespace: Get and Stat are not_found elsewhere — with the
// message of absent content — even while another namespace pins it.
func testReadsNeedAPin(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	a, b := plugintest.Unique("a"), plugintest.Unique("b")
	c := newContent(storage.ChunkSize + 99)
	absent := absentCID(1)
	_, absentErr := s.Stat(ctx, b, absent)
	absentSE := plugintest.WantCode(t, absentErr, "Stat of absent content", sdk.CodeNotFound)

	res := put(t, s, a, c, storage.PutOptions{Pin: true, Name: "secret"})
	wantContent(t, s, a, res.CID, c, 0, -1)
	for _, off := range []int64{0, 10} {
		_, err := get(t, s, b, res.CID, off, 5)
		se := plugintest.WantCode(t, err, fmt.Sprintf("Get at %d in b of content only a pins", off), sdk.CodeNotFound)
		if se != nil && absentSE != nil && se.Message != absentSE.Message {
			t.Errorf("b's Get of a's content says %q, of absent content %q: they must not differ", se.Message, absentSE.Message)
		}
	}
	_, err := s.Stat(ctx, b, res.CID)
	plugintest.WantCode(t, err, "Stat in b of content only a pins", sdk.CodeNotFound)

	// An upload without a pin pins nothing: not even its own namespace
	// reads it back.
	un := put(t, s, b, newContent(77), storage.PutOptions{})
	_, err = get(t, s, b, un.CID, 0, -1)
	plugintest.WantCode(t, err, "Get of an unpinned upload", sdk.CodeNotFound)

	// Once a unpins, a reads nothing either.
	if err := s.Unpin(ctx, a, res.CID); err != nil {
		t.Fatalf("Unpin in a: %v", err)
	}
	_, err = s.Stat(ctx, a, res.CID)
	plugintest.WantCode(t, err, "Stat in a after Unpin", sdk.CodeNotFound)
}
