package namespaced

import (
	"fmt"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/plugins/database/nsql"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// prepared is a statement ready for an engine.
type prepared struct {
	driver.Stmt
	kind string // nsql's statement kind
}

// prepare checks stmt (CheckStatement: the caller checked the namespace),
// rewrites it into ns and normalizes its arguments: bools become 1 and 0.
func (s *state) prepare(ns string, stmt database.Statement) (prepared, error) {
	if err := database.CheckStatement(stmt); err != nil {
		return prepared{}, err
	}
	st, err := s.rewrites.rewrite(ns, stmt.SQL)
	if err != nil {
		return prepared{}, err
	}
	args, err := database.NormalizeArgs(stmt.Args)
	if err != nil {
		return prepared{}, err
	}
	for i, a := range args {
		if v, ok := a.(bool); ok {
			args[i] = int64(0)
			if v {
				args[i] = int64(1)
			}
		}
	}
	return prepared{
		Stmt: driver.Stmt{SQL: st.SQL, Args: args, ReadOnly: st.ReadOnly, Select: st.Kind == "select"},
		kind: st.Kind,
	}, nil
}

// prepareOps prepares every op; errors name the op.
func (s *state) prepareOps(ns string, ops []database.Op) ([]driver.Op, []string, error) {
	if err := database.CheckOps(ops); err != nil {
		return nil, nil, err
	}
	out := make([]driver.Op, len(ops))
	kinds := make([]string, len(ops))
	for i, op := range ops {
		p, err := s.prepare(ns, op.Statement)
		if err != nil {
			e := sdk.AsError(err)
			return nil, nil, &sdk.Error{Code: e.Code, Message: fmt.Sprintf("ops[%d]: %s", i, e.Message)}
		}
		out[i] = driver.Op{Stmt: p.Stmt, Query: op.Kind == database.OpQuery}
		kinds[i] = p.kind
	}
	return out, kinds, nil
}

// checkNamespace applies the contract's check and nsql's (which also
// refuses names SQLite reserves).
func checkNamespace(ns string) error {
	if err := database.CheckNamespace(ns); err != nil {
		return err
	}
	return nsql.CheckNamespace(ns)
}

// counters clears LastInsertID unless an INSERT inserted rows (see the
// package doc).
func counters(kind string, r database.ExecResult) database.ExecResult {
	if kind != "insert" || r.RowsAffected == 0 {
		r.LastInsertID = 0
	}
	return r
}
