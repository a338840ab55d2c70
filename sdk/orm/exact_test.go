package orm_test

import (
	"math"
	"testing"

	"github.com/orama-network/orama/sdk/client"
	"github.com/orama-network/orama/sdk/orm"
)

// 2^53+1 is the first integer a float64 cannot hold: it must survive
// every path exactly (argument → gateway → SQLite → JSON → scanner).
const beyondFloat = int64(1<<53 + 1)

type big struct {
	ID int64  `db:"id,pk,auto"`
	N  int64  `db:"n"`
	U  uint64 `db:"u"`
}

func TestIntegersBeyondFloat64EndToEnd(t *testing.T) {
	gw, db := startGateway(t)
	gw.mustExec(t, "CREATE TABLE big (id INTEGER PRIMARY KEY, n INTEGER, u INTEGER)")
	repo := orm.NewRepository[big](db, "big")
	ctx := t.Context()

	first := big{ID: beyondFloat, N: beyondFloat, U: uint64(beyondFloat)}
	if err := repo.Insert(ctx, &first); err != nil {
		t.Fatal(err)
	}
	next := big{N: math.MaxInt64}
	if err := repo.Save(ctx, &next); err != nil {
		t.Fatal(err)
	}
	if next.ID != beyondFloat+1 {
		t.Errorf("last_insert_id set %d, want %d", next.ID, beyondFloat+1)
	}

	// The criterion only matches if the gateway bound it as the exact integer.
	got, err := repo.FindOne(ctx, map[string]any{"n": beyondFloat})
	if err != nil {
		t.Fatal(err)
	}
	if got != first {
		t.Errorf("FindOne = %+v, want %+v", got, first)
	}
	got, err = repo.FindOne(ctx, map[string]any{"n": int64(math.MaxInt64)})
	if err != nil || got.ID != beyondFloat+1 {
		t.Errorf("FindOne MaxInt64 = %+v, %v", got, err)
	}

	res, err := gw.client().Database().Query(ctx, "SELECT n, n - 1 AS below, ? AS echoed, ? AS min FROM big WHERE id = ?",
		beyondFloat, int64(math.MinInt64), beyondFloat)
	if err != nil {
		t.Fatal(err)
	}
	row := res.Items[0]
	if row["n"] != beyondFloat || row["below"] != beyondFloat-1 || row["echoed"] != beyondFloat || row["min"] != int64(math.MinInt64) {
		t.Errorf("query row %#v", row)
	}

	tx := db.Tx()
	tx.Exec("UPDATE big SET n = n + 1 WHERE id = ?", beyondFloat)
	q := tx.Query("SELECT n FROM big WHERE id = ?", beyondFloat)
	out, err := tx.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := out[q].Items[0]["n"]; n != beyondFloat+1 {
		t.Errorf("tx query n = %#v, want %d", n, beyondFloat+1)
	}
}

func TestClientDatabaseAgainstSQLite(t *testing.T) {
	gw, _ := startGateway(t)
	db := gw.client().Database()
	ctx := t.Context()
	if err := db.CreateTable(ctx, "CREATE TABLE pets (id INTEGER PRIMARY KEY, name TEXT, kind TEXT, owner INTEGER)"); err != nil {
		t.Fatal(err)
	}
	if err := db.Statements(ctx, "CREATE TABLE owners (id INTEGER PRIMARY KEY, name TEXT)",
		"INSERT INTO owners VALUES (1, 'ada')",
		"INSERT INTO pets (name, kind, owner) VALUES ('rex', 'dog', 1), ('tom', 'cat', NULL), ('fido', 'dog', 1)"); err != nil {
		t.Fatal(err)
	}
	x, err := db.Exec(ctx, "UPDATE pets SET kind = ? WHERE kind = ?", "hound", "dog")
	if err != nil || x.RowsAffected != 2 {
		t.Fatalf("Exec = %+v, %v", x, err)
	}

	found, err := db.Find(ctx, "pets", map[string]any{"kind": "hound"}, client.FindOptions{
		Select: []string{"pets.name", "owners.name AS owner"}, OrderBy: []string{"pets.name"}, Limit: 1, Offset: 1,
		Joins: []client.Join{{Kind: "LEFT", Table: "owners", On: "owners.id = pets.owner"}},
	})
	if err != nil || found.Count != 1 || found.Items[0]["name"] != "rex" || found.Items[0]["owner"] != "ada" {
		t.Errorf("Find = %+v, %v", found, err)
	}
	one, err := db.FindOne(ctx, "pets", map[string]any{"owner": nil}, client.FindOptions{})
	if err != nil || one["name"] != "tom" {
		t.Errorf("FindOne = %v, %v", one, err)
	}
	if _, err := db.FindOne(ctx, "pets", map[string]any{"name": "nobody"}, client.FindOptions{}); !isCode(err, "not_found") {
		t.Errorf("FindOne of nothing: %v, want not_found", err)
	}

	sel, err := db.Select(ctx, client.SelectRequest{Table: "pets", Alias: "p", Select: []string{"p.name"},
		Where:   []client.Where{{Expr: "p.kind = ?", Args: []any{"cat"}}, {Conj: "OR", Expr: "p.name = ?", Args: []any{"fido"}}},
		OrderBy: []string{"p.name"}})
	if err != nil || sel.Count != 2 || sel.Items[0]["name"] != "fido" || sel.Items[1]["name"] != "tom" {
		t.Errorf("Select = %+v, %v", sel, err)
	}
	first, err := db.Select(ctx, client.SelectRequest{Table: "pets", OrderBy: []string{"id DESC"}, One: true})
	if err != nil || first.Items[0]["name"] != "fido" {
		t.Errorf("Select one = %+v, %v", first, err)
	}

	tables, err := db.Schema(ctx)
	if err != nil || len(tables) != 2 || tables[0].Name != "owners" || tables[1].Type != "table" {
		t.Errorf("Schema = %+v, %v", tables, err)
	}
	if err := db.DropTable(ctx, "owners"); err != nil {
		t.Fatal(err)
	}
	if err := db.DropTable(ctx, "owners"); !isCode(err, "not_found") {
		t.Errorf("second DropTable: %v, want not_found", err)
	}
	if _, err := db.Query(ctx, "SELEC 1"); !isCode(err, "invalid") {
		t.Errorf("malformed SQL: %v, want invalid", err)
	}
}
