package namespaced

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/plugins/database/nsql"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/telemetry"
)

// Query runs one statement and returns its rows; with SQLite semantics it
// may be any statement (INSERT … RETURNING included). Errors: invalid,
// forbidden, conflict, too_large, unavailable.
func (b *Backend) Query(ctx context.Context, ns string, stmt database.Statement) (_ *database.Rows, err error) {
	defer func() { countError(err) }()
	s, err := b.current()
	if err != nil {
		return nil, err
	}
	if err := checkNamespace(ns); err != nil {
		return nil, err
	}
	p, err := s.prepare(ns, stmt)
	if err != nil {
		return nil, err
	}
	p.Tenant = tenantOf(ns)
	ctx, done, err := s.begin(ctx, ns, !p.ReadOnly, s.merges(p.Stmt, true))
	if err != nil {
		return nil, err
	}
	defer done()
	byKind[!p.ReadOnly].statements.Inc()
	ctx, span := s.startSpan(ctx, "query", ns, !p.ReadOnly)
	start := time.Now()
	rows, err := s.drv.Query(ctx, p.Stmt, driver.NewCollector(s.limits))
	observeEngine(!p.ReadOnly, start)
	telemetry.End(span, err)
	if err != nil {
		return nil, s.mapError(ctx, ns, !p.ReadOnly, err)
	}
	metricRowsReturned.Add(float64(len(rows.Rows)))
	return rows, nil
}

// Exec runs one statement and returns its counters. Errors: invalid,
// forbidden, conflict, unavailable.
func (b *Backend) Exec(ctx context.Context, ns string, stmt database.Statement) (_ database.ExecResult, err error) {
	defer func() { countError(err) }()
	s, err := b.current()
	if err != nil {
		return database.ExecResult{}, err
	}
	if err := checkNamespace(ns); err != nil {
		return database.ExecResult{}, err
	}
	p, err := s.prepare(ns, stmt)
	if err != nil {
		return database.ExecResult{}, err
	}
	p.Tenant = tenantOf(ns)
	ctx, done, err := s.begin(ctx, ns, !p.ReadOnly, s.merges(p.Stmt, false))
	if err != nil {
		return database.ExecResult{}, err
	}
	defer done()
	byKind[!p.ReadOnly].statements.Inc()
	ctx, span := s.startSpan(ctx, "exec", ns, !p.ReadOnly)
	start := time.Now()
	res, err := s.drv.Exec(ctx, p.Stmt)
	observeEngine(!p.ReadOnly, start)
	telemetry.End(span, err)
	if err != nil {
		return database.ExecResult{}, s.mapError(ctx, ns, !p.ReadOnly, err)
	}
	res = counters(p.kind, res)
	metricRowsAffected.Add(float64(res.RowsAffected))
	return res, nil
}

// Transaction runs ops all or nothing; errors name the op ("ops[2]: …").
func (b *Backend) Transaction(ctx context.Context, ns string, ops []database.Op, returnResults bool) (_ []database.OpResult, err error) {
	defer func() { countError(err) }()
	s, err := b.current()
	if err != nil {
		return nil, err
	}
	if err := checkNamespace(ns); err != nil {
		return nil, err
	}
	dops, kinds, err := s.prepareOps(ns, ops)
	if err != nil {
		return nil, err
	}
	ctx, done, err := s.begin(ctx, ns, writes(dops), false)
	if err != nil {
		return nil, err
	}
	defer done()
	countStatements(dops)
	ctx, span := s.startSpan(ctx, "batch", ns, writes(dops))
	start := time.Now()
	results, err := s.drv.Batch(ctx, dops, driver.NewCollector(s.limits))
	observeEngine(writes(dops), start)
	telemetry.End(span, err)
	if err != nil {
		return nil, s.mapError(ctx, ns, writes(dops), err)
	}
	countResults(results)
	if !returnResults {
		return nil, nil
	}
	for i := range results {
		if r := results[i].Exec; r != nil {
			c := counters(kinds[i], *r)
			results[i].Exec = &c
		}
	}
	return results, nil
}

// Schema lists the namespace's tables, views, indexes and triggers by
// name, as the namespace would have written them. SQLite's automatic
// indexes (no SQL) are left out.
func (b *Backend) Schema(ctx context.Context, ns string) ([]database.Table, error) {
	s, err := b.current()
	if err != nil {
		return nil, err
	}
	if err := checkNamespace(ns); err != nil {
		return nil, err
	}
	ctx, done, err := s.begin(ctx, ns, false, false)
	if err != nil {
		return nil, err
	}
	defer done()
	rows, err := s.drv.Master(ctx, nsql.Physical(ns, ""), driver.NewCollector(s.limits))
	if err != nil {
		return nil, s.mapError(ctx, ns, false, err)
	}
	tables := []database.Table{}
	for _, r := range rows {
		name, ok := nsql.Logical(ns, r.Name)
		if !ok || r.SQL == "" {
			continue
		}
		tables = append(tables, database.Table{Name: name, Type: r.Type, SQL: nsql.Display(ns, r.SQL)})
	}
	sort.SliceStable(tables, func(i, j int) bool { return tables[i].Name < tables[j].Name })
	return tables, nil
}

// CreateTable runs one CREATE TABLE statement. Errors: invalid (not a
// CREATE TABLE, bad SQL), forbidden, conflict (the table exists),
// unavailable.
func (b *Backend) CreateTable(ctx context.Context, ns, ddl string) error {
	s, err := b.current()
	if err != nil {
		return err
	}
	if err := checkNamespace(ns); err != nil {
		return err
	}
	p, err := s.prepare(ns, database.Statement{SQL: ddl})
	if e := sdk.AsError(err); e != nil && e.Code == sdk.CodeForbidden && strings.HasPrefix(e.Message, "multiple statements") {
		return sdk.Errorf(sdk.CodeInvalid, "create-table takes one CREATE TABLE statement, not several")
	}
	if err != nil {
		return err
	}
	if p.kind != "create_table" {
		return sdk.Errorf(sdk.CodeInvalid, "create-table takes one CREATE TABLE statement, not %s", article(p.kind))
	}
	ctx, done, err := s.begin(ctx, ns, true, false)
	if err != nil {
		return err
	}
	defer done()
	if _, err := s.drv.Exec(ctx, p.Stmt); err != nil {
		return s.mapError(ctx, ns, true, err)
	}
	return nil
}

// DropTable drops the namespace's table. Errors: invalid (bad name),
// not_found (no such table), unavailable.
func (b *Backend) DropTable(ctx context.Context, ns, table string) error {
	s, err := b.current()
	if err != nil {
		return err
	}
	if err := checkNamespace(ns); err != nil {
		return err
	}
	if err := database.CheckTableName(table); err != nil {
		return err
	}
	ctx, done, err := s.begin(ctx, ns, true, false)
	if err != nil {
		return err
	}
	defer done()
	// The name is [A-Za-z_][A-Za-z0-9_]* and ns [A-Za-z0-9_-]+: no quote
	// can occur in the quoted identifier.
	stmt := driver.Stmt{SQL: `DROP TABLE "` + nsql.Physical(ns, table) + `"`}
	if _, err := s.drv.Exec(ctx, stmt); err != nil {
		return notFound(s.mapError(ctx, ns, true, err))
	}
	return nil
}

// article names a statement kind for messages ("a select statement").
func article(kind string) string {
	switch kind {
	case "insert", "update", "alter_table":
		return "an " + words(kind) + " statement"
	}
	return "a " + words(kind) + " statement"
}

func words(kind string) string {
	out := []byte(kind)
	for i, c := range out {
		if c == '_' {
			out[i] = ' '
		}
	}
	return string(out)
}

// writes reports whether any op of a batch may change the database.
func writes(ops []driver.Op) bool {
	for _, op := range ops {
		if !op.ReadOnly {
			return true
		}
	}
	return false
}
