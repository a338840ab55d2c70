// Package migrate keeps the gateway's own tables (in the database domain's
// system namespace) at the schema this build expects.
//
// Migrations are numbered and run in order, each at most once per database,
// recorded in schema_migrations. Each runs as one all-or-nothing
// transaction whose FIRST statement inserts its version into
// schema_migrations (version is the primary key). When several gateway
// nodes start at once against one rqlite cluster, the database serializes
// their transactions: the first commits, every other fails on the primary
// key and rolls back entirely — so no migration's statements run twice,
// without any lock service. A node that loses the race re-reads the table,
// sees the version applied and moves on.
package migrate
