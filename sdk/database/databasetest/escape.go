package databasetest

import (
	"fmt"
	"testing"

	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// escapeReads are queries namespace b may try to read a's table with.
// Each must be refused (invalid or forbidden) or answer from b's own
// tables only. See peers.expand for the placeholders.
var escapeReads = []string{
	`SELECT * FROM "{P}"`,
	"SELECT * FROM [{P}]",
	"SELECT * FROM `{P}`",
	`SELECT * FROM '{P}'`,
	`SELECT * FROM {P}`,
	`SELECT * FROM "{PU}"`,
	`SELECT * FROM {PU}`,
	`SELECT * FROM"{P}"`,
	`SELECT * FROM /* comment */ "{P}"`,
	`SELECT * FROM main."{P}"`,
	`SELECT * FROM "main"."{P}"`,
	`SELECT * FROM main.items`,
	`SELECT * FROM temp."{P}"`,
	`SELECT * FROM {A}.items`,
	`SELECT * FROM "{A}".items`,
	`SELECT * FROM "{A}"."items"`,
	`SELECT * FROM "{P}" AS items`,
	`SELECT * FROM "{AV}"`,
	`SELECT note FROM items UNION ALL SELECT note FROM "{P}"`,
	`SELECT (SELECT note FROM "{P}" LIMIT 1)`,
	`SELECT * FROM (SELECT * FROM "{P}")`,
	`SELECT * FROM items JOIN "{P}" ON 1`,
	`SELECT * FROM items, "{P}"`,
	`SELECT * FROM items WHERE id IN (SELECT id FROM "{P}") UNION SELECT id, note FROM "{P}"`,
	`WITH x AS (SELECT * FROM "{P}") SELECT * FROM x`,
	`WITH items AS (SELECT * FROM "{P}") SELECT * FROM items`,
	`WITH RECURSIVE r(n) AS (SELECT 1) SELECT note FROM "{P}", r`,
	`SELECT group_concat(note) FROM "{P}"`,
	`SELECT * FROM sqlite_master`,
	`SELECT * FROM sqlite_schema`,
	`SELECT * FROM main.sqlite_master`,
	`SELECT * FROM "sqlite_master"`,
	`SELECT * FROM SQLITE_MASTER`,
	`SELECT * FROM sqlite_temp_master`,
	`SELECT * FROM temp.sqlite_master`,
	`SELECT * FROM sqlite_sequence`,
	`SELECT * FROM sqlite_dbpage`,
	`SELECT name, sql FROM sqlite_master WHERE name LIKE '%items%'`,
	`SELECT * FROM pragma_table_list`,
	`SELECT * FROM pragma_table_info('items')`,
	`SELECT * FROM pragma_table_info('{P}')`,
	`SELECT * FROM pragma_table_xinfo('{P}')`,
	`SELECT * FROM pragma_index_list('{P}')`,
	`SELECT * FROM pragma_index_info('{AI}')`,
	`PRAGMA table_info("{P}")`,
	`PRAGMA table_list`,
	`PRAGMA index_list("{P}")`,
}

func testEscapeReads(t *testing.T, db database.Database) {
	ctx := t.Context()
	p := setupPeers(t, db)
	for _, tmpl := range escapeReads {
		sql := p.expand(tmpl)
		rows, err := db.Query(ctx, p.b, stmt(sql))
		p.wantNoLeak(t, "Query("+tmpl+")", rows, err)

		res, err := db.Transaction(ctx, p.b, []database.Op{queryOp(sql)}, true)
		if err == nil && len(res) != 1 {
			t.Errorf("Transaction(%s): %d results, want 1", tmpl, len(res))
			continue
		}
		var txRows *database.Rows
		if err == nil {
			txRows = res[0].Rows
		}
		p.wantNoLeak(t, "Transaction("+tmpl+")", txRows, err)
	}
	p.wantAIntact(t, db, [][]database.Value{{p.secret, int64(1)}})
}

// escapeWrites are statements namespace b may try to change a's table
// with. Each must be refused or leave a's tables as they were.
var escapeWrites = []string{
	`INSERT INTO "{P}" (note) VALUES ('from b')`,
	`INSERT INTO {P} (note) VALUES ('from b')`,
	`INSERT INTO "{PU}" (note) VALUES ('from b')`,
	`INSERT INTO main."{P}" (note) VALUES ('from b')`,
	`INSERT INTO "{A}".items (note) VALUES ('from b')`,
	`REPLACE INTO "{P}" (id, note) VALUES (1, 'from b')`,
	`UPDATE "{P}" SET note = 'from b'`,
	`UPDATE [{P}] SET note = 'from b'`,
	"DELETE FROM `{P}`",
	`DELETE FROM "{P}"`,
	`DELETE FROM "{A}".items`,
	`DELETE FROM items WHERE id IN (SELECT id FROM "{P}")`,
	`INSERT INTO items (note) SELECT note FROM "{P}"`,
	`ALTER TABLE "{P}" ADD COLUMN z`,
	`ALTER TABLE "{P}" RENAME TO stolen`,
	`CREATE INDEX stolen_idx ON "{P}" (note)`,
	`DROP INDEX "{AI}"`,
	`DROP VIEW "{AV}"`,
	`DROP TABLE IF EXISTS "{P}"`,
	`DROP TABLE "{P}"`,
	`DROP TABLE {A}.items`,
}

// sqliteWrites touch SQLite's own tables; each must be refused.
var sqliteWrites = []string{
	`DELETE FROM sqlite_sequence`,
	`UPDATE sqlite_sequence SET seq = 0`,
	`UPDATE sqlite_master SET sql = sql`,
	`DELETE FROM sqlite_schema WHERE 0`,
	`DROP TABLE sqlite_sequence`,
	`CREATE TABLE sqlite_own (x)`,
}

func testEscapeWrites(t *testing.T, db database.Database) {
	ctx := t.Context()
	p := setupPeers(t, db)
	for _, tmpl := range escapeWrites {
		sql := p.expand(tmpl)
		_, err := db.Exec(ctx, p.b, stmt(sql))
		p.wantNoLeak(t, "Exec("+tmpl+")", nil, err)
		_, err = db.Transaction(ctx, p.b, []database.Op{execOp("INSERT INTO items (note) VALUES ('tx')"), execOp(sql)}, false)
		p.wantNoLeak(t, "Transaction(…, "+tmpl+")", nil, err)
	}
	for _, sql := range sqliteWrites {
		_, err := db.Exec(ctx, p.b, stmt(sql))
		plugintest.WantCode(t, err, "Exec("+sql+")", refused...)
	}
	if err := db.DropTable(ctx, p.b, physical(p.a, "items")); err == nil {
		t.Errorf("DropTable(%s) in b succeeded", physical(p.a, "items"))
	}
	p.wantAIntact(t, db, [][]database.Value{{p.secret, int64(1)}})
	// Whatever b's table is called now, nothing of a's is in it.
	for _, name := range []string{"items", "stolen"} {
		rows, err := db.Query(ctx, p.b, stmt("SELECT * FROM "+name))
		if err == nil {
			p.wantNoLeak(t, "b's "+name+" after the escapes", rows, nil)
		}
	}
	p.wantSchemaClean(t, db)
}

// escapeObjects are views, tables and triggers b may create to reach a's
// table. Each must be refused, or harmless: reading b's objects shows
// nothing of a's, and a's writes neither fail nor reach b.
var escapeObjects = []struct{ create, read string }{
	{`CREATE VIEW leak_view AS SELECT * FROM "{P}"`, `SELECT * FROM leak_view`},
	{`CREATE VIEW leak_view2 AS SELECT * FROM "{A}".items`, `SELECT * FROM leak_view2`},
	{`CREATE TEMP VIEW leak_temp_view AS SELECT * FROM "{P}"`, `SELECT * FROM leak_temp_view`},
	{`CREATE TEMP TABLE leak_temp_table AS SELECT * FROM "{P}"`, `SELECT * FROM leak_temp_table`},
	{`CREATE TABLE leak_table AS SELECT * FROM "{P}"`, `SELECT * FROM leak_table`},
	{`CREATE TRIGGER leak_copy AFTER INSERT ON items BEGIN INSERT INTO items (note) SELECT note FROM "{P}"; END`, ""},
	{`CREATE TRIGGER leak_wipe AFTER INSERT ON items BEGIN DELETE FROM "{P}"; UPDATE "{P}" SET note = 'x'; END`, ""},
	{`CREATE TRIGGER leak_watch AFTER INSERT ON "{P}" BEGIN INSERT INTO items (note) VALUES (new.note); END`, ""},
	{`CREATE TEMP TRIGGER leak_temp_watch AFTER INSERT ON "{P}" BEGIN INSERT INTO items (note) VALUES (new.note); END`, ""},
	{`CREATE TRIGGER leak_main_watch AFTER INSERT ON main."{P}" BEGIN SELECT 1; END`, ""},
}

func testEscapeViewsAndTriggers(t *testing.T, db database.Database) {
	ctx := t.Context()
	p := setupPeers(t, db)
	for _, o := range escapeObjects {
		_, err := db.Exec(ctx, p.b, stmt(p.expand(o.create)))
		p.wantNoLeak(t, "Exec("+o.create+")", nil, err)
	}
	// Fire b's triggers (whatever they do, it stays in b), then a's.
	_, _ = db.Exec(ctx, p.b, stmt("INSERT INTO items (note) VALUES ('fires b')"))
	secret2 := fmt.Sprintf("second_secret_of_a_%s_%d", plugintest.RunID(), plugintest.Seq())
	if _, err := db.Exec(ctx, p.a, stmt("INSERT INTO items (note, "+p.colA+") VALUES (?, 2)", secret2)); err != nil {
		t.Errorf("a's insert after b made its objects: %v", err)
	}
	p.wantAIntact(t, db, [][]database.Value{{p.secret, int64(1)}, {secret2, int64(2)}})

	reads := []string{"SELECT * FROM items"}
	for _, o := range escapeObjects {
		if o.read != "" {
			reads = append(reads, o.read)
		}
	}
	for _, sql := range reads {
		rows, err := db.Query(ctx, p.b, stmt(sql))
		if err == nil {
			p.wantNoLeak(t, sql+" after the escapes", rows, nil, secret2)
		}
	}
	p.wantSchemaClean(t, db, secret2)
}
