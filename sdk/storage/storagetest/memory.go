package storagetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/storage"
)

// MemoryMaxSize is Memory's upload limit when PutOptions.MaxSize is 0.
const MemoryMaxSize = 256 << 20

// Memory is an in-memory storage.Backend for unit tests. It keeps the
// contract except for the CID vectors: its CIDs are real and well-formed
// but simple — CIDv1 of one raw block, the sha256 of the whole content —
// so they equal kubo's `--cid-version=1` CIDs only for content of at most
// ChunkSize bytes (a single raw leaf), not for longer content, which kubo
// splits into a UnixFS DAG. Run it with Options{CIDv1: true,
// SkipCIDVectors: true}. Its Base methods accept any config. The zero
// value is not usable; call NewMemory.
type Memory struct {
	mu    sync.Mutex
	blobs map[string][]byte                       // CID → content (never removed)
	pins  map[string]map[string]storage.PinStatus // namespace → CID → pin
}

var _ storage.Backend = (*Memory)(nil)

// NewMemory returns an empty Memory.
func NewMemory() *Memory {
	return &Memory{blobs: make(map[string][]byte), pins: make(map[string]map[string]storage.PinStatus)}
}

func (m *Memory) Put(_ context.Context, namespace string, r io.Reader, opts storage.PutOptions) (storage.PutResult, error) {
	if err := storage.CheckNamespace(namespace); err != nil {
		return storage.PutResult{}, err
	}
	limit := opts.MaxSize
	if limit <= 0 {
		limit = MemoryMaxSize
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(r, limit+1)); err != nil {
		return storage.PutResult{}, err
	}
	if int64(buf.Len()) > limit {
		return storage.PutResult{}, sdk.Errorf(sdk.CodeTooLarge, "upload larger than %d bytes", limit)
	}
	data := buf.Bytes()
	sum := sha256.Sum256(data)
	hash, err := mh.Encode(sum[:], mh.SHA2_256)
	if err != nil {
		return storage.PutResult{}, err
	}
	id := cid.NewCidV1(cid.Raw, hash).String()

	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.blobs[id]; !ok {
		m.blobs[id] = data
	}
	if opts.Pin {
		m.pinLocked(namespace, id, opts.Name, 0)
	}
	return storage.PutResult{CID: id, Size: int64(len(data))}, nil
}

func (m *Memory) Get(_ context.Context, namespace, id string, offset, length int64) (io.ReadCloser, storage.Stat, error) {
	data, key, err := m.lookup(namespace, id)
	if err != nil {
		return nil, storage.Stat{}, err
	}
	n, err := storage.CheckRange(int64(len(data)), offset, length)
	if err != nil {
		return nil, storage.Stat{}, err
	}
	st := storage.Stat{CID: key, Size: int64(len(data))}
	return io.NopCloser(bytes.NewReader(data[offset : offset+n])), st, nil
}

func (m *Memory) Stat(_ context.Context, namespace, id string) (storage.Stat, error) {
	data, key, err := m.lookup(namespace, id)
	if err != nil {
		return storage.Stat{}, err
	}
	return storage.Stat{CID: key, Size: int64(len(data))}, nil
}

// lookup validates the arguments and returns the content of id and the
// CID's canonical form.
func (m *Memory) lookup(namespace, id string) ([]byte, string, error) {
	key, err := canonical(namespace, id)
	if err != nil {
		return nil, "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	data, ok := m.blobs[key]
	if _, pinned := m.pins[namespace][key]; !ok || !pinned {
		return nil, "", sdk.Errorf(sdk.CodeNotFound, "content not found")
	}
	return data, key, nil
}

// Blob returns the content stored under id, whichever namespace pins it
// or none (for tests that look behind the contract).
func (m *Memory) Blob(id string) ([]byte, bool) {
	c, err := storage.ParseCID(id)
	if err != nil {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.blobs[c.String()]
	return b, ok
}

func (m *Memory) Pin(_ context.Context, namespace, id, name string, replication int) (storage.PinStatus, error) {
	key, err := canonical(namespace, id)
	if err != nil {
		return storage.PinStatus{}, err
	}
	if replication < 0 {
		return storage.PinStatus{}, sdk.Errorf(sdk.CodeInvalid, "replication must not be negative")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.blobs[key]; !ok || m.othersOnlyLocked(namespace, key) {
		return storage.PinStatus{}, sdk.Errorf(sdk.CodeNotFound, "content not found")
	}
	return m.pinLocked(namespace, key, name, replication), nil
}

// othersOnlyLocked reports whether other namespaces pin key and namespace
// does not (Pin by CID is then not_found); m.mu must be held.
func (m *Memory) othersOnlyLocked(namespace, key string) bool {
	if _, own := m.pins[namespace][key]; own {
		return false
	}
	for ns, pins := range m.pins {
		if _, ok := pins[key]; ok && ns != namespace {
			return true
		}
	}
	return false
}

// pinLocked records namespace's pin of key; m.mu must be held. Pinning
// again keeps the creation time and takes the new name.
func (m *Memory) pinLocked(namespace, key, name string, replication int) storage.PinStatus {
	if replication == 0 {
		replication = 1
	}
	if m.pins[namespace] == nil {
		m.pins[namespace] = make(map[string]storage.PinStatus)
	}
	p, ok := m.pins[namespace][key]
	if !ok {
		p = storage.PinStatus{CID: key, Status: storage.StatusPinned, ReplicationFactor: 1, Peers: []string{"memory"}, Created: time.Now()}
	}
	p.Name = name
	p.ReplicationMin, p.ReplicationMax = replication, replication
	m.pins[namespace][key] = p
	return clonePin(p)
}

func (m *Memory) Unpin(_ context.Context, namespace, id string) error {
	key, err := canonical(namespace, id)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.pins[namespace][key]; !ok {
		return sdk.Errorf(sdk.CodeNotFound, "pin not found")
	}
	delete(m.pins[namespace], key)
	return nil
}

func (m *Memory) Status(_ context.Context, namespace, id string) (storage.PinStatus, error) {
	key, err := canonical(namespace, id)
	if err != nil {
		return storage.PinStatus{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.pins[namespace][key]
	if !ok {
		return storage.PinStatus{}, sdk.Errorf(sdk.CodeNotFound, "pin not found")
	}
	return clonePin(p), nil
}

// Pins lists namespace's pins by CID.
func (m *Memory) Pins(_ context.Context, namespace string) ([]storage.PinStatus, error) {
	if err := storage.CheckNamespace(namespace); err != nil {
		return nil, err
	}
	m.mu.Lock()
	out := make([]storage.PinStatus, 0, len(m.pins[namespace]))
	for _, p := range m.pins[namespace] {
		out = append(out, clonePin(p))
	}
	m.mu.Unlock()
	slices.SortFunc(out, func(a, b storage.PinStatus) int { return strings.Compare(a.CID, b.CID) })
	return out, nil
}

func (m *Memory) Health(context.Context) (plugin.Health, error) {
	return plugin.Health{OK: true, Driver: "memory"}, nil
}

func (m *Memory) Info(context.Context) (plugin.Info, error) {
	return plugin.Info{Kind: storage.Kind, Name: "memory", Version: "test"}, nil
}

func (m *Memory) ValidateConfig(context.Context, plugin.Config) error { return nil }

func (m *Memory) Configure(context.Context, plugin.Config) error { return nil }

func (m *Memory) Close(context.Context) error { return nil }

// canonical validates namespace and id and returns id's canonical string
// (one CID may be written in several multibases).
func canonical(namespace, id string) (string, error) {
	if err := storage.CheckNamespace(namespace); err != nil {
		return "", err
	}
	c, err := storage.ParseCID(id)
	if err != nil {
		return "", err
	}
	return c.String(), nil
}

func clonePin(p storage.PinStatus) storage.PinStatus {
	p.Peers = slices.Clone(p.Peers)
	return p
}
