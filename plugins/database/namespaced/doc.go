// Package namespaced is the database plugin's backend: it implements
// database.Backend over one of two engines (package driver's Driver): an
// embedded SQLite file (package sqlite, the default) or an rqlite cluster
// (package rqlite), chosen by the config attribute driver.
//
// Every statement is checked (database.CheckNamespace, CheckStatement,
// CheckOps) and rewritten into the namespace's tables by nsql.Rewrite
// before an engine sees it; the engine's messages come back with the
// namespace's names (nsql.CleanMessage). The layer also enforces the
// limits of the config, so that no namespace can starve the others:
// statement_timeout bounds every call (SQLite is interrupted through the
// context, rqlite reads carry it as db_timeout; a statement it stops is
// invalid, naming the limit); max_concurrent_statements bounds what one
// namespace runs at once (a call waits up to a second for a slot, then
// rate_limited; the system namespace is not capped); max_rows and
// max_result_bytes bound every result (the engines stop reading as soon
// as one is passed: too_large), and max_result_bytes is also SQLite's
// length limit, so no value larger than a result could hold is ever
// built. Health takes no slot and runs on the engine's own health path.
// It maps what engines report to the codes of the contract: invalid for
// bad SQL, conflict for constraint violations and existing objects,
// not_found for DropTable of a missing table, unavailable when the engine
// is busy or unreachable.
//
// LastInsertID is reported for an INSERT that inserted rows and is 0
// otherwise: SQLite keeps it per connection, and the connection is shared
// by every namespace, so for other statements it would show another
// namespace's row id.
package namespaced
