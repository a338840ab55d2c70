package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/orama-network/orama/plugins/database/driver"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Options configure the driver.
type Options struct {
	Path         string        // the database file; its directory is created
	BusyTimeout  time.Duration // how long a statement waits for a lock
	MaxOpenConns int           // read connections (the writer is one more)
	// MaxLength is SQLite's length limit (SQLITE_LIMIT_LENGTH) on every
	// connection: no string, blob or row may be longer, so a statement
	// that would build a bigger one (randomblob(1e9), a huge
	// group_concat) fails at once with too_large instead of allocating
	// it. 0 keeps SQLite's default (about 1 GB).
	MaxLength int
}

// Driver is the SQLite engine.
type Driver struct {
	path      string
	maxLength int
	writer    *sql.DB // one connection; BEGIN IMMEDIATE
	reader    *sql.DB // MaxOpenConns connections; query_only
	health    *sql.DB // one connection of its own for Health; query_only
}

var _ driver.Driver = (*Driver)(nil)

// Open opens (creating when missing) the database file and checks that
// both pools work.
func Open(ctx context.Context, o Options) (*Driver, error) {
	if err := os.MkdirAll(filepath.Dir(o.Path), 0o750); err != nil {
		return nil, fmt.Errorf("create the database directory: %w", err)
	}
	d := &Driver{path: o.Path, maxLength: o.MaxLength}
	var err error
	if d.writer, err = openPool(o, 1, "_txlock=immediate"); err != nil {
		return nil, err
	}
	// The writer goes first: it turns the file into WAL before readers open.
	if err := d.writer.PingContext(ctx); err != nil {
		_ = d.writer.Close()
		return nil, fmt.Errorf("open %s: %w", o.Path, err)
	}
	if d.reader, err = openPool(o, max(o.MaxOpenConns, 1), "_query_only=1"); err != nil {
		_ = d.writer.Close()
		return nil, err
	}
	if err := d.reader.PingContext(ctx); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("open %s for reading: %w", o.Path, err)
	}
	if d.health, err = openPool(o, 1, "_query_only=1"); err != nil {
		_ = d.Close()
		return nil, err
	}
	if err := d.health.PingContext(ctx); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("open %s for health checks: %w", o.Path, err)
	}
	return d, nil
}

// openPool opens a pool of n connections with the common settings and
// extra, one more DSN parameter.
func openPool(o Options, n int, extra string) (*sql.DB, error) {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(o.BusyTimeout.Milliseconds()))
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "1")
	q.Set("_synchronous", "NORMAL")
	q.Set("_dqs", "0")       // "no_such_column" is an error, not a string
	q.Set("_defensive", "1") // no statement may corrupt the file
	dsn := o.Path + "?" + q.Encode() + "&" + extra
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", o.Path, err)
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	return db, nil
}

// Health reads from the file on a connection of its own, which no
// statement of a namespace ever uses: it answers while every reader runs a
// slow query and while the writer holds a long transaction (WAL lets it
// read). The detail names the file.
func (d *Driver) Health(ctx context.Context) (string, error) {
	var mode string
	if err := d.health.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return "", err
	}
	return fmt.Sprintf("sqlite %s (journal %s)", d.path, mode), nil
}

// Close closes the pools; statements in flight fail.
func (d *Driver) Close() error {
	var errs []error
	if d.health != nil {
		errs = append(errs, d.health.Close())
	}
	if d.reader != nil {
		errs = append(errs, d.reader.Close())
	}
	if d.writer != nil {
		errs = append(errs, d.writer.Close())
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
