package orm_test

import (
	"reflect"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/orm"
)

type acct struct {
	ID      int64  `db:"id,pk,auto"`
	Owner   string `db:"owner"`
	Balance int64  `db:"balance"`
}

func acctDB(t *testing.T) (*gateway, *orm.DB, *orm.Repository[acct]) {
	t.Helper()
	gw, db := startGateway(t)
	gw.mustExec(t, "CREATE TABLE accts (id INTEGER PRIMARY KEY, owner TEXT UNIQUE, balance INTEGER CHECK (balance >= 0))")
	gw.mustExec(t, "INSERT INTO accts (owner, balance) VALUES ('ada', 100), ('bob', 0)")
	gw.served()
	return gw, db, orm.NewRepository[acct](db, "accts")
}

func balances(t *testing.T, repo *orm.Repository[acct]) map[string]int64 {
	t.Helper()
	all, err := repo.Find(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, a := range all {
		out[a.Owner] = a.Balance
	}
	return out
}

func TestTxIsAllOrNothing(t *testing.T) {
	gw, db, repo := acctDB(t)
	tx := db.Tx()
	tx.Exec("UPDATE accts SET balance = balance + 50 WHERE owner = ?", "bob")
	newcomer := acct{Owner: "cy", Balance: 1}
	if _, err := repo.SaveTx(tx, &newcomer); err != nil {
		t.Fatal(err)
	}
	tx.Exec("UPDATE accts SET balance = balance - 500 WHERE owner = ?", "ada") // violates the CHECK
	_, err := tx.Commit(t.Context())
	if !isCode(err, sdk.CodeConflict) {
		t.Fatalf("Commit: %v, want conflict", err)
	}
	if p := gw.served(); !reflect.DeepEqual(p, []string{"/v1/rqlite/transaction"}) {
		t.Errorf("served %v, want one transaction", p)
	}
	if got, want := balances(t, repo), map[string]int64{"ada": 100, "bob": 0}; !reflect.DeepEqual(got, want) {
		t.Errorf("after a failed batch: %v, want %v (nothing applied)", got, want)
	}
	if newcomer.ID != 0 {
		t.Errorf("a failed batch set the auto pk to %d", newcomer.ID)
	}
}

func TestTxCommitAppliesAllAndReturnsResults(t *testing.T) {
	_, db, repo := acctDB(t)
	ada, err := repo.FindOne(t.Context(), map[string]any{"owner": "ada"})
	if err != nil {
		t.Fatal(err)
	}
	tx := db.Tx()
	before := tx.Query("SELECT balance FROM accts WHERE owner = ?", "bob")
	tx.Exec("UPDATE accts SET balance = balance + 30 WHERE owner = ?", "bob")
	after := tx.Select(db.Table("accts").Select("balance").Where("owner = ?", "bob"))
	cy := acct{Owner: "cy", Balance: 5}
	ins, err := repo.SaveTx(tx, &cy)
	if err != nil {
		t.Fatal(err)
	}
	ada.Balance -= 30
	upd, err := repo.SaveTx(tx, &ada) // pk set: UPDATE
	if err != nil {
		t.Fatal(err)
	}
	if tx.Len() != 5 {
		t.Fatalf("Len = %d", tx.Len())
	}
	res, err := tx.Commit(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 5 {
		t.Fatalf("%d results", len(res))
	}
	// An op sees the effects of the ops before it in the batch.
	if res[before].Items[0]["balance"] != int64(0) || res[after].Items[0]["balance"] != int64(30) {
		t.Errorf("query results before/after: %v / %v", res[before].Items, res[after].Items)
	}
	if res[ins].LastInsertID != 3 || cy.ID != 3 {
		t.Errorf("insert result %+v, cy.ID %d; want 3", res[ins], cy.ID)
	}
	if res[upd].RowsAffected != 1 {
		t.Errorf("update result %+v", res[upd])
	}
	if got, want := balances(t, repo), map[string]int64{"ada": 70, "bob": 30, "cy": 5}; !reflect.DeepEqual(got, want) {
		t.Errorf("balances %v, want %v", got, want)
	}

	var rows []struct {
		Balance int64 `db:"balance"`
	}
	if err := orm.ScanRows(res[after].Items, &rows); err != nil || rows[0].Balance != 30 {
		t.Errorf("ScanRows of a tx result: %+v, %v", rows, err)
	}
}

func TestTxRemove(t *testing.T) {
	_, db, repo := acctDB(t)
	bob, err := repo.FindOne(t.Context(), map[string]any{"owner": "bob"})
	if err != nil {
		t.Fatal(err)
	}
	tx := db.Tx()
	i, err := repo.RemoveTx(tx, &bob)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tx.Commit(t.Context())
	if err != nil || res[i].RowsAffected != 1 {
		t.Fatalf("Commit = %+v, %v", res, err)
	}
	if got := balances(t, repo); len(got) != 1 {
		t.Errorf("left %v", got)
	}
}

func TestTxRefusedOpSendsNothing(t *testing.T) {
	gw, db, repo := acctDB(t)
	tx := db.Tx()
	tx.Exec("UPDATE accts SET balance = 1")
	if i := tx.Exec("UPDATE accts SET balance = ?", []string{"no"}); i != -1 {
		t.Errorf("refused op got index %d", i)
	}
	if i := tx.Select(db.Table("bad name")); i != -1 {
		t.Errorf("refused select got index %d", i)
	}
	_, err := tx.Commit(t.Context())
	checkInvalid(t, err, "unsupported type []string")
	if p := gw.served(); len(p) != 0 {
		t.Errorf("served %v, want nothing", p)
	}
	if got := balances(t, repo); got["ada"] != 100 {
		t.Errorf("balances %v", got)
	}

	type noPK struct {
		Owner string `db:"owner"`
	}
	if _, err := orm.NewRepository[noPK](db, "accts").SaveTx(db.Tx(), &noPK{}); !isCode(err, sdk.CodeInvalid) {
		t.Errorf("SaveTx without pk: %v, want invalid", err)
	}
}

func TestTxCommitOnce(t *testing.T) {
	gw, db, _ := acctDB(t)
	empty := db.Tx()
	if res, err := empty.Commit(t.Context()); res != nil || err != nil {
		t.Errorf("empty Commit = %v, %v", res, err)
	}
	if p := gw.served(); len(p) != 0 {
		t.Errorf("an empty batch sent %v", p)
	}

	tx := db.Tx()
	tx.Exec("UPDATE accts SET balance = balance + 1")
	if _, err := tx.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Commit(t.Context()); !isCode(err, sdk.CodeInvalid) {
		t.Errorf("second Commit: %v, want invalid", err)
	}
}

func TestTxFailedCommitCanBeRetried(t *testing.T) {
	gw, db, repo := acctDB(t)
	tx := db.Tx()
	tx.Exec("INSERT INTO accts (owner, balance) VALUES ('dee', 1)")
	tx.Exec("UPDATE accts SET balance = balance + 1 WHERE owner = 'late'")
	tx.Exec("INSERT INTO late_table VALUES (1)") // no such table yet
	if _, err := tx.Commit(t.Context()); !isCode(err, sdk.CodeInvalid) {
		t.Fatalf("Commit: %v, want invalid", err)
	}
	gw.mustExec(t, "CREATE TABLE late_table (x INTEGER)")
	if _, err := tx.Commit(t.Context()); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if got := balances(t, repo); got["dee"] != 1 {
		t.Errorf("balances %v", got)
	}
}
