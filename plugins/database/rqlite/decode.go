package rqlite

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/orama-network/orama/plugins/database/driver"
)

// mode says how the result of one statement of a request is decoded.
type mode int

const (
	modeSkip   mode = iota // nothing is kept (read-only exec, helpers)
	modePlain              // rows from declared types (blob_array)
	modeTyped              // a cookie row, then rows of (typeof, value) pairs; see typed.go
	modeShape              // only the column names
	modeExec               // the counters
	modeCookie             // the schema cookie (cookieStmt), not counted as a row
)

// response is a decoded rqlite response.
type response struct {
	results []*result
	err     string // the request failed as a whole
}

// result is one statement's result.
type result struct {
	columns      []string // not kept for a typed result (see ncols)
	ncols        int
	types        []string // kept for a plain result only
	rows         [][]any
	query        bool // the statement returned columns (a query result)
	err          string
	lastInsertID int64
	rowsAffected int64
	cookie       int64 // typed: the schema cookie of the first row
	header       bool  // typed: the first row was read
}

// decoder streams a response: rows are converted and counted against the
// Collector one at a time, so a result beyond the limits is refused
// without being read to its end.
type decoder struct {
	lx    *lexer
	modes func(i int) mode
	c     *driver.Collector
}

func decodeResponse(r io.Reader, modes func(int) mode, c *driver.Collector) (*response, error) {
	d := &decoder{lx: newLexer(r), modes: modes, c: c}
	defer d.lx.release()
	resp := &response{}
	err := d.object(func(key string) error {
		switch key {
		case "results":
			return d.array(func(i int) error {
				res, err := d.result(d.modes(i))
				resp.results = append(resp.results, res)
				return err
			})
		case "error":
			return d.str(&resp.err)
		}
		return d.skip()
	})
	return resp, err
}

func (d *decoder) result(m mode) (*result, error) {
	res := &result{}
	err := d.object(func(key string) error {
		switch key {
		case "columns":
			res.query = true
			if m == modeTyped { // only their number matters
				return d.array(func(int) error {
					res.ncols++
					return d.skip()
				})
			}
			err := d.strs(&res.columns)
			res.ncols = len(res.columns)
			return err
		case "types":
			if m != modePlain {
				return d.skip()
			}
			return d.strs(&res.types)
		case "values", "rows":
			if m != modePlain && m != modeTyped && m != modeCookie {
				return d.skip()
			}
			return d.array(func(i int) error {
				if m == modeTyped && i == 0 || m == modeCookie {
					return d.header(res, m)
				}
				row, err := d.row(m, res)
				if err == nil && row != nil {
					res.rows = append(res.rows, row)
				}
				return err
			})
		case "error":
			return d.str(&res.err)
		case "last_insert_id":
			return d.int(&res.lastInsertID)
		case "rows_affected":
			return d.int(&res.rowsAffected)
		}
		return d.skip()
	})
	if err != nil || res.err != "" {
		return res, err
	}
	switch m {
	case modePlain:
		err = res.plainRows()
	case modeTyped:
		switch {
		case res.ncols%2 != 0:
			err = fmt.Errorf("typed result with %d columns", res.ncols)
		case !res.header:
			err = fmt.Errorf("typed result without its cookie row")
		}
	case modeCookie:
		if !res.header {
			err = fmt.Errorf("no schema cookie")
		}
	}
	return res, err
}

// header reads the first row of a typed result (headerTag, the schema
// cookie, then NULLs) or the row of cookieStmt (the cookie). It is not a
// row of the result (not counted).
func (d *decoder) header(res *result, m mode) error {
	if res.header {
		return fmt.Errorf("a second cookie row")
	}
	return d.array(func(i int) error {
		if m == modeCookie {
			i++ // the row is the cookie alone
		}
		k, b, err := d.lx.scalar()
		switch {
		case err != nil:
			return err
		case k == kOpen:
			return fmt.Errorf("unexpected array in a cookie row")
		case i == 0 && (k != kString || string(b) != headerTag):
			return fmt.Errorf("typed result starts with %q, not its cookie row", b)
		case i == 1 && k != kNumber:
			return fmt.Errorf("unexpected schema cookie %q", b)
		case i == 1:
			res.cookie, err = strconv.ParseInt(view(b), 10, 64)
			res.header = err == nil
			return err
		case m == modeCookie:
			return fmt.Errorf("unexpected schema cookie row")
		}
		return nil
	})
}

// row reads one row (a JSON array). Plain cells stay raw until the
// declared types are known (plainRows); typed pairs are converted here.
func (d *decoder) row(m mode, res *result) ([]any, error) {
	if err := d.c.Row(); err != nil {
		return nil, err
	}
	if m == modeTyped {
		return d.typedRow()
	}
	var cells []any
	err := d.array(func(int) error {
		v, err := d.cell()
		if err != nil {
			return err
		}
		cells = append(cells, v)
		return d.c.Cell(v)
	})
	return cells, err
}

// typedRow reads a row of (typeof, value) pairs (see typed.go) as exact
// values: integers and reals from their JSON numbers, blobs from hex,
// text as is.
func (d *decoder) typedRow() ([]any, error) {
	var row []any
	var typeOf [8]byte
	n, t := 0, 0
	err := d.array(func(i int) error {
		n++
		if i%2 == 0 {
			k, b, err := d.lx.scalar()
			if err != nil {
				return err
			}
			if k != kString || len(b) > len(typeOf) {
				return fmt.Errorf("column %d: unexpected type %q", i/2+1, b)
			}
			t = copy(typeOf[:], b)
			return nil
		}
		v, err := d.typedValue(typeOf[:t])
		if err != nil {
			return fmt.Errorf("column %d: %w", i/2+1, err)
		}
		row = append(row, v)
		return d.c.Cell(v)
	})
	if err == nil && n%2 != 0 {
		err = fmt.Errorf("typed row with %d cells", n)
	}
	return row, err
}

// typedValue reads the value of a cell of storage class typeOf.
func (d *decoder) typedValue(typeOf []byte) (any, error) {
	k, b, err := d.lx.scalar()
	if err != nil {
		return nil, err
	}
	switch string(typeOf) {
	case "null":
		if k == kNull {
			return nil, nil
		}
	case "integer":
		if k == kNumber {
			return strconv.ParseInt(view(b), 10, 64)
		}
	case "real":
		if k == kNumber {
			return strconv.ParseFloat(view(b), 64)
		}
	case "text":
		switch k {
		case kString:
			return string(b), nil
		case kOpen: // rqlite sent the text's bytes as a blob
			blob, err := d.blob()
			return string(blob), err
		}
	case "blob":
		if k == kString {
			out := make([]byte, hex.DecodedLen(len(b)))
			if _, err := hex.Decode(out, b); err != nil {
				return nil, err
			}
			return out, nil
		}
	}
	if k == kOpen {
		if err := d.skip(); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("unexpected %s for a value of type %q", kindName(k), typeOf)
}

// errTooLong is returned when a response passes the byte cap.
var errTooLong = errors.New("response too long")

// capReader fails with errTooLong when the body goes on past n bytes.
type capReader struct {
	r io.Reader
	n int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		var one [1]byte
		if k, err := c.r.Read(one[:]); k == 0 && err != nil {
			return 0, err // io.EOF right at the cap is fine
		}
		return 0, errTooLong
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	k, err := c.r.Read(p)
	c.n -= int64(k)
	return k, err
}
