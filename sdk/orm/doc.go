// Package orm maps Go structs to the rows of an Orama gateway's database
// (the /v1/rqlite API, through sdk/client): a query builder, a row
// scanner, a generic Repository and batched transactions.
//
//	db := orm.New(client.New(url, client.WithAPIKey(key)).Database())
//
//	var users []User
//	err := db.Table("users").Where("age >= ?", 18).OrderBy("name").GetMany(ctx, &users)
//
//	repo := orm.NewRepository[User](db, "users")
//	err = repo.Save(ctx, &u)            // INSERT (sets an auto pk) or UPDATE by pk
//
//	tx := db.Tx()
//	tx.Exec("UPDATE accounts SET balance = balance - ? WHERE id = ?", 10, from)
//	tx.Exec("UPDATE accounts SET balance = balance + ? WHERE id = ?", 10, to)
//	_, err = tx.Commit(ctx)             // one request, all or nothing
//
// # Mapping
//
// A struct field maps to the column named by its `db` tag, or to its Go
// name in lower case when it has none; `db:"-"` skips it, unexported
// fields are skipped, and the fields of an embedded struct (not a pointer)
// are promoted, the shallower field winning when two map to one column.
// Tag options: `db:"id,pk"` marks the primary key a Repository writes by,
// `db:"id,pk,auto"` one the database assigns (INTEGER PRIMARY KEY), which
// Save leaves out of INSERT and sets from last_insert_id.
//
// Supported field types: signed and unsigned integers, floats, string,
// bool (the database stores 0/1), []byte, time.Time, any, pointers to
// those (NULL ↔ nil), and types implementing sql.Scanner (sql.NullString,
// sql.Null[T], …; writes use driver.Valuer). A NULL into a field that
// cannot hold it (int, string, time.Time, …) is an error, as in
// database/sql; []byte and any take NULL as nil.
//
// Values cross the gateway as JSON (see client.Database): integers are
// exact to 64 bits; time.Time is written as RFC 3339 text in UTC and read
// from RFC 3339 or SQLite's "2006-01-02 15:04:05" text, or from a number
// of Unix seconds; []byte is written as base64 text and read from base64
// (which is also how BLOB cells arrive), so a []byte field round-trips
// through either a BLOB or a TEXT column. Arguments given to Where, Exec,
// criteria and so on are converted the same way.
//
// Plans (which column goes to which field, with which converter) are
// built once per struct type and cached; scanning is safe for concurrent
// use. Columns without a field are ignored; a field whose column is not in
// a row keeps its value. A value that does not fit its field is an invalid
// *sdk.Error naming the column and the field.
//
// # Builder
//
// DB.Table starts a SELECT. The builder writes the SQL itself and sends it
// with the query route (not the structured select route), so SQL() shows
// exactly what runs and the same SQL can join a Tx. Table, column and
// alias names are checked against ^[A-Za-z_][A-Za-z0-9_]*$ (a column may
// carry a "table." prefix) and written unquoted, so a name that is an SQL
// keyword fails at the engine rather than silently; Where and join
// conditions are SQL written by the caller, with ? parameters, and must
// never contain untrusted text. A refused name is reported by Err and by
// the methods that run the query; SQL() then returns "".
//
// # Transactions
//
// The gateway's transaction route takes a whole batch at once, so a Tx is
// a batch, not an interactive transaction: it collects ops, and Commit
// sends them in one request that applies all or none. Inside the batch an
// op sees the effects of the ops before it, but Go code sees no result
// until Commit returns: reads made while assembling a Tx see the state
// before the batch, and nothing can branch on an intermediate result.
//
// Errors are *sdk.Error: invalid for refused names, unsupported types and
// values that do not fit; not_found from GetOne, FindOne, Update and
// Remove when no row matches; and whatever the gateway answered.
package orm
