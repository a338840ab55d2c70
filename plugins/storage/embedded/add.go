package embedded

import (
	"context"
	"io"

	chunker "github.com/ipfs/boxo/chunker"
	"github.com/ipfs/boxo/ipld/unixfs/importer/balanced"
	"github.com/ipfs/boxo/ipld/unixfs/importer/helpers"
	"github.com/ipfs/go-cid"
	"github.com/orama-network/orama/plugins/storage/driver"
)

// Add imports r as one UnixFS file with kubo's default settings. Blocks
// are written as they are cut, so memory stays at a few chunks; when r
// fails half way, what was written is unpinned garbage for GC.
func (s *Store) Add(ctx context.Context, r io.Reader) (cid.Cid, error) {
	defer s.Hold()()
	params := helpers.DagBuilderParams{
		Dagserv:    s.dag,
		Maxlinks:   driver.MaxLinks,
		RawLeaves:  s.opts.CIDVersion == 1,
		CidBuilder: s.prefix,
	}
	db, err := params.New(chunker.NewSizeSplitter(ctxReader{ctx, r}, driver.ChunkSize))
	if err != nil {
		return cid.Undef, err
	}
	root, err := balanced.Layout(db)
	if err != nil {
		return cid.Undef, err
	}
	return root.Cid(), nil
}

// ctxReader stops an import once ctx ends (the importer has no context).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
