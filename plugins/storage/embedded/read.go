package embedded

import (
	"context"
	"io"

	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/boxo/ipld/unixfs"
	uio "github.com/ipfs/boxo/ipld/unixfs/io"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
	"github.com/orama-network/orama/sdk"
)

// Size returns the file size recorded in c's root node.
func (s *Store) Size(ctx context.Context, c cid.Cid) (int64, error) {
	nd, err := s.root(ctx, c)
	if err != nil {
		return 0, err
	}
	switch n := nd.(type) {
	case *merkledag.RawNode:
		return int64(len(n.RawData())), nil
	case *merkledag.ProtoNode:
		fsn, err := unixfs.FSNodeFromBytes(n.Data())
		if err != nil {
			return 0, notAFile(c)
		}
		if t := fsn.Type(); t != unixfs.TFile && t != unixfs.TRaw {
			return 0, notAFile(c)
		}
		return int64(fsn.FileSize()), nil
	}
	return 0, notAFile(c)
}

// Open seeks a DAG reader to offset and limits it to length bytes. The
// reader fetches blocks as it goes.
func (s *Store) Open(ctx context.Context, c cid.Cid, offset, length int64) (io.ReadCloser, error) {
	nd, err := s.root(ctx, c)
	if err != nil {
		return nil, err
	}
	dr, err := uio.NewDagReader(ctx, nd, s.dag)
	if err != nil {
		return nil, notAFile(c)
	}
	if _, err := dr.Seek(offset, io.SeekStart); err != nil {
		_ = dr.Close()
		return nil, blockError(err)
	}
	return &fileReader{r: io.LimitReader(dr, length), close: dr.Close}, nil
}

// root loads c's root node; not_found when the block is not here.
func (s *Store) root(ctx context.Context, c cid.Cid) (ipld.Node, error) {
	nd, err := s.dag.Get(ctx, c)
	if err != nil {
		return nil, blockError(err)
	}
	return nd, nil
}

type fileReader struct {
	r     io.Reader
	close func() error
}

func (f *fileReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err != nil && err != io.EOF {
		err = blockError(err)
	}
	return n, err
}

func (f *fileReader) Close() error { return f.close() }

// blockError maps a missing block to not_found; other errors pass.
func blockError(err error) error {
	if ipld.IsNotFound(err) {
		return sdk.Errorf(sdk.CodeNotFound, "content not found")
	}
	return err
}

func notAFile(c cid.Cid) error {
	return sdk.Errorf(sdk.CodeInvalid, "%s is not a UnixFS file", c)
}
