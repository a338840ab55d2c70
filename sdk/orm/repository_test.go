package orm_test

import (
	"bytes"
	"database/sql"
	"reflect"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/orm"
)

type stamps struct {
	Created time.Time `db:"created"`
}

type item struct {
	stamps
	ID     int64          `db:"id,pk,auto"`
	Name   string         `db:"name"`
	Qty    uint16         `db:"qty"`
	Price  float64        `db:"price"`
	Active bool           `db:"active"`
	Blob   []byte         `db:"blob"`
	Note   *string        `db:"note"`
	Label  sql.NullString `db:"label"`
	Cache  string         `db:"-"`
}

const itemTable = `CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER,
	price REAL, active INTEGER, blob BLOB, note TEXT, label TEXT, created TEXT)`

func itemRepo(t *testing.T) (*gateway, *orm.Repository[item]) {
	t.Helper()
	gw, db := startGateway(t)
	gw.mustExec(t, itemTable)
	return gw, orm.NewRepository[item](db, "items")
}

func TestRepositoryRoundTripsEveryColumn(t *testing.T) {
	_, repo := itemRepo(t)
	note := "fragile"
	created := time.Date(2024, 2, 3, 4, 5, 6, 7, time.FixedZone("", -5*3600))
	in := item{stamps: stamps{created}, Name: "lamp", Qty: 3, Price: 19.5, Active: true,
		Blob: []byte{0, 1, 254, 255}, Note: &note, Label: sql.NullString{String: "L", Valid: true}, Cache: "not stored"}
	if err := repo.Save(t.Context(), &in); err != nil {
		t.Fatal(err)
	}
	if in.ID != 1 {
		t.Fatalf("auto pk = %d, want 1", in.ID)
	}
	got, err := repo.FindOne(t.Context(), map[string]any{"id": in.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Created.Equal(created) || got.Created.Location() != time.UTC {
		t.Errorf("created %v, want %v in UTC", got.Created, created)
	}
	want := in
	want.Cache, want.Created = "", got.Created
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back\n %+v\nwant\n %+v", got, want)
	}
}

func TestRepositoryBlobColumnScansIntoBytes(t *testing.T) {
	gw, repo := itemRepo(t)
	gw.mustExec(t, "INSERT INTO items (name, qty, price, active, blob, created) VALUES ('raw', 0, 0, 0, X'00FF10', '2024-01-01 00:00:00')")
	got, err := repo.FindOne(t.Context(), map[string]any{"name": "raw"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Blob, []byte{0, 0xff, 0x10}) || !got.Created.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("blob %x created %v", got.Blob, got.Created)
	}
}

func TestRepositoryUpdateAndNotFound(t *testing.T) {
	_, repo := itemRepo(t)
	v := item{Name: "chair", Qty: 1}
	if err := repo.Save(t.Context(), &v); err != nil {
		t.Fatal(err)
	}
	v.Qty, v.Note = 4, nil
	if err := repo.Save(t.Context(), &v); err != nil { // pk set: UPDATE
		t.Fatal(err)
	}
	all, err := repo.Find(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Qty != 4 || all[0].ID != v.ID {
		t.Errorf("after update: %+v", all)
	}

	ghost := item{ID: 99, Name: "ghost"}
	if err := repo.Save(t.Context(), &ghost); !isCode(err, sdk.CodeNotFound) {
		t.Errorf("Save of a missing pk: %v, want not_found", err)
	}
	if err := repo.Update(t.Context(), &ghost); !isCode(err, sdk.CodeNotFound) {
		t.Errorf("Update of a missing pk: %v, want not_found", err)
	}
}

func TestRepositoryRemove(t *testing.T) {
	_, repo := itemRepo(t)
	a, b := item{Name: "a"}, item{Name: "b"}
	for _, v := range []*item{&a, &b} {
		if err := repo.Save(t.Context(), v); err != nil {
			t.Fatal(err)
		}
	}
	if err := repo.Remove(t.Context(), &a); err != nil {
		t.Fatal(err)
	}
	if err := repo.Remove(t.Context(), &a); !isCode(err, sdk.CodeNotFound) {
		t.Errorf("second Remove: %v, want not_found", err)
	}
	if _, err := repo.FindOne(t.Context(), map[string]any{"name": "a"}); !isCode(err, sdk.CodeNotFound) {
		t.Errorf("FindOne of a removed row: %v, want not_found", err)
	}
	left, err := repo.Find(t.Context(), map[string]any{})
	if err != nil || len(left) != 1 || left[0].Name != "b" {
		t.Errorf("left %+v, %v", left, err)
	}
}

func TestRepositoryFindCriteria(t *testing.T) {
	_, repo := itemRepo(t)
	note := "n"
	for _, v := range []item{{Name: "c", Qty: 1}, {Name: "a", Qty: 1, Note: &note}, {Name: "b", Qty: 2}} {
		if err := repo.Save(t.Context(), &v); err != nil {
			t.Fatal(err)
		}
	}
	got, err := repo.Find(t.Context(), map[string]any{"qty": 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "c" || got[1].Name != "a" { // ordered by pk
		t.Errorf("qty = 1: %+v", got)
	}
	got, err = repo.Find(t.Context(), map[string]any{"qty": 1, "note": nil})
	if err != nil || len(got) != 1 || got[0].Name != "c" {
		t.Errorf("qty = 1 AND note IS NULL: %+v, %v", got, err)
	}
	got, err = repo.Find(t.Context(), map[string]any{"qty": 7})
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("no match: %#v, %v; want an empty non-nil slice", got, err)
	}
	if _, err := repo.Find(t.Context(), map[string]any{"qty = 1 OR 1": 1}); !isCode(err, sdk.CodeInvalid) {
		t.Errorf("bad criteria column: %v, want invalid", err)
	}
	if err := repo.Query().Where("qty >= ?", 2).GetMany(t.Context(), &got); err != nil || len(got) != 1 || got[0].Name != "b" {
		t.Errorf("Query(): %+v, %v", got, err)
	}
}

func TestRepositoryConstraintIsConflict(t *testing.T) {
	_, repo := itemRepo(t)
	a, b := item{Name: "same"}, item{Name: "same"}
	if err := repo.Save(t.Context(), &a); err != nil {
		t.Fatal(err)
	}
	if err := repo.Save(t.Context(), &b); !isCode(err, sdk.CodeConflict) {
		t.Errorf("duplicate name: %v, want conflict", err)
	}
	if b.ID != 0 {
		t.Errorf("a failed insert set the pk to %d", b.ID)
	}
}

func TestRepositoryAppAssignedKey(t *testing.T) {
	type token struct {
		Key   string `db:"key,pk"`
		Owner string `db:"owner"`
	}
	gw, db := startGateway(t)
	gw.mustExec(t, "CREATE TABLE tokens (key TEXT PRIMARY KEY, owner TEXT)")
	repo := orm.NewRepository[token](db, "tokens")
	tok := token{Key: "k1", Owner: "ada"}
	if err := repo.Save(t.Context(), &tok); !isCode(err, sdk.CodeNotFound) {
		t.Errorf("Save with a set key updates: %v, want not_found", err)
	}
	if err := repo.Insert(t.Context(), &tok); err != nil {
		t.Fatal(err)
	}
	tok.Owner = "bob"
	if err := repo.Save(t.Context(), &tok); err != nil {
		t.Fatal(err)
	}
	got, err := repo.FindOne(t.Context(), map[string]any{"key": "k1"})
	if err != nil || got != tok {
		t.Errorf("FindOne = %+v, %v", got, err)
	}
}

func TestRepositoryRefusals(t *testing.T) {
	type noPK struct {
		Name string `db:"name"`
	}
	type twoPKs struct {
		A int64 `db:"a,pk"`
		B int64 `db:"b,pk"`
	}
	type badColumn struct {
		ID int64 `db:"my id,pk"`
	}
	type nothing struct {
		Hidden string `db:"-"`
	}
	conn := &stubConn{}
	db := orm.New(conn)
	ctx := t.Context()

	checkInvalid(t, orm.NewRepository[noPK](db, "t").Save(ctx, &noPK{}), "exactly one field tagged pk")
	checkInvalid(t, orm.NewRepository[noPK](db, "t").Remove(ctx, &noPK{}), "exactly one field tagged pk")
	checkInvalid(t, orm.NewRepository[twoPKs](db, "t").Update(ctx, &twoPKs{}), "has 2")
	checkInvalid(t, orm.NewRepository[noPK](db, "bad table").Insert(ctx, &noPK{}), "table name")
	_, err := orm.NewRepository[badColumn](db, "t").Find(ctx, nil)
	checkInvalid(t, err, `column "my id"`)
	_, err = orm.NewRepository[nothing](db, "t").Find(ctx, nil)
	checkInvalid(t, err, "maps no columns")
	_, err = orm.NewRepository[int](db, "t").FindOne(ctx, nil)
	checkInvalid(t, err, "not a struct")
	checkInvalid(t, orm.NewRepository[item](db, "items").Save(ctx, nil), "nil *")
	if conn.calls != 0 {
		t.Errorf("%d calls reached the connection", conn.calls)
	}

	if err := orm.NewRepository[noPK](db, "t").Insert(ctx, &noPK{Name: "x"}); err != nil {
		t.Errorf("Insert needs no pk: %v", err)
	}
}

func TestRepositoryStatements(t *testing.T) {
	conn := &stubConn{}
	repo := orm.NewRepository[item](orm.New(conn), "items")
	v := item{Name: "n"}
	if err := repo.Insert(t.Context(), &v); err != nil {
		t.Fatal(err)
	}
	v.ID = 5
	if err := repo.Update(t.Context(), &v); err != nil {
		t.Fatal(err)
	}
	if err := repo.Remove(t.Context(), &v); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"INSERT INTO items (created, name, qty, price, active, blob, note, label) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		"UPDATE items SET created = ?, name = ?, qty = ?, price = ?, active = ?, blob = ?, note = ?, label = ? WHERE id = ?",
		"DELETE FROM items WHERE id = ?",
	}
	if !reflect.DeepEqual(conn.sqls, want) {
		t.Errorf("statements\n %q\nwant\n %q", conn.sqls, want)
	}
	wantArgs := []any{"0001-01-01T00:00:00Z", "n", int64(0), 0.0, false, nil, nil, nil}
	if !reflect.DeepEqual(conn.args[0], wantArgs) {
		t.Errorf("insert args %#v, want %#v", conn.args[0], wantArgs)
	}
	if last := conn.args[1][len(conn.args[1])-1]; last != int64(5) {
		t.Errorf("update key %#v", last)
	}
}
