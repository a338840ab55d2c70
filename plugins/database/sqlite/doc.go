// Package sqlite is the database plugin's embedded engine: one SQLite file
// through modernc.org/sqlite (pure Go, no cgo).
//
// SQLite allows one writer at a time, so the driver keeps two pools on the
// file: a writer of exactly one connection, whose transactions begin
// IMMEDIATE (they take the write lock up front, so two writers never
// deadlock upgrading a read lock), and a pool of read-only connections
// (PRAGMA query_only) that WAL lets read while the writer writes. A
// statement the namespace layer found read-only goes to a reader; any
// other, and every batch that writes, to the writer. Every connection has
// busy_timeout, foreign_keys on, journal_mode WAL, synchronous NORMAL,
// defensive mode, and double-quoted string literals off (SQLite's quirk
// that reads an unknown "column" as the text 'column' would hide errors).
//
// Values come back with SQLite's storage class: INTEGER as int64, REAL as
// float64, TEXT as string, BLOB as []byte (never nil), NULL as nil. The
// one exception is modernc's: the text of a column declared DATE, DATETIME
// or TIMESTAMP arrives parsed as a time; it is written back as SQLite's
// own functions write dates (driver.TimeText), so "YYYY-MM-DD HH:MM:SS"
// and "YYYY-MM-DD" read back exactly.
package sqlite
