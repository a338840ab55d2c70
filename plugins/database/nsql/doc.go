// Package nsql isolates namespaces that share one SQL database by
// rewriting their statements.
//
// # Why rewriting
//
// The database plugin runs on an embedded SQLite file or on an rqlite
// cluster, and an rqlite cluster has exactly one database: there is no
// database-per-namespace and no ATTACH to lean on, and the embedded driver
// must behave the same way. So every namespace lives in the one database
// and each object name it uses (table, view, index, trigger) is stored
// under the physical name "<ns>$<name>" (Physical). Namespace names match
// ^[A-Za-z0-9_-]+$ and never hold '$', so a physical name splits at its
// first '$' (Logical).
//
// # How
//
// Rewrite parses a statement with github.com/rqlite/sql (SQLite's grammar)
// and writes it back with its own printer, which is the allow-list: it
// knows each node it accepts, maps every object name to its physical name,
// quotes every identifier, and refuses every statement kind, node or name
// it does not know. Because the engine only ever sees the printer's output,
// nothing the client wrote reaches it verbatim: no comment, no quoting
// trick, no second statement.
//
//   - CTE names are mapped like table names, and so are their references,
//     so a CTE still shadows a table of its name exactly as SQLite decides,
//     without this package modelling SQLite's scoping (a wrong model would
//     leave a name unmapped).
//   - FROM items get their logical name as alias ("ns$items" AS "items"),
//     and so do INSERT, UPDATE and DELETE targets, so qualified columns
//     (items.name) keep working. Inside a trigger body, where SQLite allows
//     no alias, qualifiers naming the target become the physical name.
//   - Result columns whose name SQLite takes from the SQL text (count(*),
//     a+1) get that original text as alias, and unnamed CHECK constraints
//     their original text as name, so clients see the same column names
//     and constraint messages.
//   - Identifiers are double-quoted, except column references the client
//     did not double-quote, which are written in backticks: SQLite turns an
//     unknown double-quoted name into a string, and a misspelt column must
//     stay an error. A name holding a backtick is written in backticks too,
//     and one holding both kinds of quote is refused, because the
//     rqlite/sql scanner ends "…" at a backtick: the rqlite server re-parses
//     statements that call random() or a time function with that scanner
//     and sends its re-print to SQLite, so both scanners must read the same
//     names.
//   - Keywords, operators and literals are written as the client wrote them,
//     in the same order and without added parentheses, so SQLite applies its
//     own precedence exactly as it would have to the original text.
//
// Where the parser reads valid SQLite differently from SQLite, the
// statement is refused rather than changed: "t RIGHT JOIN u" (read as
// "t AS right JOIN u"), numbers glued to names ("1_000", read as "1 AS
// _000"), and column definitions without a separating comma ("id INTEGER
// PRIMARY KEY DESC", read as a key and a column DESC). Text the parser
// refuses is prepared (never run) in a private in-memory SQLite whose
// authorizer denies everything, to answer with SQLite's own syntax error;
// valid SQLite the parser cannot read is refused as "statement not
// supported". Input nested deeper than 1000 levels is refused before it is
// parsed (the parser recurses per level; SQLite refuses such depth too).
//
// # What is refused, and why
//
//   - Other statement kinds: ATTACH and DETACH (another database file),
//     PRAGMAs other than the read-only table_info, table_xinfo, index_list,
//     index_info, index_xinfo and foreign_key_list of the namespace's own
//     objects (others read or change the whole database), BEGIN, COMMIT,
//     ROLLBACK, SAVEPOINT and RELEASE (transactions go through the
//     Transaction API), VACUUM (VACUUM INTO writes files), ANALYZE,
//     REINDEX, EXPLAIN (shows the physical schema), virtual tables (module
//     arguments can name any table) and TEMP objects (per connection,
//     and they shadow main tables).
//   - More than one statement in a string.
//   - Schema-qualified names (main.t, temp.t): every name is resolved in
//     main, under the namespace's prefix.
//   - Names starting with sqlite_ (sqlite_master, sqlite_schema,
//     sqlite_sequence, …): SQLite's own tables see every namespace.
//   - Any identifier holding '$', however quoted: it could spell another
//     namespace's physical name.
//   - Functions that leave the database or read SQLite's internals
//     (load_extension, readfile, writefile, edit, fts3_tokenizer, pragma_*,
//     internal sqlite_* functions, and total_changes, changes and
//     last_insert_rowid, which SQLite keeps per connection and so show
//     whichever namespace wrote last on a shared one) and table-valued
//     functions other than json_each and json_tree (dbstat and
//     sqlite_dbpage read every namespace's pages).
//
// # Known limits
//
// Namespaces are compared without regard to ASCII case by SQLite, as all
// identifiers are: namespaces "Acme" and "acme" would share tables, so the
// host must not admit two namespaces that differ only in case. SQLite checks
// the whole schema on ALTER TABLE RENAME, so another namespace's broken view
// can make it fail; CleanMessage hides that namespace's names. Rows of
// PRAGMA index_list and foreign_key_list name objects physically; map them
// with Logical. Not supported by the parser (refused as "statement not
// supported"): RIGHT and FULL joins, IS [NOT] DISTINCT FROM, WITH inside a
// subquery (WITH is read at the start of a statement and of a CTE body),
// REFERENCES without a column list, ON CONFLICT clauses on column
// constraints, PRIMARY KEY ASC/DESC, MATCH in foreign keys, ORDER BY inside
// aggregate calls, several upsert clauses, HAVING without GROUP BY, t.rowid,
// CAST to a quoted type, [bracketed] and non-ASCII unquoted names, and
// string literals used as names.
package nsql
