package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// stmtError maps an error of database/sql and modernc: SQLite's result
// code decides (constraint: conflict; busy, locked, interrupted, I/O:
// unavailable; too big: too_large), the message text decides among plain
// SQL errors (driver.Classify). Context errors pass unchanged: the
// namespace layer knows whether the statement timed out or the caller
// went away.
func stmtError(op int, err error) error {
	if err == nil {
		return nil
	}
	var se *sdk.Error
	if errors.As(err, &se) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err
	}
	var le *msqlite.Error
	if !errors.As(err, &le) {
		if errors.Is(err, sql.ErrConnDone) || errors.Is(err, sql.ErrTxDone) || strings.Contains(err.Error(), "database is closed") {
			return sdk.Errorf(sdk.CodeUnavailable, "sqlite is closed")
		}
		return sdk.Errorf(sdk.CodeInternal, "sqlite: %v", err)
	}
	msg := message(le.Error())
	code := driver.Classify(msg)
	switch le.Code() & 0xff {
	case sqlite3.SQLITE_CONSTRAINT:
		code = sdk.CodeConflict
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_INTERRUPT, sqlite3.SQLITE_IOERR,
		sqlite3.SQLITE_FULL, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_NOMEM:
		code = sdk.CodeUnavailable
	case sqlite3.SQLITE_TOOBIG:
		code = sdk.CodeTooLarge
	case sqlite3.SQLITE_READONLY:
		code = sdk.CodeInternal
	}
	return &driver.StmtError{Op: op, Code: code, Message: msg}
}

// message strips modernc's decoration from SQLite's message:
// "SQL logic error: no such table: t (1)" → "no such table: t".
func message(s string) string {
	s = strings.TrimSuffix(s, " (SQLITE_BUSY)")
	if i := strings.LastIndex(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
		if isDigits(s[i+2 : len(s)-1]) {
			s = s[:i]
		}
	}
	if _, detail, ok := strings.Cut(s, ": "); ok && detail != "" {
		return detail
	}
	return s
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
