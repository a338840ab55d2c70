// Package gen generates deterministic test content without holding it in
// memory: the same seed and length always give the same bytes.
package gen

import (
	"crypto/sha256"
	"io"
	"math/rand/v2"
)

// Reader returns n pseudo-random bytes derived from seed.
func Reader(seed uint64, n int64) io.Reader {
	var key [32]byte
	for i := range 8 {
		key[i] = byte(seed >> (8 * i))
	}
	return io.LimitReader(rand.NewChaCha8(key), n)
}

// Bytes returns Reader(seed, n) in memory, for small n.
func Bytes(seed uint64, n int64) []byte {
	b, err := io.ReadAll(Reader(seed, n))
	if err != nil {
		panic(err) // a ChaCha8 stream does not fail
	}
	return b
}

// Sum returns the SHA-256 of Reader(seed, n), streaming.
func Sum(seed uint64, n int64) [32]byte {
	h := sha256.New()
	if _, err := io.Copy(h, Reader(seed, n)); err != nil {
		panic(err)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}
