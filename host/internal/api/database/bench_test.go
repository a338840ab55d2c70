package database_test

import (
	"net/http"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/server"
	"github.com/orama-network/orama/host/internal/server/servertest"
	"github.com/orama-network/orama/sdk/database"
)

const benchQueryBody = `{"sql":"SELECT id, name, email, score, avatar FROM users WHERE team = ? AND age > ?","args":["red",30]}`

// newQueryBenchEnv answers every query with 20 rows of 5 columns of
// mixed types, and records no calls.
func newQueryBenchEnv(b *testing.B) *servertest.Env {
	e := servertest.New(b, func(o *server.Options) { o.Logger = hclog.NewNullLogger() })
	e.DB.Discard = true
	rows := make([][]database.Value, 20)
	for i := range rows {
		rows[i] = []database.Value{int64(i), "user name", "user@example.com", 4.25, []byte("0123456789abcdef")}
	}
	e.DB.SetRows([]string{"id", "name", "email", "score", "avatar"}, rows...)
	return e
}

// BenchmarkRqliteQueryHandler measures a query through the full chain:
// every middleware, the router, argument binding, the fake database and
// the row encoder.
//
// "httptest" builds a request and recorder per iteration, as a test would;
// "reused" reuses both, so what it reports is the gateway's own cost.
func BenchmarkRqliteQueryHandler(b *testing.B) {
	apitest.BenchHandler(b, func(b *testing.B) http.Handler { return newQueryBenchEnv(b).Srv.Handler() },
		http.MethodPost, "/v1/rqlite/query", benchQueryBody)
}
