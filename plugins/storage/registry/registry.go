package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	ds "github.com/ipfs/go-datastore"
	dsq "github.com/ipfs/go-datastore/query"
	leveldb "github.com/ipfs/go-ds-leveldb"
)

// Entry is one namespace's pin of one CID.
type Entry struct {
	Name           string    `json:"name"`
	Created        time.Time `json:"created"`
	ReplicationMin int       `json:"replication_min"`
	ReplicationMax int       `json:"replication_max"`
}

// Pin is an Entry with its key.
type Pin struct {
	Namespace string
	CID       string
	Entry
}

// Registry maps (namespace, CID) to an Entry.
type Registry struct {
	ds *leveldb.Datastore
}

// Open opens (or creates) the registry in dir.
func Open(dir string) (*Registry, error) {
	d, err := leveldb.NewDatastore(dir, nil)
	if err != nil {
		return nil, fmt.Errorf("open pin registry %s: %w", dir, err)
	}
	return &Registry{ds: d}, nil
}

// Close closes the datastore.
func (r *Registry) Close() error { return r.ds.Close() }

func nsKey(namespace, cid string) ds.Key {
	return ds.RawKey("/ns/" + namespace + "/" + cid)
}

func cidKey(cid, namespace string) ds.Key {
	return ds.RawKey("/cid/" + cid + "/" + namespace)
}

// Get returns namespace's entry for cid; ok is false when there is none.
func (r *Registry) Get(ctx context.Context, namespace, cid string) (e Entry, ok bool, err error) {
	b, err := r.ds.Get(ctx, nsKey(namespace, cid))
	if errors.Is(err, ds.ErrNotFound) {
		return Entry{}, false, nil
	}
	if err != nil {
		return Entry{}, false, err
	}
	if err := json.Unmarshal(b, &e); err != nil {
		return Entry{}, false, fmt.Errorf("pin registry entry %s/%s: %w", namespace, cid, err)
	}
	return e, true, nil
}

// Has reports whether namespace pins cid: one key lookup, no decoding
// (the check of every read by CID).
func (r *Registry) Has(ctx context.Context, namespace, cid string) (bool, error) {
	return r.ds.Has(ctx, nsKey(namespace, cid))
}

// Put stores namespace's entry for cid (both keys, atomically).
func (r *Registry) Put(ctx context.Context, namespace, cid string, e Entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	batch, err := r.ds.Batch(ctx)
	if err != nil {
		return err
	}
	if err := batch.Put(ctx, nsKey(namespace, cid), b); err != nil {
		return err
	}
	if err := batch.Put(ctx, cidKey(cid, namespace), nil); err != nil {
		return err
	}
	return batch.Commit(ctx)
}

// Delete removes namespace's entry for cid (both keys, atomically).
func (r *Registry) Delete(ctx context.Context, namespace, cid string) error {
	batch, err := r.ds.Batch(ctx)
	if err != nil {
		return err
	}
	if err := batch.Delete(ctx, nsKey(namespace, cid)); err != nil {
		return err
	}
	if err := batch.Delete(ctx, cidKey(cid, namespace)); err != nil {
		return err
	}
	return batch.Commit(ctx)
}

// List returns namespace's pins, oldest first (then by CID).
func (r *Registry) List(ctx context.Context, namespace string) ([]Pin, error) {
	prefix := "/ns/" + namespace + "/"
	var pins []Pin
	err := r.scan(ctx, prefix, false, func(rest string, value []byte) error {
		p := Pin{Namespace: namespace, CID: rest}
		if err := json.Unmarshal(value, &p.Entry); err != nil {
			return fmt.Errorf("pin registry entry %s/%s: %w", namespace, rest, err)
		}
		pins = append(pins, p)
		return nil
	})
	sort.SliceStable(pins, func(i, j int) bool {
		if !pins[i].Created.Equal(pins[j].Created) {
			return pins[i].Created.Before(pins[j].Created)
		}
		return pins[i].CID < pins[j].CID
	})
	return pins, err
}

// Holders returns the namespaces that pin cid, sorted, with their entries.
func (r *Registry) Holders(ctx context.Context, cid string) ([]Pin, error) {
	var names []string
	err := r.scan(ctx, "/cid/"+cid+"/", true, func(rest string, _ []byte) error {
		names = append(names, rest)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	pins := make([]Pin, 0, len(names))
	for _, ns := range names {
		e, ok, err := r.Get(ctx, ns, cid)
		if err != nil {
			return nil, err
		}
		if ok {
			pins = append(pins, Pin{Namespace: ns, CID: cid, Entry: e})
		}
	}
	return pins, nil
}

// CIDs returns every CID pinned by at least one namespace, sorted.
func (r *Registry) CIDs(ctx context.Context) ([]string, error) {
	seen := map[string]bool{}
	var cids []string
	err := r.scan(ctx, "/cid/", true, func(rest string, _ []byte) error {
		c, _, _ := strings.Cut(rest, "/")
		if !seen[c] {
			seen[c] = true
			cids = append(cids, c)
		}
		return nil
	})
	sort.Strings(cids)
	return cids, err
}

// scan calls fn with the key remainder after prefix (and the value unless
// keysOnly) of every key under prefix.
func (r *Registry) scan(ctx context.Context, prefix string, keysOnly bool, fn func(rest string, value []byte) error) error {
	res, err := r.ds.Query(ctx, dsq.Query{Prefix: prefix, KeysOnly: keysOnly})
	if err != nil {
		return err
	}
	defer res.Close()
	for e := range res.Next() {
		if e.Error != nil {
			return e.Error
		}
		rest, ok := strings.CutPrefix(e.Key, prefix)
		if !ok || rest == "" {
			continue
		}
		if err := fn(rest, e.Value); err != nil {
			return err
		}
	}
	return nil
}
