package engine

import (
	"math/bits"
	"sync"
	"sync/atomic"

	"github.com/tetratelabs/wazero/experimental"
)

// The memory limit of one call. wazero's RuntimeConfig.WithMemoryLimitPages
// is one limit for a whole runtime; a call's own limit is enforced by the
// allocator of its instance's memory (experimental.WithMemoryAllocator on
// the instantiation's context): growing past the limit fails, so the
// guest's memory.grow returns -1 and the host allocates nothing more.
// A module whose declared minimum exceeds the limit is refused before it
// is instantiated (Run checks entry.minMem), since wazero expects the
// minimum to be allocated.

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
	return &limitedMemory{a: a, max: max}
}

// limitedMemory is one instance's memory. The bytes beyond len(buf) are
// never written (memory does not shrink), so growing within cap(buf)
// reslices without clearing.
type limitedMemory struct {
	a   *limitedAllocator
	buf []byte
	max uint64
}

func (m *limitedMemory) Reallocate(size uint64) []byte {
	if size > m.max {
		m.a.refused.Store(true)
		return nil
	}
	noteHighWater(size)
	if size <= uint64(cap(m.buf)) { // also size 0: a memory of no pages
		m.buf = m.buf[:size]
		return m.buf
	}
	buf := getBuffer(size, m.max)
	copy(buf, m.buf)
	putBuffer(m.buf)
	m.buf = buf[:size]
	return m.buf
}

// Free returns the memory to the pool; wazero calls it once the instance
// is closed and its guest no longer runs.
func (m *limitedMemory) Free() {
	putBuffer(m.buf)
	m.buf = nil
}

// Buffers are pooled by size class (a power of two) so that a warm run
// neither allocates nor has the Go runtime clear its memory: a buffer is
// cleared as far as it was used when it is put back, so every buffer in a
// pool is all zero, as a fresh memory must be.
const (
	minClass = 16 // 64 KiB, one page
	maxClass = 28 // 256 MiB; larger memories are not pooled
)

var pools [maxClass + 1]sync.Pool

// getBuffer returns a zeroed buffer of at least size bytes and at most
// max (rounded up to a power of two below max).
func getBuffer(size, max uint64) []byte {
	class := max64(bits.Len64(size-1), minClass)
	if class <= maxClass {
		if p, ok := pools[class].Get().(*[]byte); ok {
			return (*p)[:0]
		}
	}
	c := uint64(1) << class
	if c > max {
		c = max
	}
	return make([]byte, 0, c)
}

// putBuffer clears the used part of b and pools it under the largest
// class it can serve.
func putBuffer(b []byte) {
	if cap(b) < 1<<minClass {
		return
	}
	class := bits.Len64(uint64(cap(b))) - 1
	if class > maxClass {
		return
	}
	clear(b)
	b = b[:0]
	pools[class].Put(&b)
}

func max64(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// highWater is the largest linear memory any instance reached.
var highWater atomic.Uint64

func noteHighWater(size uint64) {
	for {
		cur := highWater.Load()
		if size <= cur || highWater.CompareAndSwap(cur, size) {
			return
		}
	}
}

// MemoryHighWater returns the largest linear memory, in bytes, any
// instance of this process reached.
func MemoryHighWater() uint64 { return highWater.Load() }
