package client

import (
	"context"
	"fmt"
	"net/http"
)

// Kinds of TxOp.
const (
	OpExec  = "exec"
	OpQuery = "query"
)

// TxOp is one statement of a Transaction: Kind is OpExec or OpQuery.
type TxOp struct {
	Kind string `json:"kind"`
	SQL  string `json:"sql"`
	Args []any  `json:"args,omitempty"`
}

// TxResult is the result of one TxOp: an exec op fills RowsAffected and
// LastInsertID, a query op Items and Count.
type TxResult struct {
	RowsAffected int64
	LastInsertID int64
	Items        []map[string]any
	Count        int
}

// Transaction runs ops in order, all or nothing: if one fails, none takes
// effect and the error is that op's. It is one request, not an
// interactive transaction: a query op sees the effects of the ops before
// it, but the caller sees results only when the whole batch is done. With
// returnResults the gateway answers one TxResult per op (each in the exec
// shape {rows_affected, last_insert_id} or the query shape {items, count});
// without it the result is nil.
func (d *Database) Transaction(ctx context.Context, ops []TxOp, returnResults bool) ([]TxResult, error) {
	req := struct {
		Ops           []TxOp `json:"ops"`
		ReturnResults bool   `json:"return_results"`
	}{ops, returnResults}
	var out []TxResult
	err := d.post(ctx, "/v1/rqlite/transaction", req, func(v any) error {
		if !returnResults {
			return nil
		}
		var err error
		out, err = txResults(v)
		return err
	})
	return out, err
}

// Statements runs SQL statements without arguments in order, all or
// nothing (the {statements} body of transaction).
func (d *Database) Statements(ctx context.Context, sqls ...string) error {
	req := struct {
		Statements []string `json:"statements"`
	}{sqls}
	if req.Statements == nil {
		req.Statements = []string{}
	}
	return d.c.do(ctx, http.MethodPost, "/v1/rqlite/transaction", req, nil)
}

// txResults reads the results of {status, results}. A result that is an
// object with items (or a bare array of rows) is a query result, any other
// object an exec result.
func txResults(v any) ([]TxResult, error) {
	m, err := object(v, "answer")
	if err != nil {
		return nil, err
	}
	list, ok := m["results"].([]any)
	if !ok && m["results"] != nil {
		return nil, fmt.Errorf("results is %s, want an array", jsonKind(m["results"]))
	}
	out := make([]TxResult, len(list))
	for i, e := range list {
		if rows, ok := e.([]any); ok {
			items, err := rowList(rows)
			if err != nil {
				return nil, fmt.Errorf("results[%d]: %w", i, err)
			}
			out[i] = TxResult{Items: items, Count: len(items)}
			continue
		}
		obj, err := object(e, fmt.Sprintf("results[%d]", i))
		if err != nil {
			return nil, err
		}
		if _, isQuery := obj["items"]; isQuery {
			q, err := queryResult(obj)
			if err != nil {
				return nil, fmt.Errorf("results[%d]: %w", i, err)
			}
			out[i] = TxResult{Items: q.Items, Count: q.Count}
			continue
		}
		x, err := execResult(obj)
		if err != nil {
			return nil, fmt.Errorf("results[%d]: %w", i, err)
		}
		out[i] = TxResult{RowsAffected: x.RowsAffected, LastInsertID: x.LastInsertID}
	}
	return out, nil
}
