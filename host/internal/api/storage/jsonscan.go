package storage

import (
	"bufio"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/orama-network/orama/host/internal/api"
)

// jsonScanner reads one JSON object member by member from a body, holding
// no more than its read buffer: strings are read through jsonStrReader, a
// reader of their decoded characters. Errors are invalid "invalid JSON
// body: …" (400), or the body limit's *http.MaxBytesError (413).
type jsonScanner struct {
	br      *bufio.Reader
	members int // members read so far
}

func jsonSyntax(format string, args ...any) error {
	return api.Invalidf("invalid JSON body: "+format, args...)
}

// readErr maps an error of the body: its end here means a truncated body.
func (sc *jsonScanner) readErr(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return jsonSyntax("unexpected end of input")
	}
	return formError(err)
}

// wsRaw returns the next byte that is not white space, or the reader's
// error as it is.
func (sc *jsonScanner) wsRaw() (byte, error) {
	for {
		c, err := sc.br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			return c, nil
		}
	}
}

// ws is wsRaw inside the value, where the end of the body is an error.
func (sc *jsonScanner) ws() (byte, error) {
	c, err := sc.wsRaw()
	if err != nil {
		return 0, sc.readErr(err)
	}
	return c, nil
}

// begin reads the object's '{'.
func (sc *jsonScanner) begin() error {
	c, err := sc.wsRaw()
	switch {
	case err == io.EOF:
		return jsonSyntax("empty body")
	case err != nil:
		return sc.readErr(err)
	case c != '{':
		return jsonSyntax("expected an object")
	}
	return nil
}

// end checks that nothing but white space follows the object.
func (sc *jsonScanner) end() error {
	_, err := sc.wsRaw()
	switch {
	case err == io.EOF:
		return nil
	case err != nil:
		return sc.readErr(err)
	}
	return jsonSyntax("unexpected data after the JSON value")
}

// nextKey reads up to the next member's value and returns its key, or ok
// false when it read the object's '}'. Keys longer than maxJSONKey come
// back cut (they match no field).
func (sc *jsonScanner) nextKey() (key string, ok bool, err error) {
	c, err := sc.ws()
	if err != nil {
		return "", false, err
	}
	if c == '}' {
		return "", false, nil
	}
	if sc.members > 0 {
		if c != ',' {
			return "", false, jsonSyntax("expected ',' or '}' after a field")
		}
		if c, err = sc.ws(); err != nil {
			return "", false, err
		}
	}
	if c != '"' {
		return "", false, jsonSyntax("expected a field name")
	}
	if key, _, err = sc.str(maxJSONKey); err != nil {
		return "", false, err
	}
	if !utf8.ValidString(key) {
		return "", false, api.Invalidf("invalid UTF-8 in a field name")
	}
	if c, err = sc.ws(); err != nil {
		return "", false, err
	}
	if c != ':' {
		return "", false, jsonSyntax("expected ':' after a field name")
	}
	sc.members++
	return key, true, nil
}

// nameValue reads the name field: a string of at most maxPinName bytes,
// or null.
func (sc *jsonScanner) nameValue() (string, error) {
	c, err := sc.ws()
	if err != nil {
		return "", err
	}
	if c == 'n' {
		return "", sc.literal("ull")
	}
	if c != '"' {
		return "", api.Invalidf("name must be a string")
	}
	s, fit, err := sc.str(maxPinName)
	if err != nil {
		return "", err
	}
	if !fit {
		return "", api.Invalidf("name longer than %d bytes", maxPinName)
	}
	return s, api.CheckUTF8("name", s)
}

// str reads a string whose opening quote has been read: up to max bytes
// of it; fit is false when it was longer (the rest is read and dropped).
func (sc *jsonScanner) str(max int) (s string, fit bool, err error) {
	js := &jsonStrReader{sc: sc}
	b, err := io.ReadAll(io.LimitReader(js, int64(max)+1))
	if err != nil {
		return "", false, err
	}
	if len(b) <= max {
		return string(b), true, nil
	}
	if _, err := io.Copy(io.Discard, js); err != nil {
		return "", false, err
	}
	return string(b[:max]), false, nil
}

// literal reads the rest of true, false or null.
func (sc *jsonScanner) literal(rest string) error {
	for i := 0; i < len(rest); i++ {
		c, err := sc.br.ReadByte()
		if err != nil {
			return sc.readErr(err)
		}
		if c != rest[i] {
			return jsonSyntax("invalid literal")
		}
	}
	return nil
}

// skipValue reads past one value of any kind.
func (sc *jsonScanner) skipValue(depth int) error {
	if depth > maxJSONDepth {
		return jsonSyntax("nested deeper than %d levels", maxJSONDepth)
	}
	c, err := sc.ws()
	if err != nil {
		return err
	}
	switch {
	case c == '"':
		// A skipped string reaches no plugin, but the body is refused all
		// the same, as decodeJSON refuses it: JSON text is UTF-8.
		v := &utf8Sink{}
		if _, err := io.Copy(v, &jsonStrReader{sc: sc}); err != nil {
			return err
		}
		return v.close()
	case c == 't':
		return sc.literal("rue")
	case c == 'f':
		return sc.literal("alse")
	case c == 'n':
		return sc.literal("ull")
	case c == '-' || (c >= '0' && c <= '9'):
		return sc.number()
	case c == '{':
		inner := &jsonScanner{br: sc.br}
		for {
			_, ok, err := inner.nextKey()
			if err != nil || !ok {
				return err
			}
			if err := inner.skipValue(depth + 1); err != nil {
				return err
			}
		}
	case c == '[':
		return sc.skipArray(depth)
	}
	return jsonSyntax("unexpected character %q", c)
}

func (sc *jsonScanner) skipArray(depth int) error {
	for n := 0; ; n++ {
		c, err := sc.ws()
		if err != nil {
			return err
		}
		if c == ']' {
			return nil
		}
		if n > 0 {
			if c != ',' {
				return jsonSyntax("expected ',' or ']' in an array")
			}
		} else if err := sc.br.UnreadByte(); err != nil {
			return err
		}
		if err := sc.skipValue(depth + 1); err != nil {
			return err
		}
	}
}

// number reads the rest of a number (loosely: the characters numbers are
// made of; the value is skipped, not used).
func (sc *jsonScanner) number() error {
	for n := 1; ; n++ {
		c, err := sc.br.ReadByte()
		if err == io.EOF {
			return nil // end() reports what is missing
		}
		if err != nil {
			return sc.readErr(err)
		}
		switch {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			if n > maxJSONNumber {
				return jsonSyntax("number longer than %d characters", maxJSONNumber)
			}
		default:
			return sc.br.UnreadByte()
		}
	}
}

// jsonStrReader reads the characters of a string whose opening quote has
// been read, with escapes decoded, up to its closing quote (then io.EOF).
// Runs without escapes are copied straight from the read buffer.
type jsonStrReader struct {
	sc   *jsonScanner
	pend []byte // decoded bytes of an escape not yet returned
	buf  [8]byte
	done bool
}

func (js *jsonStrReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(js.pend) > 0 {
			c := copy(p[n:], js.pend)
			js.pend, n = js.pend[c:], n+c
			continue
		}
		if js.done {
			break
		}
		br := js.sc.br
		if n > 0 && br.Buffered() == 0 {
			break // return what there is rather than wait for more
		}
		if _, err := br.Peek(1); err != nil {
			return n, js.sc.readErr(err)
		}
		buf, _ := br.Peek(br.Buffered())
		buf = buf[:min(len(buf), len(p)-n)]
		i := 0
		for i < len(buf) && !jsonStop[buf[i]] {
			i++
		}
		if i > 0 {
			copy(p[n:], buf[:i])
			_, _ = br.Discard(i)
			n += i
			continue
		}
		switch c := buf[0]; {
		case c == '"':
			_, _ = br.Discard(1)
			js.done = true
		case c == '\\':
			if err := js.escape(); err != nil {
				return n, err
			}
		default:
			return n, jsonSyntax("control character in a string")
		}
	}
	if n == 0 && js.done {
		return 0, io.EOF
	}
	return n, nil
}

// jsonStop marks the bytes that end a run of plain string characters:
// the quote, the backslash and the control characters.
var jsonStop = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// escape decodes the escape sequence at the read position into pend.
func (js *jsonStrReader) escape() error {
	br := js.sc.br
	b, err := br.Peek(2)
	if err != nil {
		return js.sc.readErr(err)
	}
	var out byte
	switch b[1] {
	case '"', '\\', '/':
		out = b[1]
	case 'b':
		out = '\b'
	case 'f':
		out = '\f'
	case 'n':
		out = '\n'
	case 'r':
		out = '\r'
	case 't':
		out = '\t'
	case 'u':
		return js.unicode()
	default:
		return jsonSyntax("invalid escape in a string")
	}
	_, _ = br.Discard(2)
	js.buf[0] = out
	js.pend = js.buf[:1]
	return nil
}

// unicode decodes \uXXXX, or a surrogate pair of two; a lone surrogate
// becomes U+FFFD, as in encoding/json.
func (js *jsonStrReader) unicode() error {
	br := js.sc.br
	r, err := js.hex4(0)
	if err != nil {
		return err
	}
	size := 6
	if utf16.IsSurrogate(r) {
		r2 := rune(-1)
		if b, err := br.Peek(8); err == nil && b[6] == '\\' && b[7] == 'u' {
			if r2, err = js.hex4(6); err != nil {
				return err
			}
		}
		if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
			r, size = dec, 12
		} else {
			r = utf8.RuneError
		}
	}
	_, _ = br.Discard(size)
	js.pend = utf8.AppendRune(js.buf[:0], r)
	return nil
}

// hex4 parses the 4 hex digits of the \u escape at offset off.
func (js *jsonStrReader) hex4(off int) (rune, error) {
	b, err := js.sc.br.Peek(off + 6)
	if err != nil {
		return 0, js.sc.readErr(err)
	}
	var r rune
	for _, c := range b[off+2 : off+6] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, jsonSyntax("invalid \\u escape in a string")
		}
		r = r<<4 | rune(c)
	}
	return r, nil
}

// utf8Sink discards what is written to it, checking that it is UTF-8; a
// character split between two writes is carried over.
type utf8Sink struct {
	pend [utf8.UTFMax]byte
	n    int
	bad  bool
}

func (u *utf8Sink) Write(p []byte) (int, error) {
	written := len(p)
	if u.bad {
		return written, nil
	}
	for u.n > 0 && len(p) > 0 { // complete the carried character
		u.pend[u.n] = p[0]
		u.n, p = u.n+1, p[1:]
		if utf8.FullRune(u.pend[:u.n]) {
			r, size := utf8.DecodeRune(u.pend[:u.n])
			if r == utf8.RuneError && size == 1 {
				u.bad = true
				return written, nil
			}
			u.n = 0
		}
	}
	if u.n > 0 { // p ended inside the carried character
		return written, nil
	}
	// Carry an incomplete character at the end to the next write.
	cut := len(p)
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax; i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				cut = i
			}
			break
		}
	}
	if !utf8.Valid(p[:cut]) {
		u.bad = true
		return written, nil
	}
	u.n = copy(u.pend[:], p[cut:])
	return written, nil
}

// close reports invalid (400) when what was written was not UTF-8.
func (u *utf8Sink) close() error {
	if u.bad || u.n > 0 {
		return api.Invalidf("invalid UTF-8 in a string of the JSON body")
	}
	return nil
}
