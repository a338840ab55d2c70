package rqlite

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk"
)

// body writes statements as rqlite's request body: a JSON array whose
// items are a bare SQL string or [sql, arg, …].
type body struct {
	buf bytes.Buffer
	n   int
}

// add appends one statement; it fails (invalid) for an argument rqlite
// cannot carry exactly.
func (b *body) add(stmt driver.Stmt) error {
	sql, args, err := inlineTexts(stmt.SQL, stmt.Args)
	if err != nil {
		return sdk.Errorf(sdk.CodeInvalid, "rqlite: %v", err)
	}
	if b.n == 0 {
		b.buf.WriteByte('[')
	} else {
		b.buf.WriteByte(',')
	}
	b.n++
	if len(args) == 0 {
		return writeString(&b.buf, sql)
	}
	b.buf.WriteByte('[')
	if err := writeString(&b.buf, sql); err != nil {
		return err
	}
	for i, a := range args {
		b.buf.WriteByte(',')
		if err := writeArg(&b.buf, a); err != nil {
			return sdk.Errorf(sdk.CodeInvalid, "args[%d]: %v", i, err)
		}
	}
	b.buf.WriteByte(']')
	return nil
}

// bytes returns the finished body.
func (b *body) bytes() []byte {
	if b.n == 0 {
		return []byte("[]")
	}
	return append(b.buf.Bytes(), ']')
}

func writeArg(buf *bytes.Buffer, a any) error {
	switch x := a.(type) {
	case nil:
		buf.WriteString("null")
	case int64:
		buf.WriteString(strconv.FormatInt(x, 10))
	case float64:
		s, err := number(x)
		if err != nil {
			return err
		}
		buf.WriteString(s)
	case string:
		return writeString(buf, x)
	case []byte:
		buf.WriteByte('[')
		for i, c := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString(strconv.Itoa(int(c)))
		}
		buf.WriteByte(']')
	default:
		return fmt.Errorf("unsupported value type %T", a)
	}
	return nil
}

// writeString writes s as a JSON string. JSON cannot carry invalid UTF-8
// (encoding/json would replace it), so such a text is refused.
func writeString(buf *bytes.Buffer, s string) error {
	if !utf8.ValidString(s) {
		return sdk.Errorf(sdk.CodeInvalid, "text is not valid UTF-8; rqlite carries text as JSON (send bytes as a BLOB)")
	}
	const hexDigits = "0123456789abcdef"
	buf.WriteByte('"')
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		buf.WriteString(s[last:i])
		switch c {
		case '"', '\\':
			buf.WriteByte('\\')
			buf.WriteByte(c)
		case '\n':
			buf.WriteString(`\n`)
		case '\r':
			buf.WriteString(`\r`)
		case '\t':
			buf.WriteString(`\t`)
		default:
			buf.WriteString(`\u00`)
			buf.WriteByte(hexDigits[c>>4])
			buf.WriteByte(hexDigits[c&0xf])
		}
		last = i + 1
	}
	buf.WriteString(s[last:])
	buf.WriteByte('"')
	return nil
}
