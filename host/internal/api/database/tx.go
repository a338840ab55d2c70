package database

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk/database"
)

// transaction runs ops all or nothing. Two request shapes:
//
//	{"ops":[{"kind":"exec"|"query","sql":…,"args":[…]}], "return_results":bool}
//	{"statements":["sql", …], "return_results":bool}   (every statement an exec)
//
// Giving both, or neither, is a 400. The answer is {"status":"ok"}, plus
// "results" (one per op, in order) when return_results is true: an exec
// as {"rows_affected","last_insert_id"}, a query as {"items","count"}.

type txOpRequest struct {
	Kind string            `json:"kind"`
	SQL  string            `json:"sql"`
	Args []json.RawMessage `json:"args"`
}

type txRequest struct {
	Ops           []txOpRequest `json:"ops"`
	Statements    []string      `json:"statements"`
	ReturnResults bool          `json:"return_results"`
}

// Transaction is POST /v1/rqlite/transaction: runs ops all or nothing.
func (h *Handlers) Transaction(w http.ResponseWriter, r *http.Request) error {
	var req txRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return err
	}
	ops, err := txOps(&req)
	if err != nil {
		return err
	}
	return h.withDatabase(r, func(ctx context.Context, db database.Database, ns string) error {
		results, err := db.Transaction(ctx, ns, ops, req.ReturnResults)
		if err != nil {
			return err
		}
		return writeTxResults(w, ops, results, req.ReturnResults)
	})
}

// txOps validates either request shape into ops.
func txOps(req *txRequest) ([]database.Op, error) {
	switch {
	case len(req.Ops) > 0 && len(req.Statements) > 0:
		return nil, api.Invalidf("give ops or statements, not both")
	case len(req.Ops) == 0 && len(req.Statements) == 0:
		return nil, api.Invalidf("ops or statements is required")
	case len(req.Ops)+len(req.Statements) > database.MaxOps:
		return nil, api.Invalidf("at most %d statements per transaction", database.MaxOps)
	}
	if len(req.Statements) > 0 {
		ops := make([]database.Op, len(req.Statements))
		for i, sql := range req.Statements {
			st, err := statement(fieldAt("statements", i), sql, nil)
			if err != nil {
				return nil, err
			}
			ops[i] = database.Op{Kind: database.OpExec, Statement: st}
		}
		return ops, nil
	}
	ops := make([]database.Op, len(req.Ops))
	for i, op := range req.Ops {
		field := fieldAt("ops", i)
		var kind database.OpKind
		switch strings.ToLower(strings.TrimSpace(op.Kind)) {
		case "exec":
			kind = database.OpExec
		case "query":
			kind = database.OpQuery
		default:
			return nil, api.Invalidf("invalid %s.kind %q: want exec or query", field, op.Kind)
		}
		st, err := statement(field+".sql", op.SQL, op.Args)
		if err != nil {
			return nil, err
		}
		ops[i] = database.Op{Kind: kind, Statement: st}
	}
	return ops, nil
}

// writeTxResults writes the transaction's answer.
func writeTxResults(w http.ResponseWriter, ops []database.Op, results []database.OpResult, returnResults bool) error {
	bp := getBuf()
	defer putBuf(bp)
	b := append(*bp, `{"status":"ok"`...)
	if returnResults {
		if len(results) != len(ops) {
			*bp = b
			return fmt.Errorf("database plugin returned %d results for %d ops", len(results), len(ops))
		}
		b = append(b, `,"results":[`...)
		for i, res := range results {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendOpResult(b, ops[i].Kind, res); err != nil {
				*bp = b
				return err
			}
		}
		b = append(b, ']')
	}
	b = append(b, '}')
	*bp = b
	return api.WriteJSONBytes(w, http.StatusOK, b)
}

// appendOpResult appends one op's result in the shape of its kind.
func appendOpResult(b []byte, kind database.OpKind, res database.OpResult) ([]byte, error) {
	if kind == database.OpQuery {
		return appendItems(b, res.Rows)
	}
	var e database.ExecResult
	if res.Exec != nil {
		e = *res.Exec
	}
	b = append(b, `{"rows_affected":`...)
	b = strconv.AppendInt(b, e.RowsAffected, 10)
	b = append(b, `,"last_insert_id":`...)
	b = strconv.AppendInt(b, e.LastInsertID, 10)
	return append(b, '}'), nil
}
