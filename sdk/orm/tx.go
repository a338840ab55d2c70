package orm

import (
	"context"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
)

// Tx is a batch of statements that Commit sends as one transaction: all
// of them take effect or none does. It is a batch, not an interactive
// transaction (see the package doc): an op sees the effects of the ops
// before it, but results reach Go code only when Commit returns, and
// reads made through the DB while the Tx is assembled see the state before
// it. A Tx is not safe for concurrent use.
type Tx struct {
	db    *DB
	ops   []client.TxOp
	hooks []txHook
	err   error
	done  bool
}

// txHook runs after a successful Commit with the result of op i.
type txHook struct {
	i   int
	run func(client.TxResult) error
}

func (tx *Tx) fail(err error) {
	if tx.err == nil {
		tx.err = err
	}
}

// Exec adds a statement that changes data and returns its index in the
// results of Commit.
func (tx *Tx) Exec(sql string, args ...any) int { return tx.add(client.OpExec, sql, args) }

// Query adds a statement that returns rows and returns its index in the
// results of Commit; scan them with ScanRows(results[i].Items, &dest).
func (tx *Tx) Query(sql string, args ...any) int { return tx.add(client.OpQuery, sql, args) }

// Select adds the query of b and returns its index in the results of
// Commit.
func (tx *Tx) Select(b *Builder) int {
	if b.err != nil {
		tx.fail(b.err)
		return -1
	}
	q, args := b.build(b.limit)
	return tx.add(client.OpQuery, q, args)
}

func (tx *Tx) add(kind, sql string, args []any) int {
	args, err := normalizeArgs(args)
	if err != nil {
		tx.fail(sdk.Errorf(sdk.CodeInvalid, "orm: %s %q: %v", kind, sql, err))
		return -1
	}
	tx.ops = append(tx.ops, client.TxOp{Kind: kind, SQL: sql, Args: args})
	return len(tx.ops) - 1
}

// after registers fn to run with the result of op i after Commit.
func (tx *Tx) after(i int, fn func(client.TxResult) error) {
	tx.hooks = append(tx.hooks, txHook{i: i, run: fn})
}

// Len returns the number of ops in the batch.
func (tx *Tx) Len() int { return len(tx.ops) }

// Commit sends the batch and returns one result per op, in order. It
// sends nothing if an op was refused when it was added (that error is
// returned) or if the batch is empty. After a successful Commit the
// auto primary keys of structs given to Repository.SaveTx are set.
// A Tx commits once; after an error it may be committed again (all or
// nothing means a refused batch changed nothing; after an unavailable
// error the outcome is unknown).
func (tx *Tx) Commit(ctx context.Context) ([]client.TxResult, error) {
	if tx.err != nil {
		return nil, tx.err
	}
	if tx.done {
		return nil, sdk.Errorf(sdk.CodeInvalid, "orm: transaction already committed")
	}
	if len(tx.ops) == 0 {
		tx.done = true
		return nil, nil
	}
	res, err := tx.db.conn.Transaction(ctx, tx.ops, true)
	if err != nil {
		return nil, err
	}
	tx.done = true
	if len(res) != len(tx.ops) {
		return res, sdk.Errorf(sdk.CodeInternal, "orm: transaction of %d ops answered %d results", len(tx.ops), len(res))
	}
	for _, h := range tx.hooks {
		if err := h.run(res[h.i]); err != nil {
			return res, err
		}
	}
	return res, nil
}
