package storagetest

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"testing"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
	"github.com/orama-network/orama/sdk/storage"
)

// content is a reproducible payload: size bytes from a seeded generator.
// It is produced as a stream each time it is needed, so the suite never
// holds a large payload in memory, let alone two copies.
type content struct {
	seed [32]byte
	size int64
}

// newContent returns size bytes no other payload of this run shares.
func newContent(size int64) content {
	var c content
	_, _ = rand.Read(c.seed[:])
	c.size = size
	return c
}

// reader streams the payload from the start.
func (c content) reader() io.Reader {
	return io.LimitReader(mrand.NewChaCha8(c.seed), c.size)
}

// sum returns the sha256 of the payload's bytes [offset, offset+n).
func (c content) sum(offset, n int64) [32]byte {
	r := c.reader()
	_, _ = io.CopyN(io.Discard, r, offset)
	h := sha256.New()
	_, _ = io.CopyN(h, r, n)
	return [32]byte(h.Sum(nil))
}

func (c content) String() string {
	return fmt.Sprintf("%d bytes (seed %x)", c.size, c.seed[:4])
}

// repeated streams n copies of byte b.
type repeated struct {
	b byte
	n int64
}

func (r *repeated) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	for i := range p {
		p[i] = r.b
	}
	r.n -= int64(len(p))
	return len(p), nil
}

// put stores c in namespace and checks the reported size.
func put(t *testing.T, s storage.Storage, namespace string, c content, opts storage.PutOptions) storage.PutResult {
	t.Helper()
	res, err := s.Put(t.Context(), namespace, c.reader(), opts)
	if err != nil {
		t.Fatalf("Put of %v: %v", c, err)
	}
	if res.Size != c.size {
		t.Errorf("Put of %v: Size %d, want %d", c, res.Size, c.size)
	}
	if err := storage.CheckCID(res.CID); err != nil {
		t.Errorf("Put of %v: CID %q: %v", c, res.CID, err)
	}
	return res
}

// got is what a Get delivered, hashed on the way.
type got struct {
	stat storage.Stat
	n    int64
	sum  [32]byte
}

// get reads a range of cid to the end and hashes it.
func get(t *testing.T, s storage.Storage, namespace, cid string, offset, length int64) (got, error) {
	t.Helper()
	rc, st, err := s.Get(t.Context(), namespace, cid, offset, length)
	if err != nil {
		return got{}, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		return got{}, fmt.Errorf("reading after %d bytes: %w", n, err)
	}
	return got{stat: st, n: n, sum: [32]byte(h.Sum(nil))}, nil
}

// wantContent fails unless cid's range [offset, offset+length) holds the
// matching bytes of c.
func wantContent(t *testing.T, s storage.Storage, namespace, cid string, c content, offset, length int64) {
	t.Helper()
	what := fmt.Sprintf("Get(%s, offset %d, length %d) of %v", cid, offset, length, c)
	g, err := get(t, s, namespace, cid, offset, length)
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	n := min(c.size-offset, length)
	if length < 0 {
		n = c.size - offset
	}
	if g.stat.CID != cid || g.stat.Size != c.size {
		t.Errorf("%s: Stat %+v, want {%s %d}", what, g.stat, cid, c.size)
	}
	if g.n != n {
		t.Errorf("%s: %d bytes, want %d", what, g.n, n)
	} else if g.sum != c.sum(offset, n) {
		t.Errorf("%s: bytes differ from what was put", what)
	}
}

// absentCID returns a well-formed CID (version 0 or 1) of random bytes
// that nobody stored.
func absentCID(version int) string {
	b := make([]byte, 64)
	_, _ = rand.Read(b)
	hash, _ := mh.Sum(b, mh.SHA2_256, -1)
	if version == 0 {
		return cid.NewCidV0(hash).String()
	}
	return cid.NewCidV1(cid.Raw, hash).String()
}
