package databasetest

import (
	"testing"

	"github.com/orama-network/orama/sdk/database"
)

func testExecResult(t *testing.T, db database.Database) {
	ns := namespace(t, "exec")
	mustExec(t, db, ns, "CREATE TABLE ids (id INTEGER PRIMARY KEY, v TEXT)")
	steps := []struct {
		sql      string
		args     []database.Value
		affected int64
		lastID   int64 // checked when not 0 (after an insert)
	}{
		{"INSERT INTO ids (id, v) VALUES (10, 'a')", nil, 1, 10},
		{"INSERT INTO ids (v) VALUES (?)", []database.Value{"b"}, 1, 11},
		{"INSERT INTO ids (v) VALUES ('c'), ('d')", nil, 2, 13},
		{"INSERT INTO ids (id, v) VALUES (?, 'big')", []database.Value{int64(1<<53 + 1)}, 1, 1<<53 + 1},
		{"UPDATE ids SET v = 'z' WHERE id BETWEEN 12 AND 13", nil, 2, 0},
		{"UPDATE ids SET v = 'none' WHERE 0", nil, 0, 0},
		{"DELETE FROM ids WHERE id = ?", []database.Value{int64(10)}, 1, 0},
		{"INSERT OR IGNORE INTO ids (id, v) VALUES (11, 'dup')", nil, 0, 0},
		{"DELETE FROM ids", nil, 4, 0},
	}
	for _, s := range steps {
		res, err := db.Exec(t.Context(), ns, stmt(s.sql, s.args...))
		if err != nil {
			t.Fatalf("Exec(%s): %v", s.sql, err)
		}
		if res.RowsAffected != s.affected {
			t.Errorf("Exec(%s): RowsAffected %d, want %d", s.sql, res.RowsAffected, s.affected)
		}
		if s.lastID != 0 && res.LastInsertID != s.lastID {
			t.Errorf("Exec(%s): LastInsertID %d, want %d", s.sql, res.LastInsertID, s.lastID)
		}
	}
	if n := count(t, db, ns, "ids"); n != 0 {
		t.Errorf("%d rows left, want 0", n)
	}
}

func testQueryWithoutRows(t *testing.T, db database.Database) {
	ns := namespace(t, "norows")
	mustExec(t, db, ns, "CREATE TABLE empty (id INTEGER PRIMARY KEY, name TEXT, data BLOB)")
	rows := mustQuery(t, db, ns, "SELECT * FROM empty")
	wantRows(t, "SELECT * of an empty table", rows, []string{"id", "name", "data"}, nil)
	mustExec(t, db, ns, "INSERT INTO empty (name) VALUES ('x')")
	rows = mustQuery(t, db, ns, "SELECT name, id FROM empty WHERE id = ?", int64(-1))
	wantRows(t, "a WHERE that matches nothing", rows, []string{"name", "id"}, nil)
}

// Ordinary SQL works inside a namespace: joins, subqueries, CTEs,
// aggregates, foreign keys, UPSERT and DML with parameters.
func testFeatures(t *testing.T, db database.Database) {
	ns := namespace(t, "features")
	mustExec(t, db, ns, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)")
	mustExec(t, db, ns, "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), title TEXT)")
	mustExec(t, db, ns, "INSERT INTO users (id, name) VALUES (1, 'ann'), (2, 'bob'), (3, 'cy')")
	mustExec(t, db, ns, "INSERT INTO posts (user_id, title) VALUES (1, 'a1'), (1, 'a2'), (2, 'b1')")

	cases := []struct {
		name string
		sql  string
		args []database.Value
		want [][]database.Value
	}{
		{"join", "SELECT u.name, p.title FROM users AS u JOIN posts p ON p.user_id = u.id ORDER BY p.title", nil,
			[][]database.Value{{"ann", "a1"}, {"ann", "a2"}, {"bob", "b1"}}},
		{"left join and group by", "SELECT u.name, count(p.id) FROM users u LEFT JOIN posts p ON p.user_id = u.id GROUP BY u.name ORDER BY u.name", nil,
			[][]database.Value{{"ann", int64(2)}, {"bob", int64(1)}, {"cy", int64(0)}}},
		{"subquery", "SELECT name FROM users WHERE id IN (SELECT user_id FROM posts WHERE title LIKE ?) ORDER BY name", []database.Value{"b%"},
			[][]database.Value{{"bob"}}},
		{"derived table", "SELECT n FROM (SELECT count(*) AS n FROM posts)", nil, [][]database.Value{{int64(3)}}},
		{"cte", "WITH counts AS (SELECT user_id, count(*) AS n FROM posts GROUP BY user_id) SELECT users.name, counts.n FROM users JOIN counts ON counts.user_id = users.id ORDER BY users.name", nil,
			[][]database.Value{{"ann", int64(2)}, {"bob", int64(1)}}},
		{"recursive cte", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT x FROM c", nil,
			[][]database.Value{{int64(1)}, {int64(2)}, {int64(3)}}},
		{"cte named like a table", "WITH users AS (SELECT 'shadow' AS name) SELECT name FROM users", nil,
			[][]database.Value{{"shadow"}}},
		{"correlated subquery", "SELECT name, (SELECT count(*) FROM posts WHERE posts.user_id = users.id) FROM users WHERE id = ?", []database.Value{int64(1)},
			[][]database.Value{{"ann", int64(2)}}},
		{"functions", "SELECT upper(name), length(name), coalesce(NULL, ?), abs(-3) FROM users WHERE id = 3", []database.Value{"d"},
			[][]database.Value{{"CY", int64(2), "d", int64(3)}}},
		{"qualified column names", `SELECT "users"."name", users.id FROM "users" WHERE users.id = 2`, nil,
			[][]database.Value{{"bob", int64(2)}}},
	}
	for _, c := range cases {
		rows, err := db.Query(t.Context(), ns, stmt(c.sql, c.args...))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		wantRows(t, c.name, rows, nil, c.want)
	}

	mustExec(t, db, ns, "INSERT INTO users (id, name) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET id = id", int64(9), "ann")
	mustExec(t, db, ns, "UPDATE posts SET title = title || '!' WHERE user_id = (SELECT id FROM users WHERE name = ?)", "bob")
	wantRows(t, "after upsert and update", mustQuery(t, db, ns, "SELECT count(*), (SELECT title FROM posts WHERE user_id = 2) FROM users"),
		nil, [][]database.Value{{int64(3), "b1!"}})
}
