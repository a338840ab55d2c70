package namespaced

import (
	"testing"

	"github.com/orama-network/orama/plugins/database/rqlite/rqlitetest"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/database/databasetest"
)

// testMaxRows is the max_rows of the backends under the suite, so its
// row-limit test knows where the limit is.
const testMaxRows = 500

func TestConformanceSQLite(t *testing.T) {
	b := startBackend(t, map[string]any{"max_rows": testMaxRows})
	databasetest.RunWithOptions(t, databasetest.Options{MaxRows: testMaxRows}, func(*testing.T) database.Database { return b })
}

func TestConformanceRqliteNode(t *testing.T) {
	c := rqlitetest.Start(t, 1)
	b := startBackend(t, map[string]any{"driver": "rqlite", "hosts": c.URLs(), "max_rows": testMaxRows})
	databasetest.RunWithOptions(t, databasetest.Options{MaxRows: testMaxRows}, func(*testing.T) database.Database { return b })
}

func TestConformanceRqliteCluster(t *testing.T) {
	c := rqlitetest.Start(t, 3)
	b := startBackend(t, map[string]any{"driver": "rqlite", "hosts": c.URLs(), "max_rows": testMaxRows})
	databasetest.RunWithOptions(t, databasetest.Options{MaxRows: testMaxRows}, func(*testing.T) database.Database { return b })
}
