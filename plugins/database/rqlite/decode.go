package rqlite

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

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
	columns      []string
	types        []string
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
	dec   *json.Decoder
	modes func(i int) mode
	c     *driver.Collector
}

func decodeResponse(r io.Reader, modes func(int) mode, c *driver.Collector) (*response, error) {
	d := &decoder{dec: json.NewDecoder(r), modes: modes, c: c}
	d.dec.UseNumber()
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
			return d.dec.Decode(&resp.err)
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
			return d.dec.Decode(&res.columns)
		case "types":
			return d.dec.Decode(&res.types)
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
			return d.dec.Decode(&res.err)
		case "last_insert_id":
			return d.dec.Decode(&res.lastInsertID)
		case "rows_affected":
			return d.dec.Decode(&res.rowsAffected)
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
		case len(res.columns)%2 != 0:
			err = fmt.Errorf("typed result with %d columns", len(res.columns))
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
	var cells []any
	err := d.array(func(int) error {
		v, err := d.cell()
		cells = append(cells, v)
		return err
	})
	if err != nil {
		return err
	}
	if m == modeCookie {
		if res.header || len(cells) != 1 {
			return fmt.Errorf("unexpected schema cookie %v", cells)
		}
		cells = append([]any{headerTag}, cells...)
	}
	if len(cells) < 2 || cells[0] != headerTag {
		return fmt.Errorf("typed result starts with %v, not its cookie row", cells)
	}
	n, ok := cells[1].(json.Number)
	if !ok {
		return fmt.Errorf("typed result's cookie is %v", cells[1])
	}
	v, err := n.Int64()
	if err != nil {
		return fmt.Errorf("typed result's cookie: %v", err)
	}
	res.cookie, res.header = v, true
	return nil
}

// row reads one row (a JSON array). Plain cells stay raw until the
// declared types are known (plainRows); typed pairs are converted here.
func (d *decoder) row(m mode, res *result) ([]any, error) {
	if err := d.c.Row(); err != nil {
		return nil, err
	}
	var cells []any
	err := d.array(func(int) error {
		v, err := d.cell()
		if err != nil {
			return err
		}
		cells = append(cells, v)
		if m == modePlain {
			return d.c.Cell(v)
		}
		return nil
	})
	if err != nil || m == modePlain {
		return cells, err
	}
	row, err := typedRow(cells)
	if err != nil {
		return nil, err
	}
	for _, v := range row {
		if err := d.c.Cell(v); err != nil {
			return nil, err
		}
	}
	return row, nil
}

// cell reads one JSON value: json.Number, string, bool, nil, or a blob
// written as an array of bytes (returned as []byte).
func (d *decoder) cell() (any, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return nil, err
	}
	if tok != json.Delim('[') {
		if _, ok := tok.(json.Delim); ok {
			return nil, fmt.Errorf("unexpected %v in a row", tok)
		}
		return tok, nil
	}
	b := []byte{}
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return nil, err
		}
		n, ok := tok.(json.Number)
		if !ok {
			return nil, fmt.Errorf("blob byte %v is not a number", tok)
		}
		v, err := n.Int64()
		if err != nil || v < 0 || v > 255 {
			return nil, fmt.Errorf("blob byte %s out of range", n)
		}
		b = append(b, byte(v))
	}
	_, err = d.dec.Token() // ']'
	return b, err
}

// object reads a JSON object, calling field for each key; field must
// consume the value.
func (d *decoder) object(field func(key string) error) error {
	if err := d.expect('{'); err != nil {
		return err
	}
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("unexpected %v for an object key", tok)
		}
		if err := field(key); err != nil {
			return err
		}
	}
	_, err := d.dec.Token()
	return err
}

// array reads a JSON array (or null), calling elem for each element;
// elem must consume it.
func (d *decoder) array(elem func(i int) error) error {
	tok, err := d.dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if tok != json.Delim('[') {
		return fmt.Errorf("unexpected %v, want an array", tok)
	}
	for i := 0; d.dec.More(); i++ {
		if err := elem(i); err != nil {
			return err
		}
	}
	_, err = d.dec.Token()
	return err
}

func (d *decoder) expect(delim json.Delim) error {
	tok, err := d.dec.Token()
	if err != nil {
		return err
	}
	if tok != delim {
		return fmt.Errorf("unexpected %v, want %v", tok, delim)
	}
	return nil
}

// skip consumes one value of any kind, token by token, so skipping a
// large result holds none of it.
func (d *decoder) skip() error {
	depth := 0
	for {
		tok, err := d.dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('['), json.Delim('{'):
			depth++
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
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
