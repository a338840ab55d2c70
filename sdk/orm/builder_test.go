package orm_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
	"github.com/orama-network/orama/sdk/orm"
)

// stubConn is an orm.Conn that records statements and answers queries
// with rows.
type stubConn struct {
	rows  []map[string]any
	sqls  []string
	args  [][]any
	calls int
}

func (s *stubConn) Query(_ context.Context, q string, args ...any) (*client.QueryResult, error) {
	s.calls++
	s.sqls = append(s.sqls, q)
	s.args = append(s.args, args)
	return &client.QueryResult{Items: s.rows, Count: len(s.rows)}, nil
}

func (s *stubConn) Exec(_ context.Context, q string, args ...any) (client.ExecResult, error) {
	s.calls++
	s.sqls = append(s.sqls, q)
	s.args = append(s.args, args)
	return client.ExecResult{RowsAffected: 1}, nil
}

func (s *stubConn) Transaction(context.Context, []client.TxOp, bool) ([]client.TxResult, error) {
	s.calls++
	return nil, nil
}

func TestBuilderSQL(t *testing.T) {
	db := orm.New(&stubConn{})
	when := time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("", 3600))
	cases := []struct {
		name string
		b    *orm.Builder
		sql  string
		args []any
	}{
		{"all", db.Table("users"), "SELECT * FROM users", nil},
		{"from", db.From("users").Select("id", "name"), "SELECT id, name FROM users", nil},
		{"star forms", db.Table("users").Alias("u").Select("u.*", "*"), "SELECT u.*, * FROM users AS u", nil},
		{"column alias", db.Table("users").Select("users.id as user_id"), "SELECT users.id AS user_id FROM users", nil},
		{"where chain",
			db.Table("t").Where("a = ?", 1).AndWhere("b = ?", "x").OrWhere("c IS NULL"),
			"SELECT * FROM t WHERE (a = ?) AND (b = ?) OR (c IS NULL)", []any{int64(1), "x"}},
		{"joins",
			db.Table("users").Alias("u").InnerJoin("orders AS o", "o.user_id = u.id").LeftJoin("notes", "notes.user_id = u.id"),
			"SELECT * FROM users AS u INNER JOIN orders AS o ON o.user_id = u.id LEFT JOIN notes ON notes.user_id = u.id", nil},
		{"group order",
			db.Table("t").Select("kind").SelectExpr("COUNT(*) AS n").GroupBy("kind").OrderBy("kind desc", "t.id"),
			"SELECT kind, COUNT(*) AS n FROM t GROUP BY kind ORDER BY kind DESC, t.id", nil},
		{"limit offset", db.Table("t").Limit(5).Offset(10), "SELECT * FROM t LIMIT 5 OFFSET 10", nil},
		{"offset alone", db.Table("t").Offset(10), "SELECT * FROM t LIMIT -1 OFFSET 10", nil},
		{"limit zero", db.Table("t").Limit(0), "SELECT * FROM t LIMIT 0", nil},
		{"normalized args",
			db.Table("t").Where("at > ? AND n = ? AND p = ?", when, uint16(7), (*int)(nil)),
			"SELECT * FROM t WHERE (at > ? AND n = ? AND p = ?)", []any{"2024-01-02T02:04:05Z", int64(7), nil}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.b.Err(); err != nil {
				t.Fatal(err)
			}
			q, args := c.b.SQL()
			if q != c.sql || !reflect.DeepEqual(args, c.args) {
				t.Errorf("SQL() =\n %s %#v\nwant\n %s %#v", q, args, c.sql, c.args)
			}
		})
	}
}

func TestBuilderRefusals(t *testing.T) {
	db := orm.New(&stubConn{})
	cases := []struct {
		name string
		b    *orm.Builder
		want string
	}{
		{"table", db.Table("users; --"), "table name"},
		{"empty table", db.Table(""), "table name"},
		{"dotted table", db.Table("main.users"), "table name"},
		{"alias", db.Table("t").Alias("u x"), "alias"},
		{"select expression", db.Table("t").Select("COUNT(*)"), "select"},
		{"select injection", db.Table("t").Select("id FROM secrets --"), "select"},
		{"select leading digit", db.Table("t").Select("1a"), "select"},
		{"select three parts", db.Table("t").Select("a.b.c"), "select"},
		{"star alias", db.Table("t").Select("* AS x"), "select"},
		{"empty select expr", db.Table("t").SelectExpr(" "), "empty select"},
		{"where empty", db.Table("t").Where(""), "empty where"},
		{"where arg", db.Table("t").Where("a = ?", []int{1}), "unsupported type []int"},
		{"where uint64", db.Table("t").Where("a = ?", uint64(1<<63)), "does not fit"},
		{"join table", db.Table("t").InnerJoin("x y z", "1"), "join table"},
		{"join no on", db.Table("t").LeftJoin("x", " "), "no condition"},
		{"group by", db.Table("t").GroupBy("lower(name)"), "group by"},
		{"order by direction", db.Table("t").OrderBy("name sideways"), "order by"},
		{"order by expr", db.Table("t").OrderBy("random()"), "order by"},
		{"limit", db.Table("t").Limit(-1), "negative limit"},
		{"offset", db.Table("t").Offset(-1), "negative offset"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkInvalid(t, c.b.Err(), c.want)
			if q, args := c.b.SQL(); q != "" || args != nil {
				t.Errorf("SQL() = %q %v after a refusal, want empty", q, args)
			}
		})
	}
}

func TestBuilderRefusalSendsNothing(t *testing.T) {
	conn := &stubConn{}
	b := orm.New(conn).Table("t").Where("a = ?", 1).OrderBy("1; DROP TABLE t")
	var rows []map[string]any
	checkInvalid(t, b.GetMany(t.Context(), &rows), "order by")
	var row map[string]any
	checkInvalid(t, b.GetOne(t.Context(), &row), "order by")
	if conn.calls != 0 {
		t.Errorf("%d calls reached the connection", conn.calls)
	}
}

func TestBuilderKeepsFirstRefusal(t *testing.T) {
	b := orm.New(&stubConn{}).Table("t").Limit(-1).Alias("bad alias")
	checkInvalid(t, b.Err(), "negative limit")
}

func TestGetOneAddsLimitOne(t *testing.T) {
	conn := &stubConn{rows: []map[string]any{{"id": int64(4)}}}
	b := orm.New(conn).Table("t").Where("id > ?", 3).Limit(50)
	var v struct {
		ID int `db:"id"`
	}
	if err := b.GetOne(t.Context(), &v); err != nil {
		t.Fatal(err)
	}
	if want := "SELECT * FROM t WHERE (id > ?) LIMIT 1"; conn.sqls[0] != want {
		t.Errorf("sent %q, want %q", conn.sqls[0], want)
	}
	if v.ID != 4 {
		t.Errorf("scanned %+v", v)
	}
	if q, _ := b.SQL(); q != "SELECT * FROM t WHERE (id > ?) LIMIT 50" {
		t.Errorf("GetOne changed the builder: %s", q)
	}
}

func TestGetOneNotFound(t *testing.T) {
	var v struct{ ID int }
	err := orm.New(&stubConn{}).Table("t").GetOne(t.Context(), &v)
	if !isCode(err, sdk.CodeNotFound) {
		t.Errorf("GetOne on no rows: %v, want not_found", err)
	}
}

func TestGetManyChecksDestinationBeforeSending(t *testing.T) {
	conn := &stubConn{}
	var n []int
	checkInvalid(t, orm.New(conn).Table("t").GetMany(t.Context(), &n), "destination")
	checkInvalid(t, orm.New(conn).Table("t").GetOne(t.Context(), n), "destination")
	if conn.calls != 0 {
		t.Errorf("%d calls reached the connection", conn.calls)
	}
}

func TestGetManyAgainstSQLite(t *testing.T) {
	gw, db := startGateway(t)
	gw.mustExec(t, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, team TEXT)")
	gw.mustExec(t, "CREATE TABLE teams (name TEXT PRIMARY KEY, city TEXT)")
	gw.mustExec(t, "INSERT INTO users (name, team) VALUES ('ada', 'red'), ('bob', 'blue'), ('cy', NULL), ('di', 'red')")
	gw.mustExec(t, "INSERT INTO teams VALUES ('red', 'Oslo'), ('blue', 'Lima')")
	gw.served()

	type member struct {
		Name string  `db:"name"`
		City *string `db:"city"`
	}
	var got []member
	err := db.Table("users").Alias("u").Select("u.name", "t.city").
		LeftJoin("teams t", "t.name = u.team").
		Where("u.name <> ?", "bob").
		OrderBy("u.name").Limit(2).Offset(1).
		GetMany(t.Context(), &got)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "cy" || got[0].City != nil || got[1].Name != "di" || got[1].City == nil || *got[1].City != "Oslo" {
		t.Errorf("GetMany = %+v", got)
	}
	if p := gw.served(); !reflect.DeepEqual(p, []string{"/v1/rqlite/query"}) {
		t.Errorf("served %v, want one query", p)
	}

	var one member
	err = db.Table("users").Where("name = ?", "nobody").GetOne(t.Context(), &one)
	if !isCode(err, sdk.CodeNotFound) {
		t.Errorf("GetOne of no row: %v, want not_found", err)
	}

	err = db.Table("users").Select("nope").GetMany(t.Context(), &got)
	if !isCode(err, sdk.CodeInvalid) {
		t.Errorf("unknown column: %v, want the engine's invalid", err)
	}
}
