package rqlite

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// lexer reads the JSON of rqlite's answers token by token from a stream,
// through a pooled buffer: what encoding/json's Decoder.Token does for the
// decoder, with fewer allocations (object keys and scalars are read as
// views into the buffer, copied only when kept). Separators (',' and ':')
// are skipped, not checked: the structure is checked by the decoder.
type lexer struct {
	r       io.Reader
	buf     []byte
	pos     int
	end     int
	err     error  // of r, once it failed or ended
	scratch []byte // a string with escapes, or one that spans reads
}

var lexerBufs = sync.Pool{New: func() any { b := make([]byte, 8<<10); return &b }}

func newLexer(r io.Reader) *lexer {
	return &lexer{r: r, buf: *lexerBufs.Get().(*[]byte)}
}

// release gives the buffer back; l is unusable afterwards.
func (l *lexer) release() {
	b := l.buf
	l.buf = nil
	lexerBufs.Put(&b)
}

// fill reads more into the buffer, keeping buf[keep:end]; it returns
// false when nothing more comes.
func (l *lexer) fill(keep int) bool {
	if l.err != nil {
		return false
	}
	n := copy(l.buf, l.buf[keep:l.end])
	l.pos -= keep
	l.end = n
	if l.end == len(l.buf) { // a token longer than the buffer
		l.buf = append(l.buf, make([]byte, len(l.buf))...)
	}
	for {
		k, err := l.r.Read(l.buf[l.end:])
		l.end += k
		if err != nil {
			l.err = err
			return k > 0
		}
		if k > 0 {
			return true
		}
	}
}

// readErr is the error of a stream that ended inside a value.
func (l *lexer) readErr() error {
	if l.err == nil || l.err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return l.err
}

// peek returns the next byte that is not white space or a separator,
// without consuming it.
func (l *lexer) peek() (byte, error) {
	for {
		for l.pos < l.end {
			switch c := l.buf[l.pos]; c {
			case ' ', '\t', '\r', '\n', ',', ':':
				l.pos++
			default:
				return c, nil
			}
		}
		if !l.fill(l.pos) {
			if l.err == io.EOF {
				return 0, io.EOF
			}
			return 0, l.readErr()
		}
	}
}

// more reports whether the array or object goes on (the next byte is not
// its end).
func (l *lexer) more() bool {
	c, err := l.peek()
	return err == nil && c != ']' && c != '}'
}

// delim consumes the next byte, which must be want.
func (l *lexer) delim(want byte) error {
	c, err := l.peek()
	if err != nil {
		return l.eofErr(err)
	}
	if c != want {
		return fmt.Errorf("unexpected %q, want %q", c, want)
	}
	l.pos++
	return nil
}

func (l *lexer) eofErr(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// kind of a scalar token
type kind byte

const (
	kString kind = iota + 1
	kNumber
	kTrue
	kFalse
	kNull
	kOpen // '[' or '{', not consumed
	kClose
)

// scalar reads the next token when it is a scalar and returns its kind
// and, for a string or a number, its bytes: a view valid until the next
// call. An opening '[' or '{' is returned as kOpen and not consumed.
func (l *lexer) scalar() (kind, []byte, error) {
	c, err := l.peek()
	if err != nil {
		return 0, nil, l.eofErr(err)
	}
	switch {
	case c == '"':
		b, err := l.str()
		return kString, b, err
	case c == '-' || c >= '0' && c <= '9':
		b, err := l.number()
		return kNumber, b, err
	case c == 't':
		return kTrue, nil, l.literal("true")
	case c == 'f':
		return kFalse, nil, l.literal("false")
	case c == 'n':
		return kNull, nil, l.literal("null")
	case c == '[' || c == '{':
		return kOpen, nil, nil
	case c == ']' || c == '}':
		return kClose, nil, fmt.Errorf("unexpected %q", c)
	}
	return 0, nil, fmt.Errorf("invalid character %q", c)
}

func (l *lexer) literal(word string) error {
	for l.end-l.pos < len(word) {
		if !l.fill(l.pos) {
			return l.readErr()
		}
	}
	if string(l.buf[l.pos:l.pos+len(word)]) != word {
		return fmt.Errorf("invalid literal %q", l.buf[l.pos:l.pos+len(word)])
	}
	l.pos += len(word)
	return nil
}

// number reads a JSON number (checked as strconv would read it).
func (l *lexer) number() ([]byte, error) {
	i := l.pos
	for {
		for ; i < l.end; i++ {
			switch c := l.buf[i]; {
			case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
				continue
			}
			b := l.buf[l.pos:i]
			l.pos = i
			if !validNumber(b) {
				return nil, fmt.Errorf("invalid number %q", b)
			}
			return b, nil
		}
		start := l.pos
		if !l.fill(l.pos) {
			if l.err != io.EOF {
				return nil, l.err
			}
			b := l.buf[l.pos:l.end]
			l.pos = l.end
			if !validNumber(b) {
				return nil, fmt.Errorf("invalid number %q", b)
			}
			return b, nil
		}
		i -= start
	}
}

// validNumber checks the JSON number grammar.
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	return i == len(b)
}

// str reads a JSON string and returns its text, unescaped.
func (l *lexer) str() ([]byte, error) {
	l.pos++ // '"'
	// Fast path: no escape before the closing quote, within the buffer.
	for i := l.pos; i < l.end; i++ {
		switch c := l.buf[i]; {
		case c == '"':
			b := l.buf[l.pos:i]
			l.pos = i + 1
			return b, nil
		case c == '\\' || c < 0x20:
			i = l.end // slow path
		}
	}
	l.scratch = l.scratch[:0]
	for {
		if l.pos >= l.end && !l.fill(l.pos) {
			return nil, l.readErr()
		}
		c := l.buf[l.pos]
		switch {
		case c == '"':
			l.pos++
			return l.scratch, nil
		case c < 0x20:
			return nil, fmt.Errorf("control character %#x in a string", c)
		case c != '\\':
			l.scratch = append(l.scratch, c)
			l.pos++
			continue
		}
		// an escape: make sure its longest form (\uXXXX\uXXXX) is buffered
		for l.end-l.pos < 12 && l.fill(l.pos) {
		}
		if l.end-l.pos < 2 {
			return nil, l.readErr()
		}
		e := l.buf[l.pos+1]
		l.pos += 2
		switch e {
		case '"', '\\', '/':
			l.scratch = append(l.scratch, e)
		case 'b':
			l.scratch = append(l.scratch, '\b')
		case 'f':
			l.scratch = append(l.scratch, '\f')
		case 'n':
			l.scratch = append(l.scratch, '\n')
		case 'r':
			l.scratch = append(l.scratch, '\r')
		case 't':
			l.scratch = append(l.scratch, '\t')
		case 'u':
			r, ok := l.hex4()
			if !ok {
				return nil, errors.New("invalid \\u escape in a string")
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if l.end-l.pos >= 6 && l.buf[l.pos] == '\\' && l.buf[l.pos+1] == 'u' {
					save := l.pos
					l.pos += 2
					if r2, ok = l.hex4(); !ok {
						l.pos = save
						r2 = -1
					}
				}
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					r = d
				} else {
					if r2 >= 0 {
						l.pos -= 6 // not a pair: read the second one alone
					}
					r = utf8.RuneError
				}
			}
			l.scratch = utf8.AppendRune(l.scratch, r)
		default:
			return nil, fmt.Errorf("invalid escape \\%c in a string", e)
		}
	}
}

func (l *lexer) hex4() (rune, bool) {
	if l.end-l.pos < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(l.buf[l.pos:l.pos+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	l.pos += 4
	return rune(v), true
}
