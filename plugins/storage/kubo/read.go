package kubo

import (
	"context"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/ipfs/go-cid"
	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/sdk"
)

var _ driver.WholeOpener = (*Driver)(nil)

func ipfsPath(c cid.Cid) string { return "/ipfs/" + c.String() }

// Size asks kubo for the file's size (files/stat).
func (d *Driver) Size(ctx context.Context, c cid.Cid) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	var st struct {
		Type string
		Size int64
	}
	if err := d.api.Request("files/stat", ipfsPath(c)).Exec(ctx, &st); err != nil {
		return 0, kuboError("files/stat", err)
	}
	if st.Type != "file" {
		return 0, sdk.Errorf(sdk.CodeInvalid, "%s is not a UnixFS file (%s)", c, st.Type)
	}
	return st.Size, nil
}

// Open asks kubo for exactly the range (cat with offset and length) and
// streams it.
func (d *Driver) Open(ctx context.Context, c cid.Cid, offset, length int64) (io.ReadCloser, error) {
	if length == 0 {
		return io.NopCloser(strings.NewReader("")), nil
	}
	ctx, cancel := context.WithCancel(ctx)
	g := newGuard(d.opts.Timeout, cancel)
	resp, err := d.api.Request("cat", ipfsPath(c)).Option("offset", offset).Option("length", length).Send(ctx)
	g.disarm()
	if err == nil && resp.Error != nil {
		err = resp.Error
	}
	if err != nil {
		cancel()
		return nil, readError(g, err)
	}
	return &downloadBody{rc: resp.Output, g: g, cancel: cancel}, nil
}

// OpenWhole asks kubo for the whole file (cat without offset or length)
// and takes its size from the X-Content-Length header kubo sends before
// the bytes: one call where Size and Open make two.
func (d *Driver) OpenWhole(ctx context.Context, c cid.Cid) (io.ReadCloser, int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	g := newGuard(d.opts.Timeout, cancel)
	resp, err := d.post(ctx, "cat", url.Values{"arg": {ipfsPath(c)}}, nil, "")
	g.disarm()
	if err != nil {
		cancel()
		return nil, 0, readError(g, err)
	}
	size, err := strconv.ParseInt(resp.Header.Get("X-Content-Length"), 10, 64)
	if err != nil || size < 0 {
		_ = resp.Body.Close()
		cancel()
		return nil, 0, sdk.Errorf(sdk.CodeInternal, "kubo cat answered no valid X-Content-Length (%q)", resp.Header.Get("X-Content-Length"))
	}
	return &downloadBody{rc: streamBody{resp}, g: g, cancel: cancel}, size, nil
}
