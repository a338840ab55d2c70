// Package driver is the small contract between the database plugin's
// shared layer (package namespaced) and its engines (packages sqlite and
// rqlite): run physical SQL — statements already rewritten into a
// namespace's tables — as a query, an exec or an all-or-nothing batch,
// list sqlite_master, report health, close.
//
// It also holds what both engines share: the Collector that enforces the
// result limits while rows are read, the classification of SQLite's error
// messages into sdk error codes, and the canonical text of a date the
// engines had turned into a time.
package driver
