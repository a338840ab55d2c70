package rqlite

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unsafe"
)

// The decoder's readers of JSON values, over its lexer.

func kindName(k kind) string {
	switch k {
	case kString:
		return "string"
	case kNumber:
		return "number"
	case kTrue, kFalse:
		return "bool"
	case kNull:
		return "null"
	}
	return "array or object"
}

// view returns b as a string without copying, for parsing only: b
// changes with the next read.
func view(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// cell reads one JSON value: json.Number, string, bool, nil, or a blob
// written as an array of bytes (returned as []byte).
func (d *decoder) cell() (any, error) {
	k, b, err := d.lx.scalar()
	if err != nil {
		return nil, err
	}
	switch k {
	case kString:
		return string(b), nil
	case kNumber:
		return json.Number(string(b)), nil
	case kTrue:
		return true, nil
	case kFalse:
		return false, nil
	case kNull:
		return nil, nil
	}
	c, _ := d.lx.peek()
	if c != '[' {
		return nil, fmt.Errorf("unexpected %q in a row", c)
	}
	return d.blob()
}

// blob reads an array of bytes.
func (d *decoder) blob() ([]byte, error) {
	b := []byte{}
	err := d.array(func(int) error {
		k, n, err := d.lx.scalar()
		if err != nil {
			return err
		}
		if k != kNumber {
			return fmt.Errorf("blob byte %q is not a number", n)
		}
		v, err := strconv.ParseUint(view(n), 10, 8)
		if err != nil {
			return fmt.Errorf("blob byte %s out of range", n)
		}
		b = append(b, byte(v))
		return nil
	})
	return b, err
}

// object reads a JSON object, calling field for each key (a view, valid
// until field reads on); field must consume the value.
func (d *decoder) object(field func(key string) error) error {
	if err := d.lx.delim('{'); err != nil {
		return err
	}
	for d.lx.more() {
		k, key, err := d.lx.scalar()
		if err != nil {
			return err
		}
		if k != kString {
			return fmt.Errorf("unexpected %s for an object key", kindName(k))
		}
		if err := field(view(key)); err != nil {
			return err
		}
	}
	return d.lx.delim('}')
}

// array reads a JSON array (or null), calling elem for each element;
// elem must consume it.
func (d *decoder) array(elem func(i int) error) error {
	c, err := d.lx.peek()
	if err != nil {
		return d.lx.eofErr(err)
	}
	if c == 'n' {
		return d.lx.literal("null")
	}
	if c != '[' {
		return fmt.Errorf("unexpected %q, want an array", c)
	}
	d.lx.pos++
	for i := 0; d.lx.more(); i++ {
		if err := elem(i); err != nil {
			return err
		}
	}
	return d.lx.delim(']')
}

// str reads a string (or null) into p.
func (d *decoder) str(p *string) error {
	k, b, err := d.lx.scalar()
	switch {
	case err != nil:
		return err
	case k == kString:
		*p = string(b)
	case k != kNull:
		return fmt.Errorf("unexpected %s, want a string", kindName(k))
	}
	return nil
}

// strs reads an array of strings (or null) into p.
func (d *decoder) strs(p *[]string) error {
	*p = nil
	return d.array(func(int) error {
		var s string
		err := d.str(&s)
		*p = append(*p, s)
		return err
	})
}

// int reads an integer into p.
func (d *decoder) int(p *int64) error {
	k, b, err := d.lx.scalar()
	if err != nil {
		return err
	}
	if k != kNumber {
		return fmt.Errorf("unexpected %s, want a number", kindName(k))
	}
	*p, err = strconv.ParseInt(view(b), 10, 64)
	return err
}

// skip consumes one value of any kind, token by token, so skipping a
// large result holds none of it.
func (d *decoder) skip() error {
	depth := 0
	for {
		c, err := d.lx.peek()
		if err != nil {
			return d.lx.eofErr(err)
		}
		switch c {
		case '[', '{':
			d.lx.pos++
			depth++
		case ']', '}':
			if depth == 0 {
				return fmt.Errorf("unexpected %q", c)
			}
			d.lx.pos++
			depth--
		default:
			if _, _, err := d.lx.scalar(); err != nil {
				return err
			}
		}
		if depth == 0 {
			return nil
		}
	}
}
