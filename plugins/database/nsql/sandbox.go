package nsql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"regexp"
	"strings"
	"sync"

	sqlite "modernc.org/sqlite"
)

// The sandbox asks SQLite itself whether text the parser refused is valid
// SQLite, so that malformed SQL is answered with the engine's own message
// (near "SELEC": syntax error). It is a private in-memory database, opened
// once on first use, that only ever prepares: no statement is stepped. An
// authorizer denies every action, so even preparing cannot have an effect
// (some PRAGMAs act while they are compiled); syntax errors are reported
// before the authorizer is consulted.
var sandbox struct {
	sync.Mutex
	db   *sql.DB
	conn *sql.Conn
}

// engineVerdict prepares text in the sandbox. It returns SQLite's error
// message and whether the text is valid SQLite (it parsed, and at most
// failed authorization or name resolution). ok is false when the sandbox
// itself is unusable.
func engineVerdict(text string) (msg string, valid, ok bool) {
	sandbox.Lock()
	defer sandbox.Unlock()
	if sandbox.conn == nil {
		if err := openSandbox(); err != nil {
			return "", false, false
		}
	}
	var perr error
	err := sandbox.conn.Raw(func(dc any) error {
		c, isConn := dc.(driver.Conn)
		if !isConn {
			return errors.New("sandbox: not a driver.Conn")
		}
		st, err := c.Prepare(text)
		if err != nil {
			perr = err
			return nil
		}
		return st.Close()
	})
	if err != nil {
		// The connection is broken: drop it, open afresh next time.
		sandbox.conn.Close()
		sandbox.db.Close()
		sandbox.conn, sandbox.db = nil, nil
		return "", false, false
	}
	if perr == nil {
		return "", true, true
	}
	msg = engineMessage(perr)
	return msg, !syntaxError(msg), true
}

func openSandbox() error {
	conn, err := sqlite.NewConnector(":memory:")
	if err != nil {
		return err
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(1)
	c, err := db.Conn(context.Background())
	if err != nil {
		db.Close()
		return err
	}
	err = c.Raw(func(dc any) error {
		r, ok := dc.(sqlite.AuthorizerRegisterer)
		if !ok {
			return errors.New("sandbox: driver has no authorizer")
		}
		return r.RegisterAuthorizer(func(sqlite.AuthorizerActionCode, string, string, string, string) sqlite.AuthorizerReturnCode {
			return sqlite.AuthorizerDeny
		})
	})
	if err != nil {
		c.Close()
		db.Close()
		return err
	}
	sandbox.db, sandbox.conn = db, c
	return nil
}

// modernc.org/sqlite formats errors as "<errstr>: <errmsg> (<code>)".
var errSuffix = regexp.MustCompile(` \(\d+\)$`)

// engineMessage returns SQLite's own message from a driver error.
func engineMessage(err error) string {
	msg := errSuffix.ReplaceAllString(err.Error(), "")
	for _, prefix := range []string{"SQL logic error: ", "authorization denied: "} {
		if strings.HasPrefix(msg, prefix) {
			return strings.TrimPrefix(msg, prefix)
		}
	}
	return msg
}

// syntaxError reports whether SQLite refused the text as SQL: a syntax
// error, or any other error raised while parsing. Denied authorization and
// missing objects mean the text parsed.
func syntaxError(msg string) bool {
	return !strings.HasPrefix(msg, "not authorized") && !strings.HasPrefix(msg, "no such ")
}
