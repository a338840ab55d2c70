package nsql

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// Rewriting must not change what a statement means. Each statement below
// runs as written on a database with plain names, and rewritten for
// namespace n on a database with n's physical names; both must return the
// same columns and rows (or both fail with the same message, once cleaned),
// and leave the same tables behind. The schema of the second database is
// itself created through Rewrite.

var schema = []string{
	`CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL DEFAULT 0, tag TEXT REFERENCES tags (tag))`,
	`CREATE TABLE tags (tag TEXT PRIMARY KEY, label TEXT)`,
	`CREATE TABLE fruits (tag TEXT)`,
	`CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, msg TEXT)`,
	`CREATE INDEX items_name ON items (name)`,
	`CREATE UNIQUE INDEX tags_label ON tags (label) WHERE label IS NOT NULL`,
	`CREATE VIEW expensive AS SELECT id, name, price * 2 FROM items WHERE price > 1`,
	`CREATE TRIGGER items_log AFTER INSERT ON items BEGIN
		INSERT INTO log (msg) VALUES ('added ' || NEW.name);
		UPDATE log SET msg = upper(log.msg) WHERE log.id = (SELECT max(log.id) FROM log);
	END`,
	`INSERT INTO tags VALUES ('f', 'fruit'), ('v', 'veg'), ('x', NULL)`,
	`INSERT INTO fruits VALUES ('f')`,
	`INSERT INTO items (name, price, tag) VALUES ('apple', 1.5, 'f'), ('pear', 2, 'f'), ('leek', 0.5, 'v'), ('rock', NULL, NULL)`,
}

var sameMeaning = []string{
	// SELECT
	`SELECT * FROM items ORDER BY id`,
	`SELECT items.name, tags.label FROM items JOIN tags ON items.tag = tags.tag ORDER BY 1`,
	`SELECT i.name, t.label FROM items i LEFT JOIN tags t ON i.tag = t.tag ORDER BY i.id`,
	`SELECT a.name, b.name, t.label FROM items a JOIN items b ON a.tag = b.tag LEFT JOIN tags t ON b.tag = t.tag AND t.label = 'veg' ORDER BY 1, 2`,
	`SELECT a.name, t.label, f.tag FROM items a LEFT JOIN tags t ON a.tag = t.tag LEFT OUTER JOIN fruits f ON f.tag = t.tag CROSS JOIN tags u ORDER BY 1, 2, 3`,
	`SELECT * FROM items, tags WHERE items.tag = tags.tag ORDER BY items.id`,
	`SELECT name FROM items NATURAL JOIN fruits ORDER BY 1`,
	`SELECT name, label FROM items JOIN tags USING (tag) ORDER BY 1`,
	`SELECT * FROM (items JOIN tags ON items.tag = tags.tag) ORDER BY 1`,
	`SELECT count(*), sum(price), avg(price), total(price) FROM items`,
	`SELECT tag, count(*) AS n FROM items GROUP BY tag HAVING count(*) > 0 ORDER BY tag`,
	`SELECT name FROM items WHERE tag IN (SELECT tag FROM tags WHERE label = 'fruit') ORDER BY name`,
	`SELECT name FROM items WHERE tag IN fruits ORDER BY name`,
	`SELECT name FROM items WHERE tag NOT IN fruits ORDER BY name`,
	`SELECT name FROM items WHERE tag IN ('v', 'x') ORDER BY name`,
	`SELECT name FROM items WHERE EXISTS (SELECT 1 FROM tags WHERE tags.tag = items.tag) ORDER BY 1`,
	`SELECT name FROM items WHERE NOT EXISTS (SELECT 1 FROM fruits WHERE fruits.tag = items.tag) ORDER BY 1`,
	`SELECT name, (SELECT label FROM tags WHERE tags.tag = items.tag) FROM items ORDER BY id`,
	`WITH f AS (SELECT * FROM items WHERE tag = 'f') SELECT name FROM f ORDER BY name`,
	`WITH f(n) AS (SELECT name FROM items) SELECT f.n FROM f ORDER BY 1`,
	`WITH items AS (SELECT 'shadow' AS name) SELECT name FROM items`,
	// A CTE shadows a table of its name only inside its own scope.
	`WITH a AS (WITH items AS (SELECT 'inner' AS name) SELECT name FROM items) SELECT a.name, (SELECT count(*) FROM items) FROM a`,
	`WITH tags AS (SELECT 'f' AS tag) SELECT name FROM items WHERE tag IN tags AND EXISTS (SELECT 1 FROM tags) ORDER BY 1`,
	`WITH x AS (SELECT tag FROM fruits), y AS (SELECT * FROM x) SELECT name FROM items WHERE tag IN y ORDER BY 1`,
	`WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5) SELECT sum(n) FROM c`,
	`WITH t AS MATERIALIZED (SELECT 1 AS one) SELECT * FROM t`,
	`SELECT name FROM items UNION SELECT label FROM tags ORDER BY 1`,
	`SELECT name FROM items UNION ALL SELECT label FROM tags UNION SELECT 'z' ORDER BY 1 LIMIT 3`,
	`SELECT name FROM items INTERSECT SELECT name FROM items WHERE price > 1 ORDER BY 1 DESC`,
	`SELECT name FROM items EXCEPT SELECT name FROM items WHERE price > 1 ORDER BY 1`,
	`SELECT name, row_number() OVER (ORDER BY price DESC) FROM items ORDER BY 1`,
	`SELECT name, sum(price) OVER w FROM items WINDOW w AS (PARTITION BY tag ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) ORDER BY id`,
	`SELECT name, avg(price) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) FROM items ORDER BY id`,
	`SELECT name, count(*) OVER (ORDER BY id RANGE UNBOUNDED PRECEDING) FROM items ORDER BY id`,
	`SELECT * FROM expensive ORDER BY 1`,
	`SELECT expensive.name FROM expensive ORDER BY 1`,
	`SELECT id, price * 2, NOT price > 1, - -price, -price, +price, ~id, price IS NULL, price NOT NULL, price ISNULL, price NOTNULL,
		CAST(price AS INTEGER), CASE WHEN price > 1 THEN 'hi' WHEN price IS NULL THEN 'none' ELSE 'lo' END,
		CASE tag WHEN 'f' THEN 1 END, price IS NOT NULL, tag IS 'f', tag IS NOT 'f', name || '!', id % 2, id << 2, id & 1, id | 4
	 FROM items ORDER BY id`,
	`SELECT NOT 1 = 2, NOT NULL IS NULL, 1 + 2 * 3, (1 + 2) * 3, 1 < 2 = 1, 5 BETWEEN 1 AND 10 AND 1`,
	`SELECT name FROM items ORDER BY id LIMIT 2, 1`,
	`SELECT name FROM items ORDER BY id LIMIT 1 OFFSET 2`,
	`SELECT name COLLATE NOCASE AS n FROM items WHERE name LIKE 'A%' ESCAPE '\' OR name GLOB 'p*' ORDER BY 1`,
	`SELECT name FROM items WHERE name NOT LIKE '%e%' ORDER BY 1`,
	`SELECT * FROM (SELECT name, price FROM items) AS s WHERE s.price > 1 ORDER BY 1`,
	`SELECT * FROM (SELECT name, price * 2 FROM items) ORDER BY 1`,
	`SELECT * FROM json_each('[1,2,3]') ORDER BY key`,
	`SELECT x.value, items.name FROM items, json_each('[10]') AS x ORDER BY items.id`,
	`SELECT json_each.value FROM json_each('[7]')`,
	`SELECT DISTINCT tag FROM items ORDER BY tag NULLS LAST`,
	`SELECT ALL tag FROM items ORDER BY tag DESC NULLS FIRST`,
	`VALUES (1, 'a'), (2, 'b')`,
	`SELECT CURRENT_DATE IS NOT NULL, current_timestamp IS NOT NULL, CURRENT_TIME IS NOT NULL`,
	`SELECT name FROM items WHERE price BETWEEN 1 AND 2 ORDER BY 1`,
	`SELECT name FROM items WHERE price NOT BETWEEN 1 AND 2 ORDER BY 1`,
	`SELECT group_concat(name, ',') FILTER (WHERE price > 1) FROM items`,
	`SELECT count(DISTINCT tag) FROM items`,
	`SELECT max(price) FROM items WHERE tag NOT IN ('v')`,
	`SELECT rowid, * FROM items ORDER BY 1`,
	`SELECT items.* FROM items ORDER BY id`,
	`SELECT "name" FROM "items" ORDER BY 1`,
	"SELECT `name` FROM `items` ORDER BY 1",
	`SELECT Name FROM ITEMS ORDER BY 1`,
	`SELECT ITEMS.NAME FROM items ORDER BY 1`,
	`SELECT (name), ((price)) FROM items ORDER BY 1`,
	`SELECT name AS "a b", price p FROM items ORDER BY 1`,
	`SELECT 'it''s', x'0102', 1.5e3, 0x10, .5, NULL, TRUE, FALSE`,
	`SELECT price  +  1 /* why */ , price-1--trailing
	 FROM items ORDER BY 1`,
	`SELECT ?1 + 1`, // no argument bound: NULL
	`SELECT json_extract('{"a":1}', '$.a'), '{"a":2}' -> '$.a', '{"a":3}' ->> '$.a'`,
	`SELECT name FROM items INDEXED BY items_name WHERE name > 'b' ORDER BY 1`,
	`SELECT name FROM items NOT INDEXED ORDER BY 1`,
	`SELECT nosuch FROM items`,
	`SELECT * FROM nosuch`,
	`SELECT name FROM items WHERE id = (SELECT max(id) FROM items)`,
	`PRAGMA table_info(items)`,
	`PRAGMA table_xinfo('tags')`,
	`PRAGMA foreign_key_list(items)`,
	`PRAGMA index_info(items_name)`,

	// Changes, each followed by a comparison of all tables.
	`INSERT INTO items (name, price, tag) VALUES ('fig', 3, 'f')`,
	`INSERT INTO items (name) SELECT label FROM tags WHERE label IS NOT NULL`,
	`INSERT INTO tags VALUES ('f', 'FRUIT') ON CONFLICT (tag) DO UPDATE SET label = excluded.label || tags.label WHERE tags.tag = 'f'`,
	`INSERT INTO tags AS t VALUES ('v', 'VEG') ON CONFLICT (tag) DO UPDATE SET label = t.label || '+'`,
	`INSERT INTO tags VALUES ('x', 'dup') ON CONFLICT DO NOTHING`,
	`INSERT OR IGNORE INTO tags VALUES ('f', 'dup')`,
	`REPLACE INTO tags VALUES ('v', 'vegetable')`,
	`INSERT INTO items (name, price) VALUES ('kiwi', 1) RETURNING id, name, price * 2`,
	`INSERT INTO items DEFAULT VALUES`,
	`INSERT INTO log (msg) VALUES ('plain')`,
	`UPDATE items SET price = price + 1 WHERE items.tag = 'f' RETURNING name, price`,
	`UPDATE items SET tag = t.tag FROM tags AS t WHERE t.label = 'vegetable' AND items.name = 'rock'`,
	`UPDATE items SET (name, price) = ('Rock', 9) WHERE name = 'rock'`,
	`UPDATE OR REPLACE tags SET label = 'x' WHERE tag = 'x'`,
	`WITH cheap AS (SELECT id FROM items WHERE price < 1) UPDATE items SET price = 1 WHERE id IN cheap`,
	`DELETE FROM items WHERE price IS NULL RETURNING *`,
	`DELETE FROM log WHERE id IN (SELECT id FROM log ORDER BY id LIMIT 1)`,
	`DELETE FROM items AS i WHERE i.name = 'kiwi'`,
	`WITH cheap AS (SELECT id FROM items WHERE price <= 1) DELETE FROM items WHERE id IN cheap`,
	`ALTER TABLE tags ADD COLUMN note TEXT DEFAULT 'n'`,
	`ALTER TABLE tags RENAME COLUMN note TO remark`,
	`ALTER TABLE tags ADD remark2 INT CHECK (remark2 > 0)`,
	`ALTER TABLE tags DROP COLUMN remark2`,
	`CREATE TABLE copy AS SELECT name, price * 2, upper(name) FROM items`,
	`SELECT * FROM copy ORDER BY 1`,
	`ALTER TABLE copy RENAME TO copy2`,
	`SELECT * FROM copy2 ORDER BY 1`,
	`CREATE TABLE IF NOT EXISTS copy2 (x)`,
	`CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB, n INTEGER GENERATED ALWAYS AS (length(v)) VIRTUAL, CHECK (kv.k <> '')) WITHOUT ROWID, STRICT`,
	`INSERT INTO kv (k, v) VALUES ('a', x'00ff')`,
	`INSERT INTO kv (k, v) VALUES ('', x'00')`,
	`SELECT * FROM kv`,
	`CREATE TABLE parent (id INTEGER PRIMARY KEY)`,
	`CREATE TABLE child (id INTEGER, pid INTEGER, CONSTRAINT fk FOREIGN KEY (pid) REFERENCES parent (id) ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED, UNIQUE (id, pid))`,
	`PRAGMA foreign_key_list(child)`,
	`CREATE INDEX IF NOT EXISTS child_expr ON child (pid * 2 DESC, lower(id))`,
	`CREATE TRIGGER child_guard BEFORE UPDATE OF pid ON child FOR EACH ROW WHEN NEW.pid < 0 BEGIN SELECT RAISE(ABORT, 'negative'); END`,
	`INSERT INTO child VALUES (1, 1)`,
	`UPDATE child SET pid = -1`,
	`CREATE VIEW pairs (a, b) AS SELECT child.id, parent.id FROM child LEFT JOIN parent ON parent.id = child.pid`,
	`SELECT * FROM pairs`,
	`CREATE TRIGGER pairs_ins INSTEAD OF INSERT ON pairs BEGIN INSERT INTO parent VALUES (NEW.b); INSERT OR IGNORE INTO child (id, pid) SELECT NEW.a, NEW.b; DELETE FROM log WHERE log.msg = 'plain'; END`,
	`INSERT INTO pairs VALUES (5, 6)`,
	`SELECT * FROM pairs ORDER BY 1`,
	`INSERT INTO items (name, price) VALUES ('plum', 4)`, // fires items_log
	`DROP TRIGGER IF EXISTS pairs_ins`,
	`DROP VIEW expensive`,
	`DROP INDEX items_name`,
	`DROP TRIGGER items_log`,
	`DROP TABLE copy2`,
	`DROP TABLE IF EXISTS nosuch`,
	`DROP TABLE nosuch`,
}

func TestRewritePreservesMeaning(t *testing.T) {
	plain, ns := openTestDB(t), openTestDB(t)
	for _, q := range schema {
		plain.exec(q)
		st, err := Rewrite("n", q)
		if err != nil {
			t.Fatalf("schema %q: %v", q, err)
		}
		ns.exec(st.SQL)
	}
	for _, q := range sameMeaning {
		st, err := Rewrite("n", q)
		if err != nil {
			t.Errorf("%q: %v", q, err)
			continue
		}
		want, _, werr := plain.query(q)
		got, seen, gerr := ns.query(st.SQL)
		if st.Kind == "pragma" {
			// Their rows name tables and indexes physically; a driver
			// maps them back with Logical.
			for _, row := range got.rows {
				for i, v := range row {
					if s, ok := v.(string); ok {
						if l, ok := Logical("n", s); ok {
							row[i] = l
						}
					}
				}
			}
		}
		switch {
		case werr != nil || gerr != nil:
			wmsg, gmsg := errText(werr), errText(gerr)
			if gerr != nil {
				gmsg = CleanMessage("n", gmsg)
			}
			if wmsg != gmsg {
				t.Errorf("%q\n  as %q\n  error %q, want %q", q, st.SQL, gmsg, wmsg)
			}
		case !reflect.DeepEqual(got, want):
			t.Errorf("%q\n  as %q\n  got  %v\n  want %v", q, st.SQL, got, want)
		}
		if bad := foreign("n", st.Kind, seen); len(bad) > 0 {
			t.Errorf("%q touched %v", q, bad)
		}
		if g, w := dump(ns, "n"), dump(plain, ""); g != w {
			t.Fatalf("after %q tables differ:\n got %s\nwant %s", q, g, w)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// dump lists ns's tables with their columns and rows.
func dump(d *testDB, ns string) string {
	var b strings.Builder
	for _, name := range d.tables(ns) {
		phys := name
		if ns != "" {
			phys = Physical(ns, name)
		}
		cols, _, err := d.query(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(` + quoteString(phys) + `)`)
		if err != nil {
			d.t.Fatal(err)
		}
		rows, _, err := d.query(`SELECT * FROM ` + quoteIdent(phys))
		if err != nil {
			d.t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %v %v; ", name, cols.rows, rows)
	}
	return b.String()
}
