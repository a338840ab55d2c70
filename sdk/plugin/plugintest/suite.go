package plugintest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync/atomic"
	"testing"
)

// runID is RunID's value, drawn once per process.
var runID = func() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}()

var seq atomic.Int64

// RunID returns 8 random hex digits, the same for the whole process: it
// keeps names apart when several processes share one backend.
func RunID() string { return runID }

// Seq returns a number no earlier call in this process returned.
func Seq() int64 { return seq.Add(1) }

// Unique returns a name no other test uses: "<prefix>-<RunID>-<Seq>".
func Unique(prefix string) string {
	return fmt.Sprintf("%s-%s-%d", prefix, runID, Seq())
}

// Case is one subtest of a conformance suite over a T (the implementation,
// or an environment around it).
type Case[T any] struct {
	Name string
	Test func(t *testing.T, x T)
}

// RunCases runs each case as a subtest of t, in order, giving it what
// newT returns for that subtest.
func RunCases[T any](t *testing.T, newT func(t *testing.T) T, cases ...Case[T]) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) { c.Test(t, newT(t)) })
	}
}
