package embedded

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/ipfs/boxo/blockservice"
	"github.com/ipfs/boxo/blockstore"
	"github.com/ipfs/boxo/ipld/merkledag"
	ipfspinner "github.com/ipfs/boxo/pinning/pinner"
	"github.com/ipfs/boxo/pinning/pinner/dspinner"
	"github.com/ipfs/go-cid"
	flatfs "github.com/ipfs/go-ds-flatfs"
	leveldb "github.com/ipfs/go-ds-leveldb"
	ipld "github.com/ipfs/go-ipld-format"
	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/sdk/plugin"
)

// Options configure a Store.
type Options struct {
	Dir        string // created if missing
	CIDVersion int    // 0 or 1
	PeerName   string // reported as the one peer holding pinned content
}

// Store is the embedded driver.
type Store struct {
	opts   Options
	prefix cid.Prefix

	blocks *flatfs.Datastore
	meta   *leveldb.Datastore
	bs     keyedBlockstore
	dag    ipld.DAGService
	pins   ipfspinner.Pinner

	// gc is held shared by imports and pins and exclusively by GC, which
	// only ever uses TryLock (see the package doc).
	gc sync.RWMutex
}

var (
	_ driver.Driver    = (*Store)(nil)
	_ driver.Collector = (*Store)(nil)
)

// keyedBlockstore lists its keys with an error report, which GC needs:
// a listing cut short must not look like a complete one.
type keyedBlockstore interface {
	blockstore.Blockstore
	blockstore.AllKeysChanWithErrer
}

// Open opens (or creates) the blockstore and pin set under opts.Dir.
func Open(ctx context.Context, opts Options) (*Store, error) {
	prefix, err := merkledag.PrefixForCidVersion(opts.CIDVersion)
	if err != nil {
		return nil, err
	}
	s := &Store{opts: opts, prefix: prefix}
	if err := s.open(ctx); err != nil {
		_ = s.Close(ctx)
		return nil, err
	}
	return s, nil
}

func (s *Store) open(ctx context.Context) error {
	if err := os.MkdirAll(s.opts.Dir, 0o700); err != nil {
		return err
	}
	var err error
	s.blocks, err = flatfs.CreateOrOpen(filepath.Join(s.opts.Dir, "blocks"), flatfs.NextToLast(2), true)
	if err != nil {
		return fmt.Errorf("open blocks: %w", err)
	}
	s.meta, err = leveldb.NewDatastore(filepath.Join(s.opts.Dir, "pinset"), nil)
	if err != nil {
		return fmt.Errorf("open pin set: %w", err)
	}
	bs, ok := blockstore.NewBlockstore(s.blocks, blockstore.NoPrefix()).(keyedBlockstore)
	if !ok {
		return errors.New("boxo's blockstore cannot report key listing errors")
	}
	s.bs = bs
	s.dag = merkledag.NewDAGService(blockservice.New(s.bs, nil))
	s.pins, err = dspinner.New(ctx, s.meta, s.dag)
	if err != nil {
		return fmt.Errorf("load pin set: %w", err)
	}
	return nil
}

// Close releases the datastores. It tolerates a half-done Open.
func (s *Store) Close(context.Context) error {
	var errs []error
	if s.pins != nil {
		errs = append(errs, s.pins.Close())
	}
	if s.meta != nil {
		errs = append(errs, s.meta.Close())
	}
	if s.blocks != nil {
		errs = append(errs, s.blocks.Close())
	}
	return errors.Join(errs...)
}

// Hold keeps GC from starting until release is called.
func (s *Store) Hold() (release func()) {
	s.gc.RLock()
	return s.gc.RUnlock
}

// Health is always OK once open.
func (s *Store) Health(context.Context) plugin.Health {
	return plugin.Health{OK: true, Driver: "embedded", Detail: fmt.Sprintf("offline blockstore in %s (CIDv%d)", s.opts.Dir, s.opts.CIDVersion)}
}
