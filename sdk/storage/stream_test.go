package storage_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	mrand "math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
	"github.com/orama-network/orama/sdk/storage/storagetest"
)

// maxLag bounds how far the sending side of a stream may run ahead of the
// receiving side: gRPC's fixed window plus a few chunks (the one being
// filled, the one blocked in Send, up to two queued under gRPC's write
// quota, the one the receiver holds, and slack). An adapter that buffered a whole 20 MiB file would
// run 20 MiB ahead.
const maxLag = window + 8*storage.ChunkSize

const bigSize = 20 << 20

// payload returns size reproducible random bytes as a stream.
func payload(seed byte, size int64) io.Reader {
	return io.LimitReader(mrand.NewChaCha8([32]byte{seed}), size)
}

func sum(r io.Reader) ([32]byte, int64, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	return [32]byte(h.Sum(nil)), n, err
}

// counting counts the bytes read through it.
type counting struct {
	r io.Reader
	n *atomic.Int64
}

func (c counting) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// lagMeter records, at every read on the receiving side, how far the
// sender is ahead.
type lagMeter struct {
	sent, received atomic.Int64
	max            atomic.Int64
}

func (m *lagMeter) observe() {
	if lag := m.sent.Load() - m.received.Load(); lag > m.max.Load() {
		m.max.Store(lag)
	}
}

// putProbe hands Put a reader that meters what the implementation gets,
// and reports each Put's error on done.
type putProbe struct {
	storage.Storage
	meter   *lagMeter
	done    chan error
	started chan struct{} // closed at the first byte impl reads, if set
	once    sync.Once
}

func (p *putProbe) Put(ctx context.Context, ns string, r io.Reader, opts storage.PutOptions) (storage.PutResult, error) {
	res, err := p.Storage.Put(ctx, ns, readFunc(func(b []byte) (int, error) {
		n, err := r.Read(b)
		p.meter.received.Add(int64(n))
		p.meter.observe()
		if n > 0 && p.started != nil {
			p.once.Do(func() { close(p.started) })
		}
		return n, err
	}), opts)
	if p.done != nil {
		p.done <- err
	}
	return res, err
}

type readFunc func([]byte) (int, error)

func (f readFunc) Read(b []byte) (int, error) { return f(b) }

func TestPutStreamsWithoutBuffering(t *testing.T) {
	mem := storagetest.NewMemory()
	meter := &lagMeter{}
	c, _ := dial(t, t.Context(), &putProbe{Storage: mem, meter: meter})
	want, _, _ := sum(payload(1, bigSize))

	res, err := c.Put(t.Context(), "ns", counting{payload(1, bigSize), &meter.sent}, storage.PutOptions{Pin: true})
	if err != nil || res.Size != bigSize {
		t.Fatalf("Put of 20 MiB = %+v, %v", res, err)
	}
	if got := meter.max.Load(); got > maxLag {
		t.Errorf("the client ran %d bytes ahead of what the implementation had read, want at most %d", got, maxLag)
	}
	t.Logf("largest lead of the client: %d KiB (bound %d KiB)", meter.max.Load()>>10, maxLag>>10)

	rc, _, err := mem.Get(t.Context(), "ns", res.CID, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	if got, n, err := sum(rc); err != nil || got != want || n != bigSize {
		t.Errorf("stored content differs: %d bytes, %v", n, err)
	}
}

// getProbe meters the reader Get returns on the server side.
type getProbe struct {
	storage.Storage
	meter *lagMeter
}

func (p *getProbe) Get(ctx context.Context, ns, id string, offset, length int64) (io.ReadCloser, storage.Stat, error) {
	rc, st, err := p.Storage.Get(ctx, ns, id, offset, length)
	if err != nil {
		return nil, st, err
	}
	r := readFunc(func(b []byte) (int, error) {
		n, err := rc.Read(b)
		p.meter.sent.Add(int64(n))
		p.meter.observe()
		return n, err
	})
	return struct {
		io.Reader
		io.Closer
	}{r, rc}, st, nil
}

func TestGetStreamsWithoutBuffering(t *testing.T) {
	mem := storagetest.NewMemory()
	res, err := mem.Put(t.Context(), "ns", payload(2, bigSize), storage.PutOptions{Pin: true})
	if err != nil {
		t.Fatal(err)
	}
	want, _, _ := sum(payload(2, bigSize))
	meter := &lagMeter{}
	c, _ := dial(t, t.Context(), &getProbe{Storage: mem, meter: meter})

	rc, st, err := c.Get(t.Context(), "ns", res.CID, 0, -1)
	if err != nil || st.Size != bigSize {
		t.Fatalf("Get = %+v, %v", st, err)
	}
	defer rc.Close()
	got, n, err := sum(counting{rc, &meter.received})
	if err != nil || n != bigSize || got != want {
		t.Fatalf("Get of 20 MiB: %d bytes, %v, same bytes %v", n, err, got == want)
	}
	if lead := meter.max.Load(); lead > maxLag {
		t.Errorf("the server read %d bytes ahead of the caller, want at most %d", lead, maxLag)
	}
	t.Logf("largest lead of the server: %d KiB (bound %d KiB)", meter.max.Load()>>10, maxLag>>10)
}

func TestPutTooLargeMidStream(t *testing.T) {
	mem := storagetest.NewMemory()
	meter := &lagMeter{}
	c, _ := dial(t, t.Context(), &putProbe{Storage: mem, meter: meter})
	const limit = 10 << 20
	_, err := c.Put(t.Context(), "ns", counting{payload(3, bigSize), &meter.sent}, storage.PutOptions{Pin: true, MaxSize: limit})
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != sdk.CodeTooLarge {
		t.Fatalf("Put of 20 MiB with MaxSize 10 MiB: %v, want too_large", err)
	}
	if got := meter.received.Load(); got <= limit {
		t.Errorf("the implementation read %d bytes, want more than the limit: the refusal came mid-stream", got)
	}
	if sent := meter.sent.Load(); sent >= bigSize {
		t.Errorf("the client read all %d bytes of its source after the refusal", sent)
	}
	if pins, err := mem.Pins(t.Context(), "ns"); err != nil || len(pins) != 0 {
		t.Errorf("Pins after a refused Put = %+v, %v", pins, err)
	}
}

// brokenReader yields n bytes, then fails — after wait is closed, when
// it is set.
type brokenReader struct {
	n    int64
	err  error
	wait <-chan struct{}
}

func (b *brokenReader) Read(p []byte) (int, error) {
	if b.n == 0 {
		if b.wait != nil {
			<-b.wait
		}
		return 0, b.err
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	clear(p)
	b.n -= int64(len(p))
	return len(p), nil
}

func TestPutSourceErrorBreaksTheUpload(t *testing.T) {
	mem := storagetest.NewMemory()
	done := make(chan error, 1)
	// The reader breaks only once the implementation has bytes in hand:
	// a client that gives up before its stream reached the plugin never
	// starts a Put there at all, and then there is nothing to check.
	started := make(chan struct{})
	c, _ := dial(t, t.Context(), &putProbe{Storage: mem, meter: &lagMeter{}, done: done, started: started})
	broke := errors.New("upload broke")
	_, err := c.Put(t.Context(), "ns", &brokenReader{n: 3*storage.ChunkSize + 10, err: broke, wait: started}, storage.PutOptions{Pin: true})
	if !errors.Is(err, broke) {
		t.Errorf("Put from a failing reader: %v, want the reader's error", err)
	}
	// The implementation must see a broken stream, not a shorter upload.
	if implErr := <-done; implErr == nil {
		t.Error("the implementation's Put succeeded: a broken upload looked complete")
	}
	if pins, err := mem.Pins(t.Context(), "ns"); err != nil || len(pins) != 0 {
		t.Errorf("Pins after a broken upload = %+v, %v", pins, err)
	}
}

// served is a Get implementation serving a fixed Stat and reader.
type served struct {
	failing
	stat storage.Stat
	body func(ctx context.Context) io.ReadCloser
}

func (s served) Get(ctx context.Context, _, _ string, _, _ int64) (io.ReadCloser, storage.Stat, error) {
	return s.body(ctx), s.stat, nil
}

func TestGetErrorMidStreamKeepsCode(t *testing.T) {
	const good = 4*storage.ChunkSize + 100
	gone := sdk.Errorf(sdk.CodeUnavailable, "disk gone")
	c, _ := dial(t, t.Context(), served{stat: storage.Stat{CID: "x", Size: 2 << 20}, body: func(context.Context) io.ReadCloser {
		return io.NopCloser(&brokenReader{n: good, err: gone})
	}})
	rc, st, err := c.Get(t.Context(), "ns", "x", 0, -1)
	if err != nil || st.Size != 2<<20 {
		t.Fatalf("Get = %+v, %v", st, err)
	}
	defer rc.Close()
	n, err := io.Copy(io.Discard, rc)
	var e *sdk.Error
	if !errors.As(err, &e) || *e != *gone {
		t.Errorf("reading past the failure: %v, want %v", err, gone)
	}
	if n != good {
		t.Errorf("read %d bytes before the error, want the %d the implementation served", n, good)
	}
}

func TestGetContentOfTheWrongLengthFails(t *testing.T) {
	for _, tc := range []struct {
		name       string
		size, body int64
	}{
		{"shorter than its Stat", 10, 5},
		{"longer than its Stat", 5, 10},
		{"longer by a chunk", storage.ChunkSize, 2 * storage.ChunkSize},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := dial(t, t.Context(), served{stat: storage.Stat{CID: "x", Size: tc.size}, body: func(context.Context) io.ReadCloser {
				return io.NopCloser(payload(4, tc.body))
			}})
			rc, _, err := c.Get(t.Context(), "ns", "x", 0, -1)
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			n, err := io.Copy(io.Discard, rc)
			if plugintest.Code(err) != sdk.CodeInternal {
				t.Errorf("read %d bytes, then %v; want internal", n, err)
			}
			if n > tc.size {
				t.Errorf("read %d bytes, more than the %d of the Stat", n, tc.size)
			}
		})
	}
}

// endless is a content reader that never ends; Close reports on closed.
type endless struct{ closed chan struct{} }

func (endless) Read(p []byte) (int, error) { clear(p); return len(p), nil }
func (e endless) Close() error             { close(e.closed); return nil }

func TestGetCloseCancelsTheStream(t *testing.T) {
	closed := make(chan struct{})
	streamCtx := make(chan context.Context, 1)
	c, _ := dial(t, t.Context(), served{stat: storage.Stat{CID: "x", Size: 1 << 40}, body: func(ctx context.Context) io.ReadCloser {
		streamCtx <- ctx
		return endless{closed}
	}})
	rc, _, err := c.Get(t.Context(), "ns", "x", 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(rc, make([]byte, 3*storage.ChunkSize)); err != nil {
		t.Fatalf("reading the start: %v", err)
	}
	if err := rc.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	// Without the cancellation the server would stream a TiB: these wait
	// for the server to give up (the test's own deadline is the backstop).
	<-(<-streamCtx).Done()
	<-closed
	if _, err := rc.Read(make([]byte, 1)); err == nil {
		t.Error("Read after Close succeeded")
	}
}

func TestGetCallerContextEndsTheStream(t *testing.T) {
	c, _ := dial(t, t.Context(), served{stat: storage.Stat{CID: "x", Size: 1 << 40}, body: func(context.Context) io.ReadCloser {
		return endless{make(chan struct{})}
	}})
	ctx, cancel := context.WithCancel(t.Context())
	rc, _, err := c.Get(ctx, "ns", "x", 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	cancel()
	_, err = io.Copy(io.Discard, rc)
	if plugintest.Code(err) != sdk.CodeUnavailable {
		t.Errorf("reading after the caller's context ended: %v, want unavailable", err)
	}
}
