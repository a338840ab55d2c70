package kubo

import (
	"context"
	"io"

	"github.com/ipfs/boxo/files"
	"github.com/ipfs/go-cid"
	"github.com/ipfs/kubo/core/coreiface/options"
	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/sdk"
)

// Add streams r to kubo's add with the embedded driver's settings and
// pin=false. kubo keeps the blocks of an import that failed half way
// until its own GC.
func (d *Driver) Add(ctx context.Context, r io.Reader) (cid.Cid, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g := newGuard(d.opts.Timeout, cancel)
	defer g.disarm()
	body := &uploadBody{r: r, g: g}
	p, err := d.api.Unixfs().Add(ctx, files.NewReaderFile(body), d.addOptions()...)
	switch {
	case body.err != nil:
		return cid.Undef, body.err
	case err != nil && g.stalled():
		return cid.Undef, sdk.Errorf(sdk.CodeUnavailable, "kubo add made no progress for %v", d.opts.Timeout)
	case err != nil:
		return cid.Undef, kuboError("add", err)
	}
	return p.RootCid(), nil
}

func (d *Driver) addOptions() []options.UnixfsAddOption {
	return []options.UnixfsAddOption{
		options.Unixfs.CidVersion(d.opts.CIDVersion),
		options.Unixfs.RawLeaves(d.opts.CIDVersion == 1),
		options.Unixfs.Chunker(driver.Chunker),
		options.Unixfs.Layout(options.BalancedLayout),
		options.Unixfs.Pin(false, ""),
		options.Unixfs.Progress(false),
	}
}
