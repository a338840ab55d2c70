package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/serverless"
)

// Row is one stored version: the function object plus the SHA-256 (hex)
// of its module, which is also the engine's compile key.
type Row struct {
	serverless.Function
	SHA256 string
}

const columns = `id, namespace, name, version, wasm_cid, sha256, is_public, memory_limit_mb,
	timeout_seconds, retry_count, retry_delay_seconds, env_vars, status, created_at, updated_at`

// Insert stores r as the next version of (r.Namespace, r.Name) and
// returns it with its ID, Version, Status and times set. The version
// counter and the row are written in one transaction: either both or
// neither, and two deploys racing get different versions.
func (s *Store) Insert(ctx context.Context, r Row, now time.Time) (Row, error) {
	env, err := json.Marshal(nonNil(r.EnvVars))
	if err != nil {
		return Row{}, err
	}
	r.ID = newID()
	r.Status = serverless.StatusActive
	r.CreatedAt, r.UpdatedAt = time.UnixMilli(ms(now)), time.UnixMilli(ms(now))
	res, err := s.db.Transaction(ctx, ns, []database.Op{
		stmt(`INSERT INTO fn_versions (namespace, name, last) VALUES (?, ?, 1)
			ON CONFLICT (namespace, name) DO UPDATE SET last = last + 1`, r.Namespace, r.Name),
		stmt(`INSERT INTO fn_functions (`+columns+`)
			SELECT ?, namespace, name, last, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
			FROM fn_versions WHERE namespace = ? AND name = ?`,
			r.ID, r.WASMCID, r.SHA256, r.IsPublic, r.MemoryLimitMB, r.TimeoutSeconds, r.RetryCount,
			r.RetryDelaySeconds, string(env), r.Status, ms(now), ms(now), r.Namespace, r.Name),
		{Kind: database.OpQuery, Statement: database.Statement{
			SQL: `SELECT version FROM fn_functions WHERE id = ?`, Args: []any{r.ID}}},
	}, true)
	if err != nil {
		return Row{}, err
	}
	if len(res) != 3 || res[2].Rows == nil || len(res[2].Rows.Rows) != 1 {
		return Row{}, sdk.Errorf(sdk.CodeInternal, "deploy: the new version was not read back")
	}
	r.Version = int(database.CellInt(res[2].Rows.Rows[0][0]))
	return r, nil
}

// Get returns one version of a function (0: the latest). Errors:
// not_found.
func (s *Store) Get(ctx context.Context, namespace, name string, version int) (Row, error) {
	var rows *database.Rows
	var err error
	if version == 0 {
		rows, err = s.query(ctx, `SELECT `+columns+` FROM fn_functions
			WHERE namespace = ? AND name = ? ORDER BY version DESC LIMIT 1`, namespace, name)
	} else {
		rows, err = s.query(ctx, `SELECT `+columns+` FROM fn_functions
			WHERE namespace = ? AND name = ? AND version = ?`, namespace, name, version)
	}
	if err != nil {
		return Row{}, err
	}
	if len(rows.Rows) == 0 {
		return Row{}, notFound(name, version)
	}
	return scanRow(rows.Rows[0])
}

// List returns the latest version of every function of namespace, sorted
// by name.
func (s *Store) List(ctx context.Context, namespace string) ([]Row, error) {
	rows, err := s.query(ctx, `SELECT `+columns+` FROM fn_functions f
		WHERE namespace = ? AND version = (SELECT MAX(version) FROM fn_functions g
			WHERE g.namespace = f.namespace AND g.name = f.name)
		ORDER BY name`, namespace)
	if err != nil {
		return nil, err
	}
	return scanRows(rows)
}

// Versions returns every kept version of a function, oldest first.
// Errors: not_found when there is none.
func (s *Store) Versions(ctx context.Context, namespace, name string) ([]Row, error) {
	rows, err := s.query(ctx, `SELECT `+columns+` FROM fn_functions
		WHERE namespace = ? AND name = ? ORDER BY version`, namespace, name)
	if err != nil {
		return nil, err
	}
	if len(rows.Rows) == 0 {
		return nil, notFound(name, 0)
	}
	return scanRows(rows)
}

// Delete removes one version (all when version is 0; then the function's
// logs too) and returns the rows it removed. The version counter stays,
// so the numbers are never given out again. Errors: not_found.
func (s *Store) Delete(ctx context.Context, namespace, name string, version int) ([]Row, error) {
	var gone []Row
	var err error
	if version == 0 {
		gone, err = s.Versions(ctx, namespace, name)
	} else {
		var r Row
		r, err = s.Get(ctx, namespace, name, version)
		gone = []Row{r}
	}
	if err != nil {
		return nil, err
	}
	ops := []database.Op{stmt(`DELETE FROM fn_functions WHERE namespace = ? AND name = ? AND (? = 0 OR version = ?)`,
		namespace, name, version, version)}
	if version == 0 {
		ops = append(ops, stmt(`DELETE FROM fn_logs WHERE namespace = ? AND name = ?`, namespace, name))
	}
	res, err := s.db.Transaction(ctx, ns, ops, true)
	if err != nil {
		return nil, err
	}
	if n := res[0].Exec.RowsAffected; n == 0 {
		return nil, notFound(name, version) // another node deleted it meanwhile
	} else if int(n) < len(gone) {
		gone = gone[:n] // only the count is reported; which rows another node took does not matter
	}
	return gone, nil
}

// CIDInUse reports whether any function version of any namespace still
// runs the module cid.
func (s *Store) CIDInUse(ctx context.Context, cid string) (bool, error) {
	rows, err := s.query(ctx, `SELECT 1 FROM fn_functions WHERE wasm_cid = ? LIMIT 1`, cid)
	if err != nil {
		return false, err
	}
	return len(rows.Rows) > 0, nil
}

func scanRows(rows *database.Rows) ([]Row, error) {
	out := make([]Row, 0, len(rows.Rows))
	for _, r := range rows.Rows {
		row, err := scanRow(r)
		if err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, nil
}

func scanRow(c []any) (Row, error) {
	if len(c) != 15 {
		return Row{}, sdk.Errorf(sdk.CodeInternal, "fn_functions: %d columns, want 15", len(c))
	}
	var env map[string]string
	if s := database.CellString(c[11]); s != "" {
		if err := json.Unmarshal([]byte(s), &env); err != nil {
			return Row{}, sdk.Errorf(sdk.CodeInternal, "fn_functions %s: env_vars: %v", database.CellString(c[0]), err)
		}
	}
	return Row{Function: serverless.Function{
		ID: database.CellString(c[0]), Namespace: database.CellString(c[1]), Name: database.CellString(c[2]), Version: int(database.CellInt(c[3])),
		WASMCID: database.CellString(c[4]), IsPublic: database.CellInt(c[6]) != 0, MemoryLimitMB: int(database.CellInt(c[7])),
		TimeoutSeconds: int(database.CellInt(c[8])), RetryCount: int(database.CellInt(c[9])), RetryDelaySeconds: int(database.CellInt(c[10])),
		EnvVars: nonNil(env), Status: database.CellString(c[12]), CreatedAt: database.CellTime(c[13]), UpdatedAt: database.CellTime(c[14]),
	}, SHA256: database.CellString(c[5])}, nil
}

// notFound is the error of a missing function or version.
func notFound(name string, version int) error {
	if version == 0 {
		return sdk.Errorf(sdk.CodeNotFound, "function %q not found", name)
	}
	return sdk.Errorf(sdk.CodeNotFound, "function %s@%d not found", name, version)
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// newID returns a function version's id: "fn_" + 32 hex digits.
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("fn_%s", hex.EncodeToString(b))
}
