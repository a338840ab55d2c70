package rqlite

import (
	"context"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// openTest opens a driver on hosts with the defaults of the plugin's
// config, closed when t ends.
func openTest(t testing.TB, hosts []string, consistency string) *Driver {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := Open(ctx, Options{
		Hosts: hosts, Consistency: consistency, Timeout: 10 * time.Second, Retries: 3,
		MaxBody: 64 << 20, InFlight: 2, Logger: plugintest.Logger(t, "rqlite"),
	})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// collector returns a Collector with generous limits.
func collector() *driver.Collector {
	return driver.NewCollector(driver.Limits{MaxRows: 1 << 20, MaxBytes: 1 << 30})
}

func stmt(sql string, args ...any) driver.Stmt { return driver.Stmt{SQL: sql, Args: args} }

func readStmt(sql string, args ...any) driver.Stmt {
	return driver.Stmt{SQL: sql, Args: args, ReadOnly: true, Select: true}
}
