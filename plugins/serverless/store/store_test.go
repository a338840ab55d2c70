package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/database/namespaced"
	"github.com/orama-network/orama/plugins/serverless/store"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/serverless"
)

// sqliteDB returns the real database plugin backend on a SQLite file.
func sqliteDB(t *testing.T) database.Database {
	t.Helper()
	b := namespaced.New(nil)
	if err := b.Configure(t.Context(), plugin.Config{Name: "database", NodeID: "test", DataDir: t.TempDir()}); err != nil {
		t.Fatalf("configure the sqlite database: %v", err)
	}
	t.Cleanup(func() { _ = b.Close(context.Background()) })
	return b
}

func newStore(t *testing.T) *store.Store {
	t.Helper()
	st := store.New(sqliteDB(t))
	if err := st.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return st
}

func row(ns, name, cid string) store.Row {
	return store.Row{Function: serverless.Function{Namespace: ns, Name: name, WASMCID: cid, MemoryLimitMB: 64,
		TimeoutSeconds: 30, EnvVars: map[string]string{"A": "1"}}, SHA256: "sha-" + cid}
}

func wantCode(t *testing.T, err error, code sdk.Code) {
	t.Helper()
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
}

func TestMigrateTwiceAndConcurrently(t *testing.T) {
	db := sqliteDB(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = store.New(db).Migrate(t.Context()) }()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Migrate %d: %v", i, err)
		}
	}
	if err := store.New(db).Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}
	rows, err := db.Query(t.Context(), database.SystemNamespace, database.Statement{SQL: `SELECT COUNT(*) FROM fn_schema`})
	if err != nil || rows.Rows[0][0].(int64) != int64(store.SchemaVersion()) {
		t.Fatalf("fn_schema rows: %v %v, want %d", rows, err, store.SchemaVersion())
	}
}

func TestVersionsNeverReused(t *testing.T) {
	st := newStore(t)
	ctx, now := t.Context(), time.Now()
	for i := 1; i <= 3; i++ {
		r, err := st.Insert(ctx, row("ns", "f", fmt.Sprint("cid", i)), now)
		if err != nil || r.Version != i || r.ID == "" || r.Status != serverless.StatusActive {
			t.Fatalf("Insert %d = %+v, %v", i, r, err)
		}
	}
	if r, err := st.Insert(ctx, row("other", "f", "x"), now); err != nil || r.Version != 1 {
		t.Fatalf("other namespace's first version = %+v, %v", r, err)
	}
	if gone, err := st.Delete(ctx, "ns", "f", 3); err != nil || len(gone) != 1 || gone[0].Version != 3 {
		t.Fatalf("Delete @3 = %v, %v", gone, err)
	}
	_, err := st.Get(ctx, "ns", "f", 3)
	wantCode(t, err, sdk.CodeNotFound)
	if r, _ := st.Get(ctx, "ns", "f", 0); r.Version != 2 || r.EnvVars["A"] != "1" || r.SHA256 != "sha-cid2" {
		t.Fatalf("latest after deleting @3 = %+v", r)
	}
	if r, err := st.Insert(ctx, row("ns", "f", "cid4"), now); err != nil || r.Version != 4 {
		t.Fatalf("Insert after delete = %+v, %v (want version 4: never reuse 3)", r, err)
	}
	if gone, err := st.Delete(ctx, "ns", "f", 0); err != nil || len(gone) != 3 {
		t.Fatalf("Delete all = %d rows, %v", len(gone), err)
	}
	_, err = st.Versions(ctx, "ns", "f")
	wantCode(t, err, sdk.CodeNotFound)
	if r, err := st.Insert(ctx, row("ns", "f", "cid5"), now); err != nil || r.Version != 5 {
		t.Fatalf("Insert after deleting all = %+v, %v (want 5)", r, err)
	}
	if used, err := st.CIDInUse(ctx, "cid4"); err != nil || used {
		t.Fatalf("CIDInUse(deleted) = %v, %v", used, err)
	}
	if used, err := st.CIDInUse(ctx, "cid5"); err != nil || !used {
		t.Fatalf("CIDInUse(live) = %v, %v", used, err)
	}
}

func TestConcurrentInsertsGetDistinctVersions(t *testing.T) {
	st := newStore(t)
	const n = 8
	var wg sync.WaitGroup
	got := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := st.Insert(t.Context(), row("ns", "f", "c"), time.Now())
			if err != nil {
				t.Error(err)
			}
			got[i] = r.Version
		}()
	}
	wg.Wait()
	seen := map[int]bool{}
	for _, v := range got {
		if v < 1 || v > n || seen[v] {
			t.Fatalf("versions %v: want each of 1..%d once", got, n)
		}
		seen[v] = true
	}
}

func TestListLatestSorted(t *testing.T) {
	st := newStore(t)
	ctx := t.Context()
	for _, name := range []string{"b", "a", "b", "c", "a", "a"} {
		if _, err := st.Insert(ctx, row("ns", name, "x"), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	_, _ = st.Insert(ctx, row("ns2", "z", "x"), time.Now())
	list, err := st.List(ctx, "ns")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range list {
		got = append(got, fmt.Sprintf("%s@%d", r.Name, r.Version))
	}
	if fmt.Sprint(got) != "[a@3 b@2 c@1]" {
		t.Fatalf("List = %v", got)
	}
}

func TestLogsBoundedOldestDropped(t *testing.T) {
	st := newStore(t)
	ctx := t.Context()
	var batch []store.LogRow
	for i := range 25 {
		batch = append(batch, store.LogRow{Namespace: "ns", Name: "f", LogEntry: serverless.LogEntry{
			Level: serverless.LevelInfo, Message: fmt.Sprint("line ", i), Timestamp: time.Now(), RequestID: "r", Version: 1}})
	}
	batch = append(batch, store.LogRow{Namespace: "ns", Name: "g", LogEntry: serverless.LogEntry{Level: "info", Message: "g"}})
	if err := st.AppendLogs(ctx, batch, 10); err != nil {
		t.Fatal(err)
	}
	logs, err := st.Logs(ctx, "ns", "f", 100)
	if err != nil || len(logs) != 10 || logs[0].Message != "line 15" || logs[9].Message != "line 24" {
		t.Fatalf("Logs = %d entries %v, %v; want lines 15..24", len(logs), logs, err)
	}
	if logs, _ := st.Logs(ctx, "ns", "f", 3); len(logs) != 3 || logs[2].Message != "line 24" {
		t.Fatalf("Logs(3) = %v", logs)
	}
	if logs, _ := st.Logs(ctx, "ns", "g", 100); len(logs) != 1 {
		t.Fatalf("g's logs = %v", logs)
	}
}

func TestSecrets(t *testing.T) {
	st := newStore(t)
	ctx := t.Context()
	v := store.SealedSecret{Salt: []byte("salt"), Sealed: []byte("sealed")}
	if err := st.PutSecret(ctx, "ns", "K", v, time.Now()); err != nil {
		t.Fatal(err)
	}
	v.Sealed = []byte("sealed2")
	if err := st.PutSecret(ctx, "ns", "K", v, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Secret(ctx, "ns", "K"); err != nil || string(got.Sealed) != "sealed2" {
		t.Fatalf("Secret = %q, %v", got.Sealed, err)
	}
	_, err := st.Secret(ctx, "other", "K")
	wantCode(t, err, sdk.CodeNotFound)
	for i := range serverless.MaxSecrets - 1 {
		if err := st.PutSecret(ctx, "ns", fmt.Sprint("S", i), v, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, st.PutSecret(ctx, "ns", "onemore", v, time.Now()), sdk.CodeTooLarge)
	if err := st.PutSecret(ctx, "ns", "K", v, time.Now()); err != nil {
		t.Fatalf("replacing at the cap: %v", err)
	}
	names, err := st.Secrets(ctx, "ns")
	if err != nil || len(names) != serverless.MaxSecrets || names[0] != "K" {
		t.Fatalf("Secrets = %d names, %v", len(names), err)
	}
	if err := st.DeleteSecret(ctx, "ns", "K"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, st.DeleteSecret(ctx, "ns", "K"), sdk.CodeNotFound)
}
