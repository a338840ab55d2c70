package nsql

import (
	"fmt"
	"sync"
	"testing"
)

// One row per allowed statement kind and construct: what Rewrite writes
// for namespace "ns". Every output must also be valid SQLite (checked in
// the sandbox, which only prepares).
var golden = []struct {
	in, out, kind string
	readOnly      bool
}{
	{"SELECT * FROM items WHERE id = ?",
		"SELECT * FROM \"ns$items\" AS \"items\" WHERE `id` = ?", "select", true},
	{"select name from items where id = :id and tag = @tag or price > $p",
		"SELECT `name` FROM \"ns$items\" AS \"items\" WHERE `id` = :id AND `tag` = @tag OR `price` > $p", "select", true},
	{"SELECT items.name, count(*) FROM items JOIN tags ON tags.item = items.id",
		"SELECT \"items\".\"name\", \"count\"(*) AS \"count(*)\" FROM \"ns$items\" AS \"items\" JOIN \"ns$tags\" AS \"tags\" ON \"tags\".\"item\" = \"items\".\"id\"", "select", true},
	{"SELECT i.name FROM items AS i LEFT OUTER JOIN tags t USING (id) NATURAL JOIN x, y CROSS JOIN z",
		"SELECT \"i\".\"name\" FROM \"ns$items\" AS \"i\" LEFT OUTER JOIN \"ns$tags\" AS \"t\" USING (\"id\") NATURAL JOIN \"ns$x\" AS \"x\", \"ns$y\" AS \"y\" CROSS JOIN \"ns$z\" AS \"z\"", "select", true},
	{"SELECT * FROM (SELECT a FROM t) AS s, (u JOIN v ON u.id = v.id)",
		"SELECT * FROM (SELECT `a` FROM \"ns$t\" AS \"t\") AS \"s\", (\"ns$u\" AS \"u\" JOIN \"ns$v\" AS \"v\" ON \"u\".\"id\" = \"v\".\"id\")", "select", true},
	{"SELECT * FROM items INDEXED BY items_name WHERE id IN (1, 2) AND name NOT IN (SELECT n FROM t)",
		"SELECT * FROM \"ns$items\" AS \"items\" INDEXED BY \"ns$items_name\" WHERE `id` IN (1, 2) AND `name` NOT IN (SELECT `n` FROM \"ns$t\" AS \"t\")", "select", true},
	{"WITH x AS (SELECT * FROM items) SELECT * FROM x",
		"WITH \"ns$x\" AS (SELECT * FROM \"ns$items\" AS \"items\") SELECT * FROM \"ns$x\" AS \"x\"", "select", true},
	{"WITH RECURSIVE c(n) AS NOT MATERIALIZED (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 9) SELECT n FROM c",
		"WITH RECURSIVE \"ns$c\" (\"n\") AS NOT MATERIALIZED (SELECT 1 AS \"1\" UNION ALL SELECT `n` + 1 FROM \"ns$c\" AS \"c\" WHERE `n` < 9) SELECT `n` FROM \"ns$c\" AS \"c\"", "select", true},
	{"SELECT a FROM t UNION ALL SELECT b FROM u ORDER BY 1 LIMIT 5 OFFSET 2",
		"SELECT `a` FROM \"ns$t\" AS \"t\" UNION ALL SELECT `b` FROM \"ns$u\" AS \"u\" ORDER BY 1 LIMIT 5 OFFSET 2", "select", true},
	{"SELECT a FROM t INTERSECT SELECT b FROM u EXCEPT VALUES (1)",
		"SELECT `a` FROM \"ns$t\" AS \"t\" INTERSECT SELECT `b` FROM \"ns$u\" AS \"u\" EXCEPT VALUES (1)", "select", true},
	{"SELECT sum(x) OVER (PARTITION BY y ORDER BY z ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t",
		"SELECT \"sum\"(`x`) OVER (PARTITION BY `y` ORDER BY `z` ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS \"sum(x) OVER (PARTITION BY y ORDER BY z ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)\" FROM \"ns$t\" AS \"t\"", "select", true},
	{"SELECT count(*) FILTER (WHERE x > 1) OVER w, x AS y FROM t WINDOW w AS (ORDER BY x GROUPS UNBOUNDED PRECEDING EXCLUDE TIES)",
		"SELECT \"count\"(*) FILTER (WHERE `x` > 1) OVER \"w\" AS \"count(*) FILTER (WHERE x > 1) OVER w\", `x` AS \"y\" FROM \"ns$t\" AS \"t\" WINDOW \"w\" AS (ORDER BY `x` GROUPS UNBOUNDED PRECEDING EXCLUDE TIES)", "select", true},
	{"SELECT CASE x WHEN 1 THEN 'a' ELSE 'b' END, CAST(x AS VARCHAR(10)), x COLLATE NOCASE, NOT EXISTS (SELECT 1), x BETWEEN 1 AND 2 FROM t",
		"SELECT CASE `x` WHEN 1 THEN 'a' ELSE 'b' END AS \"CASE x WHEN 1 THEN 'a' ELSE 'b' END\", CAST(`x` AS VARCHAR(10)) AS \"CAST(x AS VARCHAR(10))\", `x` COLLATE \"NOCASE\" AS \"x COLLATE NOCASE\", NOT EXISTS (SELECT 1) AS \"NOT EXISTS (SELECT 1)\", `x` BETWEEN 1 AND 2 AS \"x BETWEEN 1 AND 2\" FROM \"ns$t\" AS \"t\"", "select", true},
	{"SELECT \"quoted\", `ticked`, bare, CURRENT_TIMESTAMP, x'AB', 'it''s', -1.5e3, NULL, TRUE FROM t",
		"SELECT \"quoted\", `ticked`, `bare`, CURRENT_TIMESTAMP AS \"CURRENT_TIMESTAMP\", x'AB' AS \"x'AB'\", 'it''s' AS \"'it''s'\", - 1.5e3 AS \"-1.5e3\", NULL AS \"NULL\", TRUE AS \"TRUE\" FROM \"ns$t\" AS \"t\"", "select", true},
	{"SELECT * FROM json_each(?) AS j WHERE j.value > 0",
		"SELECT * FROM \"json_each\"(?) AS \"j\" WHERE \"j\".\"value\" > 0", "select", true},
	{"SELECT * FROM t LIMIT 10, 20",
		"SELECT * FROM \"ns$t\" AS \"t\" LIMIT 10, 20", "select", true},
	{"VALUES (1, 2), (3, 4)",
		"VALUES (1, 2), (3, 4)", "select", true},
	{"INSERT INTO items (a,b) VALUES (1,2) ON CONFLICT(a) DO UPDATE SET b = excluded.b RETURNING id",
		"INSERT INTO \"ns$items\" AS \"items\" (\"a\", \"b\") VALUES (1, 2) ON CONFLICT (`a`) DO UPDATE SET \"b\" = \"excluded\".\"b\" RETURNING `id`", "insert", false},
	{"INSERT OR REPLACE INTO items SELECT * FROM other WHERE true",
		"INSERT OR REPLACE INTO \"ns$items\" AS \"items\" SELECT * FROM \"ns$other\" AS \"other\" WHERE TRUE", "insert", false},
	{"INSERT INTO items AS i (a) VALUES (1) ON CONFLICT DO NOTHING",
		"INSERT INTO \"ns$items\" AS \"i\" (\"a\") VALUES (1) ON CONFLICT DO NOTHING", "insert", false},
	{"REPLACE INTO items DEFAULT VALUES",
		"REPLACE INTO \"ns$items\" AS \"items\" DEFAULT VALUES", "insert", false},
	{"WITH s AS (SELECT 1) INSERT INTO t SELECT * FROM s",
		"WITH \"ns$s\" AS (SELECT 1 AS \"1\") INSERT INTO \"ns$t\" AS \"t\" SELECT * FROM \"ns$s\" AS \"s\"", "insert", false},
	{"UPDATE items SET n = n + 1 FROM other o WHERE o.id = items.id",
		"UPDATE \"ns$items\" AS \"items\" SET \"n\" = `n` + 1 FROM \"ns$other\" AS \"o\" WHERE \"o\".\"id\" = \"items\".\"id\"", "update", false},
	{"UPDATE OR IGNORE items AS i SET (a, b) = (1, 2) WHERE i.id = 3 RETURNING a + b",
		"UPDATE OR IGNORE \"ns$items\" AS \"i\" SET (\"a\", \"b\") = (1, 2) WHERE \"i\".\"id\" = 3 RETURNING `a` + `b` AS \"a + b\"", "update", false},
	{"DELETE FROM items WHERE id IN tags RETURNING *",
		"DELETE FROM \"ns$items\" AS \"items\" WHERE `id` IN \"ns$tags\" RETURNING *", "delete", false},
	{"DELETE FROM items AS i WHERE i.id = 1",
		"DELETE FROM \"ns$items\" AS \"i\" WHERE \"i\".\"id\" = 1", "delete", false},
	{"CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT CHECK (x <> ''), FOREIGN KEY (x) REFERENCES u (y))",
		"CREATE TABLE \"ns$t\" (\"id\" INTEGER PRIMARY KEY, \"x\" TEXT CONSTRAINT \"x <> ''\" CHECK (`x` != ''), FOREIGN KEY (\"x\") REFERENCES \"ns$u\" (\"y\"))", "create_table", false},
	{"CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY AUTOINCREMENT, n TEXT NOT NULL UNIQUE COLLATE NOCASE DEFAULT 'x', g INT GENERATED ALWAYS AS (id * 2) STORED, r REFERENCES o (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED, CONSTRAINT pk UNIQUE (n, g)) WITHOUT ROWID, STRICT",
		"CREATE TABLE IF NOT EXISTS \"ns$t\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"n\" TEXT NOT NULL UNIQUE COLLATE \"NOCASE\" DEFAULT 'x', \"g\" INT GENERATED ALWAYS AS (`id` * 2) STORED, \"r\" REFERENCES \"ns$o\" (\"id\") ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED, CONSTRAINT \"pk\" UNIQUE (`n`, `g`)) WITHOUT ROWID, STRICT", "create_table", false},
	{"CREATE TABLE t2 AS SELECT a, b + 1 FROM t",
		"CREATE TABLE \"ns$t2\" AS SELECT `a`, `b` + 1 AS \"b + 1\" FROM \"ns$t\" AS \"t\"", "create_table", false},
	{"CREATE UNIQUE INDEX IF NOT EXISTS i ON t (lower(x)) WHERE x IS NOT NULL",
		"CREATE UNIQUE INDEX IF NOT EXISTS \"ns$i\" ON \"ns$t\" (\"lower\"(`x`)) WHERE `x` IS NOT NULL", "create_index", false},
	{"CREATE VIEW IF NOT EXISTS v (a, b) AS SELECT x, y FROM t",
		"CREATE VIEW IF NOT EXISTS \"ns$v\" (\"a\", \"b\") AS SELECT `x`, `y` FROM \"ns$t\" AS \"t\"", "create_view", false},
	{"CREATE TRIGGER tr BEFORE DELETE ON t FOR EACH ROW WHEN OLD.id > 0 BEGIN DELETE FROM u WHERE u.t = OLD.id; END",
		"CREATE TRIGGER \"ns$tr\" BEFORE DELETE ON \"ns$t\" FOR EACH ROW WHEN \"OLD\".\"id\" > 0 BEGIN DELETE FROM \"ns$u\" WHERE \"ns$u\".\"t\" = \"OLD\".\"id\"; END", "create_trigger", false},
	{"CREATE TRIGGER IF NOT EXISTS tr INSTEAD OF UPDATE OF a, b ON v BEGIN UPDATE t SET a = NEW.a WHERE t.id = (SELECT t.id FROM t AS t2 WHERE t2.id = t.id); INSERT INTO log VALUES (t.x); SELECT RAISE(IGNORE); END",
		"CREATE TRIGGER IF NOT EXISTS \"ns$tr\" INSTEAD OF UPDATE OF \"a\", \"b\" ON \"ns$v\" BEGIN UPDATE \"ns$t\" SET \"a\" = \"NEW\".\"a\" WHERE \"ns$t\".\"id\" = (SELECT \"ns$t\".\"id\" FROM \"ns$t\" AS \"t2\" WHERE \"t2\".\"id\" = \"ns$t\".\"id\"); INSERT INTO \"ns$log\" VALUES (\"t\".\"x\"); SELECT RAISE(IGNORE); END", "create_trigger", false},
	{"DROP TABLE IF EXISTS t",
		"DROP TABLE IF EXISTS \"ns$t\"", "drop_table", false},
	{"DROP INDEX IF EXISTS i",
		"DROP INDEX IF EXISTS \"ns$i\"", "drop_index", false},
	{"DROP VIEW v",
		"DROP VIEW \"ns$v\"", "drop_view", false},
	{"DROP TRIGGER tr",
		"DROP TRIGGER \"ns$tr\"", "drop_trigger", false},
	{"ALTER TABLE t RENAME TO u",
		"ALTER TABLE \"ns$t\" RENAME TO \"ns$u\"", "alter_table", false},
	{"ALTER TABLE t RENAME COLUMN a TO b",
		"ALTER TABLE \"ns$t\" RENAME COLUMN \"a\" TO \"b\"", "alter_table", false},
	{"ALTER TABLE t RENAME a TO b",
		"ALTER TABLE \"ns$t\" RENAME COLUMN \"a\" TO \"b\"", "alter_table", false},
	{"ALTER TABLE t ADD COLUMN z INT REFERENCES q(id)",
		"ALTER TABLE \"ns$t\" ADD COLUMN \"z\" INT REFERENCES \"ns$q\" (\"id\")", "alter_table", false},
	{"ALTER TABLE t ADD y CHECK (t.y > 0)",
		"ALTER TABLE \"ns$t\" ADD COLUMN \"y\" CONSTRAINT \"t.y > 0\" CHECK (\"ns$t\".\"y\" > 0)", "alter_table", false},
	{"ALTER TABLE t DROP COLUMN b",
		"ALTER TABLE \"ns$t\" DROP COLUMN \"b\"", "alter_table", false},
	{"PRAGMA table_info(items)",
		"PRAGMA table_info(\"ns$items\")", "pragma", true},
	{"PRAGMA table_xinfo('items')",
		"PRAGMA table_xinfo(\"ns$items\")", "pragma", true},
	{"PRAGMA index_list(items)",
		"PRAGMA index_list(\"ns$items\")", "pragma", true},
	{"PRAGMA index_info(i)",
		"PRAGMA index_info(\"ns$i\")", "pragma", true},
	{"PRAGMA index_xinfo(i)",
		"PRAGMA index_xinfo(\"ns$i\")", "pragma", true},
	{"PRAGMA foreign_key_list(\"items\")",
		"PRAGMA foreign_key_list(\"ns$items\")", "pragma", true},
}

func TestRewriteGolden(t *testing.T) {
	for _, g := range golden {
		st, err := Rewrite("ns", g.in)
		if err != nil {
			t.Errorf("%q: %v", g.in, err)
			continue
		}
		if st.SQL != g.out || st.Kind != g.kind || st.ReadOnly != g.readOnly {
			t.Errorf("%q:\n got  %q %q %v\n want %q %q %v", g.in, st.SQL, st.Kind, st.ReadOnly, g.out, g.kind, g.readOnly)
		}
		if msg, valid, ok := engineVerdict(st.SQL); !ok || !valid {
			t.Errorf("%q: output %q is not valid SQLite: %s", g.in, st.SQL, msg)
		}
	}
}

// Rewriting is stable: rewriting the logical form Display gives back
// yields the same SQL again.
func TestRewriteDisplayRoundTrip(t *testing.T) {
	for _, g := range golden {
		if g.kind == "pragma" {
			continue
		}
		back := Display("ns", g.out)
		st, err := Rewrite("ns", back)
		if err != nil {
			t.Errorf("%q: Display gave %q: %v", g.in, back, err)
			continue
		}
		if again := Display("ns", st.SQL); again != back {
			t.Errorf("%q: Display not stable:\n %q\n %q", g.in, back, again)
		}
	}
}

// Rewrite is called from many goroutines at once, the sandbox included.
func TestRewriteConcurrent(t *testing.T) {
	inputs := []string{`SELECT * FROM items WHERE id = ?`, `SELEC 1`, `SELECT * FROM t RIGHT JOIN u`,
		`SELECT 1 ORDER BY 1 UNION SELECT 2`, `INSERT INTO t VALUES (1)`, `SELECT * FROM sqlite_master`}
	want := make([]string, len(inputs))
	for i, q := range inputs {
		st, err := Rewrite("ns", q)
		want[i] = fmt.Sprint(st, err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := (g + i) % len(inputs)
				st, err := Rewrite("ns", inputs[k])
				if got := fmt.Sprint(st, err); got != want[k] {
					t.Errorf("%q: %s, want %s", inputs[k], got, want[k])
					return
				}
			}
		})
	}
	wg.Wait()
}
