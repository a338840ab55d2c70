package engine

import (
	"sync/atomic"

	"github.com/tetratelabs/wazero/experimental"
)

// The memory limit of one call. wazero's RuntimeConfig.WithMemoryLimitPages
// is one limit for a whole runtime; a call's own limit is enforced by the
// allocator of its instance's memory (experimental.WithMemoryAllocator on
// the instantiation's context): growing past the limit fails, so the
// guest's memory.grow returns -1 and the host allocates nothing more.
// A module whose declared minimum exceeds the limit is refused before it
// is instantiated (Run checks entry.minMem).

// limitedAllocator allocates linear memories of at most limit bytes and
// records whether a growth was refused.
type limitedAllocator struct {
	limit   uint64
	refused atomic.Bool
}

func (a *limitedAllocator) Allocate(capacity, max uint64) experimental.LinearMemory {
	if max > a.limit {
		max = a.limit
	}
	return &limitedMemory{a: a, max: max, capacity: min(capacity, max)}
}

// limitedMemory is one instance's memory. The bytes beyond len(buf) are
// never written (memory does not shrink), so growing within cap(buf) may
// reslice without clearing.
type limitedMemory struct {
	a        *limitedAllocator
	buf      []byte
	max      uint64
	capacity uint64 // the first allocation's capacity
}

func (m *limitedMemory) Reallocate(size uint64) []byte {
	if size > m.max {
		m.a.refused.Store(true)
		return nil
	}
	if size <= uint64(cap(m.buf)) {
		m.buf = m.buf[:size]
		return m.buf
	}
	// double the capacity (amortized growth), within max
	c := max(size, m.capacity, 2*uint64(cap(m.buf)))
	c = min(c, m.max)
	buf := make([]byte, size, c)
	copy(buf, m.buf)
	m.buf = buf
	return buf
}

func (m *limitedMemory) Free() { m.buf = nil }
