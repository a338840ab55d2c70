// Package rqlite is the database plugin's distributed engine: a client of
// an rqlite cluster (rqlite v9) over its HTTP API.
//
// # Nodes
//
// hosts lists some of the cluster's HTTP API URLs. Open tries them in
// turn; gorqlite (github.com/rqlite/gorqlite) discovers the cluster from
// the first that answers (/status, /nodes), and keeps the node list fresh
// whenever a request fails. Requests go to the leader first, so a write
// is not forwarded and weak reads need no hop.
//
// rqlited enforces FOREIGN KEY constraints only when started with -fk; the
// sqlite driver always does. Open checks, warns when they are off, and
// Health says so.
//
// gorqlite is used for that discovery only. Its data calls are not
// precise enough for this plugin: they decode results into float64 (so
// 2^53+1 comes back as 2^53) and retry every request, writes included, on
// every peer after any failure — a write that timed out on the leader
// would be sent again and could be applied twice. Statements therefore go
// straight to rqlite's HTTP API (/db/query, /db/execute, /db/request),
// and responses are decoded as they stream in, numbers from their text
// (lexer.go), never through float64.
//
// # Retries
//
// A request is tried on up to 1+retries nodes, with a short backoff. A
// read is retried after any failure: running it twice changes nothing. A
// write is retried only when it certainly did not reach a leader:
//
//   - the TCP connection to the node was refused or could not be dialled
//     (net.OpError "dial"): no byte of the request was sent;
//   - the node answered 503 "leader not found", or the error "not leader":
//     it knew no leader, did not apply the write and did not forward it
//     (raft refuses an entry with ErrNotLeader before appending it);
//   - the node answered "pool get: …": forwarding to the leader failed
//     while opening the connection, before the write was sent (rqlite does
//     not retry forwarded writes unless asked to, and this driver never
//     asks).
//
// Everything else — a timeout, a connection reset after the request was
// sent, "leadership lost while committing log", any other error while the
// leader was applying — may or may not have been applied, so the call
// fails with unavailable and the client decides. Go's http.Transport does
// not resend a POST by itself either (it does only when nothing was
// written). An acknowledged write is therefore never applied twice.
//
// # Exact values
//
// rqlite's JSON loses SQLite's types in three ways, all measured against
// rqlite 9.4.5: a REAL that is a whole number is written like an integer
// (2.0 as 2, -0.0 as -0, 2^53+2 as 9007199254740994); a BLOB in a column
// declared TEXT or without a type is written as text (and invalid UTF-8 is
// lost); the text of DATE/DATETIME/TIMESTAMP columns is reformatted and
// BOOLEAN columns become true/false. A read-only SELECT is therefore sent
// as one statement:
//
//	WITH _orama_q(c1, …, cN) AS (<select>)
//	SELECT 'orama', schema_version, NULL, … FROM pragma_schema_version
//	UNION ALL SELECT typeof(c1), CASE typeof(c1) WHEN 'blob' THEN hex(c1) ELSE c1 END, …
//	FROM _orama_q LIMIT <max_rows+2>
//
// This gives every cell its storage class and exact value (integers and
// reals as JSON numbers, blobs in hex, text as text; the result columns
// are expressions, so no declared type converts anything), after a first
// row with the schema cookie, which SQLite changes with every change of
// the schema.
//
// The column count N and the column names are learnt once per statement
// text (a bounded cache), in one read transaction:
//
//	SELECT 1 FROM sqlite_master LIMIT 0                -- loads the current schema
//	SELECT * FROM (<select>) LIMIT 0                   -- the column names
//	SELECT schema_version FROM pragma_schema_version   -- the cookie they belong to
//
// (plus the typed statement when N can be counted from the text, so a new
// statement costs one round trip). The first statement is needed there:
// an rqlite read connection may still hold the schema from before a
// change made on another connection, and rqlite takes the column names
// before SQLite notices (measured: the first "SELECT *" after ADD COLUMN
// reports the old columns). The warm path needs no such statement: the
// typed statement reports no names, and SQLite re-prepares it with the
// current schema when it runs, so its cookie is current. A typed read
// whose cookie differs from the one its names were learnt with (any
// schema change, through any node or connection) learns them again and
// is retried; one that fails (the count changed: "table _orama_q has M
// values for N columns", or an error of the statement itself) learns
// them again too, and the error is returned when the names did not
// change. What this cannot see is a database replaced as a whole (rqlite
// /db/load, -boot) by one whose schema has the same cookie and, for a
// cached statement, the same column count but other names.
//
// Other statements that return rows (PRAGMA, INSERT …
// RETURNING) are decoded from the declared types with ?blob_array; a
// whole REAL in an untyped column of such a result reads as an integer.
//
// Parameters are written so rqlite binds them with their type: a whole
// REAL as "2.0", a BLOB as an array of bytes. rqlite would turn a text
// parameter spelled like a blob literal (x'41') into a BLOB; such a text
// is inlined into the statement as an SQL string literal instead.
//
// # Merged requests
//
// Concurrent independent calls of one statement each are merged into
// one rqlite request when they queue ("group commit", coalesce.go): warm
// typed reads (the one statement above) into one /db/query, and plain
// INSERT, UPDATE, DELETE or REPLACE statements without RETURNING into one
// /db/execute, neither with ?transaction. While fewer than Options.InFlight
// requests of a kind (the config's in_flight, default 2) are on their way
// a call is sent at once and alone, so a single client waits for nothing;
// calls that arrive meanwhile queue, and go together (at most 64
// statements, 64 KiB) when a request comes back. A request takes the
// queued calls in the order they came, but a tenant (driver.Stmt.Tenant:
// the namespace) has at most Options.Share statements on their way in a
// lane at once (the plugin sets the share to max_concurrent_statements):
// its other calls wait for its requests to come back, so another
// namespace's call never waits behind more than a share of it, however
// many it queues. in_flight = 0 sends every call alone.
// Without ?transaction rqlite runs the statements of a request in order,
// each on its own (a write in its own implicit transaction, all of one
// request in one Raft log entry), and answers each with its own result or
// error (measured against 9.4.5: a duplicate key, a NOT NULL violation or
// an unknown table in the middle fails that statement only). So:
//
//   - each caller gets exactly its own result or error; a failing
//     statement never fails another, and no statement is sent twice
//     within one request;
//   - a failure of the whole request (no answer, a connection reset, a
//     request-level error) is every caller's failure, classified as for
//     one write: retried as a whole only when no statement can have been
//     applied, else unavailable, "may or may not have been applied";
//   - a caller that gives up while its call still queues removes it: it is
//     never sent; one that gives up after it was sent gets its context's
//     error, as for a call of its own;
//   - reads share the consistency level (the driver's), and the request's
//     db_timeout is the latest deadline of its callers; each caller's rows
//     are counted against its own limits; a merged answer is read within
//     the largest byte limit of its callers (it holds no more than one
//     call could), and past it each read is sent again alone;
//   - statements of concurrent callers are in no order relative to each
//     other anyway: any order rqlite runs them in is one they could have
//     had alone.
//
// # Transactions
//
// /db/execute?transaction is all or nothing, but it returns no rows for a
// SELECT; /db/request?transaction returns rows but, in 9.4.5, a statement
// that fails to compile (no such table, no such column) is skipped and the
// others are committed. A batch that only writes uses /db/execute; one
// whose reads need rows uses /db/request after a dry run of the same batch
// that ends in a statement failing on purpose (so it always rolls back)
// has shown every statement compiles. The real run ends with "SELECT 1":
// if it shows that rqlite went on after a failed statement — the schema
// changed between the two runs — the call reports that the transaction
// was committed without that statement.
package rqlite
