package kubo

import (
	"context"
	"io"
	"strings"

	"github.com/ipfs/go-cid"
	"github.com/orama-network/orama/sdk"
)

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
