package main

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// TestBinaryServes builds orama-plugin-database and drives it the way the
// host does: go-plugin over gRPC with AutoMTLS, Configure, then calls.
func TestBinaryServes(t *testing.T) {
	db := plugintest.Launch[*database.Client](t, ".", database.Kind, &database.Plugin{})

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	dataDir := t.TempDir()
	err := db.ValidateConfig(ctx, plugin.Config{Name: "database", DataDir: dataDir, Raw: []byte(`{"driver": "mysql"}`)})
	var ce plugin.ConfigError
	if !errors.As(err, &ce) || ce[0].Attribute != "driver" {
		t.Errorf("ValidateConfig of a bad driver = %v, want a ConfigError naming driver", err)
	}
	if err := db.Configure(ctx, plugin.Config{Name: "database", DataDir: dataDir, Raw: []byte(`{"driver": "sqlite"}`)}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	if err := db.CreateTable(ctx, "acme", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, data BLOB)"); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	res, err := db.Exec(ctx, "acme", database.Statement{SQL: "INSERT INTO notes (body, data) VALUES (?, ?)", Args: []any{"hello", []byte{0, 1}}})
	if err != nil || res.LastInsertID != 1 || res.RowsAffected != 1 {
		t.Fatalf("Exec = %+v, %v", res, err)
	}
	rows, err := db.Query(ctx, "acme", database.Statement{SQL: "SELECT id, body, data FROM notes"})
	if err != nil || !reflect.DeepEqual(rows.Rows, [][]any{{int64(1), "hello", []byte{0, 1}}}) {
		t.Errorf("Query = %+v, %v", rows, err)
	}
	_, err = db.Query(ctx, "other", database.Statement{SQL: "SELECT * FROM notes"})
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != sdk.CodeInvalid {
		t.Errorf("another namespace read the table: %v", err)
	}
	tables, err := db.Schema(ctx, "acme")
	if err != nil || len(tables) != 1 || tables[0].Name != "notes" {
		t.Errorf("Schema = %+v, %v", tables, err)
	}
	if h, err := db.Health(ctx); err != nil || !h.OK || h.Driver != "sqlite" {
		t.Errorf("Health = %+v, %v", h, err)
	}
	if err := db.Close(ctx); err != nil {
		t.Errorf("Close: %v", err)
	}
	if m, _ := filepath.Glob(filepath.Join(dataDir, "database", "orama.db")); len(m) != 1 {
		t.Errorf("the database file is not in <data_dir>/<name>: %v", m)
	}
}
