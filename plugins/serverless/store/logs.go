package store

import (
	"context"
	"sort"

	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/serverless"
)

// LogRow is one log entry of a function.
type LogRow struct {
	Namespace, Name string
	serverless.LogEntry
}

// AppendLogs stores entries (any functions, in order) in one transaction
// and prunes each function they touch to its latest keep entries.
func (s *Store) AppendLogs(ctx context.Context, entries []LogRow, keep int) error {
	if len(entries) == 0 {
		return nil
	}
	type fn struct{ ns, name string }
	touched := map[fn]bool{}
	ops := make([]database.Op, 0, len(entries)+4)
	for _, e := range entries {
		ops = append(ops, stmt(`INSERT INTO fn_logs (namespace, name, version, level, message, request_id, ts)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, e.Namespace, e.Name, e.Version, e.Level, e.Message, e.RequestID, ms(e.Timestamp)))
		touched[fn{e.Namespace, e.Name}] = true
	}
	fns := make([]fn, 0, len(touched))
	for f := range touched {
		fns = append(fns, f)
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].ns+"\x00"+fns[i].name < fns[j].ns+"\x00"+fns[j].name })
	for _, f := range fns {
		ops = append(ops, stmt(`DELETE FROM fn_logs WHERE namespace = ? AND name = ? AND id <= (
			SELECT id FROM fn_logs WHERE namespace = ? AND name = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
			f.ns, f.name, f.ns, f.name, keep))
	}
	for len(ops) > 0 { // a transaction takes at most database.MaxOps statements
		n := min(len(ops), database.MaxOps)
		if _, err := s.db.Transaction(ctx, ns, ops[:n], false); err != nil {
			return err
		}
		ops = ops[n:]
	}
	return nil
}

// Logs returns a function's latest limit entries, oldest first.
func (s *Store) Logs(ctx context.Context, namespace, name string, limit int) ([]serverless.LogEntry, error) {
	rows, err := s.query(ctx, `SELECT level, message, ts, request_id, version FROM fn_logs
		WHERE namespace = ? AND name = ? ORDER BY id DESC LIMIT ?`, namespace, name, limit)
	if err != nil {
		return nil, err
	}
	out := make([]serverless.LogEntry, len(rows.Rows))
	for i, r := range rows.Rows {
		out[len(out)-1-i] = serverless.LogEntry{Level: database.CellString(r[0]), Message: database.CellString(r[1]),
			Timestamp: database.CellTime(r[2]), RequestID: database.CellString(r[3]), Version: int(database.CellInt(r[4]))}
	}
	return out, nil
}
