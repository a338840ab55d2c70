package namespaced

import (
	"time"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/prometheus/client_golang/prometheus"
)

// The database plugin's metrics, served by the host on /metrics with
// plugin="database", whatever the driver. No namespace labels.
var (
	metricStatements = plugin.Register(prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "orama_db_statements_total",
		Help: "Statements run, by kind: read (read-only) or write; each op of a transaction counts.",
	}, []string{"kind"}))
	metricDuration = plugin.Register(prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "orama_db_statement_duration_seconds",
		Help:    "Time of one query, exec or transaction in the engine, by kind (write when any statement may write).",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"kind"}))
	metricRowsReturned = plugin.Register(prometheus.NewCounter(prometheus.CounterOpts{
		Name: "orama_db_rows_returned_total", Help: "Rows returned by queries (transactions' queries included).",
	}))
	metricRowsAffected = plugin.Register(prometheus.NewCounter(prometheus.CounterOpts{
		Name: "orama_db_rows_affected_total", Help: "Rows changed by execs (transactions' execs included), as the engine reports them.",
	}))
	metricErrors = plugin.Register(prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "orama_db_errors_total",
		Help: "Queries, execs and transactions that failed, by error code (invalid, forbidden, conflict, too_large, unavailable, …).",
	}, []string{"code"}))
)

// statement kinds, the kind label values.
const (
	kindRead  = "read"
	kindWrite = "write"
)

func init() {
	for _, k := range []string{kindRead, kindWrite} {
		metricStatements.WithLabelValues(k)
		metricDuration.WithLabelValues(k)
	}
	for _, c := range []sdk.Code{sdk.CodeInvalid, sdk.CodeForbidden, sdk.CodeConflict, sdk.CodeTooLarge, sdk.CodeUnavailable} {
		metricErrors.WithLabelValues(string(c))
	}
}

// kindMetrics are one statement kind's series, looked up once; byKind
// is keyed by "may write".
type kindMetrics struct {
	statements prometheus.Counter
	duration   prometheus.Observer
}

var byKind = map[bool]*kindMetrics{
	false: {metricStatements.WithLabelValues(kindRead), metricDuration.WithLabelValues(kindRead)},
	true:  {metricStatements.WithLabelValues(kindWrite), metricDuration.WithLabelValues(kindWrite)},
}

// countStatements counts ops by kind.
func countStatements(ops []driver.Op) {
	reads := 0
	for _, op := range ops {
		if op.ReadOnly {
			reads++
		}
	}
	if reads > 0 {
		byKind[false].statements.Add(float64(reads))
	}
	if w := len(ops) - reads; w > 0 {
		byKind[true].statements.Add(float64(w))
	}
}

// observeEngine records one call into the engine that started at start.
func observeEngine(write bool, start time.Time) {
	byKind[write].duration.Observe(time.Since(start).Seconds())
}

// countError counts a failed query, exec or transaction.
func countError(err error) {
	if err != nil {
		metricErrors.WithLabelValues(string(sdk.AsError(err).Code)).Inc()
	}
}

// countResults counts the rows of a transaction's results.
func countResults(results []database.OpResult) {
	var returned, affected int
	for _, r := range results {
		if r.Rows != nil {
			returned += len(r.Rows.Rows)
		}
		if r.Exec != nil {
			affected += int(r.Exec.RowsAffected)
		}
	}
	metricRowsReturned.Add(float64(returned))
	metricRowsAffected.Add(float64(affected))
}
