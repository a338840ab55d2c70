package driver

import "github.com/orama-network/orama/sdk"

// Limits bound what one call returns.
type Limits struct {
	MaxRows  int   // rows over every query of the call
	MaxBytes int64 // bytes of the cells (see Collector)
}

// Collector counts a result while it is read, so an engine stops reading
// as soon as a limit is passed instead of buffering an unbounded result.
// A number counts 8 bytes, a text or blob its length, NULL 1 byte; column
// names count their length. One Collector spans all queries of a batch.
type Collector struct {
	lim   Limits
	rows  int
	bytes int64
}

// NewCollector returns a Collector for lim.
func NewCollector(lim Limits) *Collector { return &Collector{lim: lim} }

// Limits returns the limits the Collector enforces.
func (c *Collector) Limits() Limits { return c.lim }

// Rows returns the rows counted so far.
func (c *Collector) Rows() int { return c.rows }

// Row counts one more row; it fails once the row limit is passed.
func (c *Collector) Row() error {
	c.rows++
	if c.rows > c.lim.MaxRows {
		return sdk.Errorf(sdk.CodeTooLarge, "the result has more than %d rows (max_rows); select fewer rows, e.g. with LIMIT", c.lim.MaxRows)
	}
	return nil
}

// Cell counts one cell; it fails once the byte limit is passed.
func (c *Collector) Cell(v any) error {
	return c.add(int64(CellSize(v)))
}

// Columns counts column names.
func (c *Collector) Columns(names []string) error {
	n := 0
	for _, s := range names {
		n += len(s)
	}
	return c.add(int64(n))
}

func (c *Collector) add(n int64) error {
	c.bytes += n
	if c.bytes > c.lim.MaxBytes {
		return sdk.Errorf(sdk.CodeTooLarge, "the result is larger than %d bytes (max_result_bytes); select fewer rows or columns", c.lim.MaxBytes)
	}
	return nil
}

// CellSize is what a cell counts against max_result_bytes.
func CellSize(v any) int {
	switch x := v.(type) {
	case string:
		return len(x)
	case []byte:
		return len(x)
	case nil:
		return 1
	}
	return 8
}
