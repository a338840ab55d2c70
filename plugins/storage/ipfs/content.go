package ipfs

import (
	"context"
	"io"
	"sync"

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
	c, err := b.drv.Add(ctx, lr)
	if lr.over() {
		return storage.PutResult{}, sdk.Errorf(sdk.CodeTooLarge, "upload exceeds %d bytes", limit)
	}
	if err != nil {
		return storage.PutResult{}, sdk.AsError(err)
	}
	res := storage.PutResult{CID: c.String(), Size: lr.n}
	if opts.Pin {
		if _, err := b.pin(ctx, namespace, c, opts.Name, 0, false); err != nil {
			return storage.PutResult{}, err
		}
	}
	return res, nil
}

// Get streams length bytes of cid's content from offset (length < 0: to
// the end). The reader holds the call open until it is closed. Content is
// read only through a pin of namespace: not_found otherwise, whoever
// else holds it (checkHolds).
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
	if err := b.checkHolds(ctx, namespace, c); err != nil {
		return fail(err)
	}
	size, err := b.drv.Size(ctx, c)
	if err != nil {
		return fail(err)
	}
	n, err := storage.CheckRange(size, offset, length)
	if err != nil {
		return fail(err)
	}
	rc, err := b.drv.Open(ctx, c, offset, n)
	if err != nil {
		return fail(err)
	}
	return &callReader{rc: rc, end: func() { cancel(); done() }}, storage.Stat{CID: c.String(), Size: size}, nil
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
