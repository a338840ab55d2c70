package database

import (
	"github.com/orama-network/orama/sdk"
	databasev1 "github.com/orama-network/orama/sdk/gen/orama/database/v1"
)

// Conversions of the contract's types to and from the wire. Values that
// cannot be encoded are the caller's fault on the way in (invalid) and the
// implementation's on the way out (internal).

func statementToProto(stmt Statement) (*databasev1.Statement, error) {
	ps := &databasev1.Statement{Sql: stmt.SQL}
	if len(stmt.Args) > 0 {
		ps.Args = make([]*databasev1.Value, len(stmt.Args))
	}
	for i, a := range stmt.Args {
		pv, err := valueToProto(a)
		if err != nil {
			return nil, sdk.Errorf(sdk.CodeInvalid, "args[%d]: %s", i, sdk.AsError(err).Message)
		}
		ps.Args[i] = pv
	}
	return ps, nil
}

func statementFromProto(ps *databasev1.Statement) (Statement, error) {
	stmt := Statement{SQL: ps.GetSql()}
	if len(ps.GetArgs()) > 0 {
		stmt.Args = make([]Value, len(ps.Args))
	}
	for i, pv := range ps.GetArgs() {
		v, err := valueFromProto(pv)
		if err != nil {
			return Statement{}, sdk.Errorf(sdk.CodeInvalid, "args[%d]: %s", i, sdk.AsError(err).Message)
		}
		stmt.Args[i] = v
	}
	return stmt, nil
}

// rowsToProto encodes an implementation's result (nil: no columns, no rows).
func rowsToProto(r *Rows) (*databasev1.Rows, error) {
	pr := &databasev1.Rows{}
	if r == nil {
		return pr, nil
	}
	pr.Columns = r.Columns
	pr.Rows = make([]*databasev1.Row, len(r.Rows))
	for i, row := range r.Rows {
		cells := make([]*databasev1.Value, len(row))
		for j, c := range row {
			pv, err := valueToProto(c)
			if err != nil {
				return nil, sdk.Errorf(sdk.CodeInternal, "result row %d, cell %d: %s", i, j, sdk.AsError(err).Message)
			}
			cells[j] = pv
		}
		pr.Rows[i] = &databasev1.Row{Cells: cells}
	}
	return pr, nil
}

// rowsFromProto decodes a result; Columns and Rows are never nil.
func rowsFromProto(pr *databasev1.Rows) (*Rows, error) {
	r := &Rows{
		Columns: append(make([]string, 0, len(pr.GetColumns())), pr.GetColumns()...),
		Rows:    make([][]Value, len(pr.GetRows())),
	}
	for i, prow := range pr.GetRows() {
		row := make([]Value, len(prow.GetCells()))
		for j, pv := range prow.GetCells() {
			v, err := valueFromProto(pv)
			if err != nil {
				return nil, sdk.Errorf(sdk.CodeInternal, "result row %d, cell %d: %s", i, j, sdk.AsError(err).Message)
			}
			row[j] = v
		}
		r.Rows[i] = row
	}
	return r, nil
}

func execToProto(e ExecResult) *databasev1.ExecResult {
	return &databasev1.ExecResult{RowsAffected: e.RowsAffected, LastInsertId: e.LastInsertID}
}

func execFromProto(pe *databasev1.ExecResult) ExecResult {
	return ExecResult{RowsAffected: pe.GetRowsAffected(), LastInsertID: pe.GetLastInsertId()}
}

func opsToProto(ops []Op) ([]*databasev1.Op, error) {
	pops := make([]*databasev1.Op, len(ops))
	for i, op := range ops {
		var kind databasev1.OpKind
		switch op.Kind {
		case OpExec:
			kind = databasev1.OpKind_OP_KIND_EXEC
		case OpQuery:
			kind = databasev1.OpKind_OP_KIND_QUERY
		default:
			return nil, sdk.Errorf(sdk.CodeInvalid, "ops[%d]: unknown op kind %d", i, op.Kind)
		}
		ps, err := statementToProto(op.Statement)
		if err != nil {
			return nil, sdk.Errorf(sdk.CodeInvalid, "ops[%d]: %s", i, sdk.AsError(err).Message)
		}
		pops[i] = &databasev1.Op{Kind: kind, Statement: ps}
	}
	return pops, nil
}

func opsFromProto(pops []*databasev1.Op) ([]Op, error) {
	ops := make([]Op, len(pops))
	for i, pop := range pops {
		switch pop.GetKind() {
		case databasev1.OpKind_OP_KIND_EXEC:
			ops[i].Kind = OpExec
		case databasev1.OpKind_OP_KIND_QUERY:
			ops[i].Kind = OpQuery
		default:
			return nil, sdk.Errorf(sdk.CodeInvalid, "ops[%d]: unknown op kind %s", i, pop.GetKind())
		}
		stmt, err := statementFromProto(pop.GetStatement())
		if err != nil {
			return nil, sdk.Errorf(sdk.CodeInvalid, "ops[%d]: %s", i, sdk.AsError(err).Message)
		}
		ops[i].Statement = stmt
	}
	return ops, nil
}

func resultsToProto(rs []OpResult) ([]*databasev1.OpResult, error) {
	if rs == nil {
		return nil, nil
	}
	prs := make([]*databasev1.OpResult, len(rs))
	for i, r := range rs {
		switch {
		case r.Exec != nil && r.Rows == nil:
			prs[i] = &databasev1.OpResult{Result: &databasev1.OpResult_Exec{Exec: execToProto(*r.Exec)}}
		case r.Rows != nil && r.Exec == nil:
			pr, err := rowsToProto(r.Rows)
			if err != nil {
				return nil, sdk.Errorf(sdk.CodeInternal, "results[%d]: %s", i, sdk.AsError(err).Message)
			}
			prs[i] = &databasev1.OpResult{Result: &databasev1.OpResult_Rows{Rows: pr}}
		default:
			return nil, sdk.Errorf(sdk.CodeInternal, "results[%d]: want exactly one of Exec and Rows", i)
		}
	}
	return prs, nil
}

// resultsFromProto decodes transaction results; none means nil.
func resultsFromProto(prs []*databasev1.OpResult) ([]OpResult, error) {
	if len(prs) == 0 {
		return nil, nil
	}
	rs := make([]OpResult, len(prs))
	for i, pr := range prs {
		switch k := pr.GetResult().(type) {
		case *databasev1.OpResult_Exec:
			e := execFromProto(k.Exec)
			rs[i].Exec = &e
		case *databasev1.OpResult_Rows:
			rows, err := rowsFromProto(k.Rows)
			if err != nil {
				return nil, sdk.Errorf(sdk.CodeInternal, "results[%d]: %s", i, sdk.AsError(err).Message)
			}
			rs[i].Rows = rows
		default:
			return nil, sdk.Errorf(sdk.CodeInternal, "results[%d]: result of unknown kind", i)
		}
	}
	return rs, nil
}

func tablesToProto(ts []Table) []*databasev1.Table {
	pts := make([]*databasev1.Table, len(ts))
	for i, t := range ts {
		pts[i] = &databasev1.Table{Name: t.Name, Type: t.Type, Sql: t.SQL}
	}
	return pts
}

func tablesFromProto(pts []*databasev1.Table) []Table {
	ts := make([]Table, len(pts))
	for i, pt := range pts {
		ts[i] = Table{Name: pt.GetName(), Type: pt.GetType(), SQL: pt.GetSql()}
	}
	return ts
}
