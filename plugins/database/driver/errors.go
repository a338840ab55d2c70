package driver

import (
	"fmt"
	"strings"

	"github.com/orama-network/orama/sdk"
)

// StmtError is what the engine said about one statement. Message is the
// engine's text with physical names; the shared layer turns them back
// into the namespace's names before a client sees it.
type StmtError struct {
	Op      int      // index of the op in a batch; -1 outside a batch
	Code    sdk.Code // see Classify
	Message string
}

func (e *StmtError) Error() string {
	if e.Op >= 0 {
		return fmt.Sprintf("ops[%d]: %s", e.Op, e.Message)
	}
	return e.Message
}

// Classify maps an SQLite error message to a code: constraint violations
// and existing objects are conflict; a busy or locked database, an
// interrupted or timed-out statement and I/O trouble are unavailable; a
// string or blob beyond SQLite's limits is too_large; everything else —
// syntax, no such table or column, datatype mismatch, wrong arguments —
// is the statement's fault: invalid.
func Classify(msg string) sdk.Code {
	m := strings.ToLower(msg)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(m, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("constraint failed", "already exists"):
		return sdk.CodeConflict
	case has("database is locked", "table is locked", "database is busy", "sqlite_busy",
		"interrupted", "timeout", "deadline exceeded", "context canceled",
		"disk i/o error", "database or disk is full", "disk image is malformed", "unable to open"):
		return sdk.CodeUnavailable
	case has("too big", "too large", "string or blob"):
		return sdk.CodeTooLarge
	case has("readonly database", "read-only database"):
		return sdk.CodeInternal
	}
	return sdk.CodeInvalid
}

// EngineError returns a *StmtError for op (-1 outside a batch) with the
// message classified by Classify.
func EngineError(op int, msg string) *StmtError {
	return &StmtError{Op: op, Code: Classify(msg), Message: msg}
}

// WaitError is the error of a call whose context ended while it waited
// for the engine to take it (a free connection), before its statement
// ran: the engine was busy, the statement is not at fault.
type WaitError struct{ Err error }

func (e *WaitError) Error() string { return "waiting for a free connection: " + e.Err.Error() }

func (e *WaitError) Unwrap() error { return e.Err }
