package ipfs

import (
	"context"
	"io"
	"sync"

	"github.com/ipfs/go-cid"
	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/storage"
)

// Put imports r through the driver, bounded by max_upload_bytes and
// opts.MaxSize, and pins it in namespace when opts.Pin. GC cannot run
// between the import and the pin. Errors: invalid, too_large (nothing
// pinned; the blocks are garbage), unavailable, and r's own error.
func (s *Store) Put(ctx context.Context, namespace string, r io.Reader, opts storage.PutOptions) (storage.PutResult, error) {
	if err := storage.CheckNamespace(namespace); err != nil {
		return storage.PutResult{}, err
	}
	if opts.MaxSize < 0 {
		return storage.PutResult{}, sdk.Errorf(sdk.CodeInvalid, "max size must not be negative")
	}
	b, ctx, end, err := s.call(ctx)
	if err != nil {
		return storage.PutResult{}, err
	}
	defer end()

	limit := b.cfg.MaxUploadBytes
	if opts.MaxSize > 0 && opts.MaxSize < limit {
		limit = opts.MaxSize
	}
	release := b.drv.Hold()
	defer release()
	lr := &limitReader{r: r, limit: limit}
	actx, span := b.startSpan(ctx, "add", namespace)
	c, pinned, err := b.add(actx, lr, opts)
	endSpan(span, lr.n, err)
	metricBytesIn.Add(float64(lr.n))
	res, err := b.finishPut(ctx, namespace, lr, c, pinned, opts, err)
	metricUploads.WithLabelValues(resultOf(err)).Inc()
	return res, err
}

// finishPut is the end of Put: the import's result, the pin's record.
func (b *backend) finishPut(ctx context.Context, namespace string, lr *limitReader, c cid.Cid, pinned func() bool, opts storage.PutOptions, err error) (storage.PutResult, error) {
	if lr.over() {
		return storage.PutResult{}, sdk.Errorf(sdk.CodeTooLarge, "upload exceeds %d bytes", lr.limit)
	}
	if err != nil {
		return storage.PutResult{}, sdk.AsError(err)
	}
	res := storage.PutResult{CID: c.String(), Size: lr.n}
	if opts.Pin {
		if _, err := b.record(ctx, namespace, c, opts.Name, 0, false, pinned); err != nil {
			return storage.PutResult{}, err
		}
	}
	return res, nil
}

// add imports r; when opts.Pin and the driver can pin in the import, it
// does, and pinned reports (under the CID's lock, in record) whether
// that pin still stands: no driver unpin ran since the import began.
func (b *backend) add(ctx context.Context, r io.Reader, opts storage.PutOptions) (c cid.Cid, pinned func() bool, err error) {
	if pa, ok := b.drv.(driver.PinningAdder); ok && opts.Pin {
		before := b.unpins.Load()
		c, ok, err := pa.AddPinned(ctx, r, driver.PinSpec{Name: opts.Name})
		if ok {
			return c, func() bool { return b.unpins.Load() == before }, err
		}
	}
	c, err = b.drv.Add(ctx, r)
	return c, nil, err
}

// Get streams length bytes of cid's content from offset (length < 0: to
// the end), and names the namespace's pin in the Stat. The reader holds
// the call open until it is closed. Content is read only through a pin of
// namespace: not_found otherwise, whoever else holds it (holding).
func (s *Store) Get(ctx context.Context, namespace, cidStr string, offset, length int64) (io.ReadCloser, storage.Stat, error) {
	if err := storage.CheckNamespace(namespace); err != nil {
		return nil, storage.Stat{}, err
	}
	c, err := storage.ParseCID(cidStr)
	if err != nil {
		return nil, storage.Stat{}, err
	}
	b, done, err := s.acquire()
	if err != nil {
		return nil, storage.Stat{}, err
	}
	ctx, cancel := b.callCtx(ctx)
	fail := func(err error) (io.ReadCloser, storage.Stat, error) {
		cancel()
		done()
		return nil, storage.Stat{}, sdk.AsError(err)
	}
	e, err := b.holding(ctx, namespace, c)
	if err != nil {
		return fail(err)
	}
	octx, span := b.startSpan(ctx, "open", namespace)
	rc, size, err := b.open(octx, c, offset, length)
	endSpan(span, size, err)
	if err != nil {
		return fail(err)
	}
	st := storage.Stat{CID: c.String(), Size: size, Name: e.Name, Named: true}
	return &callReader{rc: rc, end: func() { cancel(); done() }}, st, nil
}

// open checks the range against the file's size and opens it: a whole
// file in one driver call when the driver can (WholeOpener), else Size
// and then Open.
func (b *backend) open(ctx context.Context, c cid.Cid, offset, length int64) (io.ReadCloser, int64, error) {
	if wo, ok := b.drv.(driver.WholeOpener); ok && offset == 0 && length < 0 {
		return wo.OpenWhole(ctx, c)
	}
	size, err := b.drv.Size(ctx, c)
	if err != nil {
		return nil, 0, err
	}
	n, err := storage.CheckRange(size, offset, length)
	if err != nil {
		return nil, 0, err
	}
	rc, err := b.drv.Open(ctx, c, offset, n)
	return rc, size, err
}

// Stat returns the size of cid's content; not_found unless namespace
// pins it, as Get.
func (s *Store) Stat(ctx context.Context, namespace, cidStr string) (storage.Stat, error) {
	if err := storage.CheckNamespace(namespace); err != nil {
		return storage.Stat{}, err
	}
	c, err := storage.ParseCID(cidStr)
	if err != nil {
		return storage.Stat{}, err
	}
	b, ctx, end, err := s.call(ctx)
	if err != nil {
		return storage.Stat{}, err
	}
	defer end()
	if err := b.checkHolds(ctx, namespace, c); err != nil {
		return storage.Stat{}, err
	}
	size, err := b.drv.Size(ctx, c)
	if err != nil {
		return storage.Stat{}, sdk.AsError(err)
	}
	return storage.Stat{CID: c.String(), Size: size}, nil
}

// limitReader counts what it passes and fails once more than limit bytes
// came; over reports that.
type limitReader struct {
	r     io.Reader
	limit int64
	n     int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.over() {
		return 0, sdk.Errorf(sdk.CodeTooLarge, "upload exceeds %d bytes", l.limit)
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.over() {
		return 0, sdk.Errorf(sdk.CodeTooLarge, "upload exceeds %d bytes", l.limit)
	}
	return n, err
}

func (l *limitReader) over() bool { return l.n > l.limit }

// callReader ends its call when closed.
type callReader struct {
	rc   io.ReadCloser
	end  func()
	once sync.Once
}

func (c *callReader) Read(p []byte) (int, error) {
	n, err := c.rc.Read(p)
	metricBytesOut.Add(float64(n))
	if err != nil && err != io.EOF {
		err = sdk.AsError(err)
	}
	return n, err
}

func (c *callReader) Close() error {
	err := c.rc.Close()
	c.once.Do(c.end)
	return err
}
