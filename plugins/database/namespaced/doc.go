// Package namespaced is the database plugin's backend: it implements
// database.Backend over one of two engines (package driver's Driver): an
// embedded SQLite file (package sqlite, the default) or an rqlite cluster
// (package rqlite), chosen by the config attribute driver.
//
// Every statement is checked (database.CheckNamespace, CheckStatement,
// CheckOps) and rewritten into the namespace's tables by nsql.Rewrite
// before an engine sees it; the engine's messages come back with the
// namespace's names (nsql.CleanMessage). The layer also enforces the
// limits of the config: statement_timeout bounds every call, max_rows and
// max_result_bytes bound every result (the engines stop reading as soon
// as one is passed: too_large), and it maps what engines report to the
// codes of the contract: invalid for bad SQL, conflict for constraint
// violations and existing objects, not_found for DropTable of a missing
// table, unavailable when the engine is busy, too slow or unreachable.
//
// LastInsertID is reported for an INSERT that inserted rows and is 0
// otherwise: SQLite keeps it per connection, and the connection is shared
// by every namespace, so for other statements it would show another
// namespace's row id.
package namespaced
