package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/orama-network/orama/sdk"
)

// Strings cross into the plugins as proto3 strings, which must be UTF-8:
// a string with invalid bytes fails inside gRPC and would surface as a
// 500. So every string that reaches a plugin is checked here first, and
// invalid UTF-8 is 400 `invalid UTF-8 in "<field>"`.
//
// The rule is "refuse, never repair": encoding/json would silently turn
// each invalid byte into U+FFFD, so "\xff" and "\xfe" would both become
// the key "\uFFFD" — two different requests aliased to one stored value.
// DecodeJSON therefore checks the raw body before decoding it (JSON text
// must be UTF-8 anyway, RFC 8259 §8.1), the storage upload's streaming
// scanner checks the strings it keeps, multipart uploads check the file
// name, and the server's checkURL middleware checks the path and the query.

// CheckUTF8 returns invalid (400) `invalid UTF-8 in "<field>"` unless s is
// valid UTF-8. It is the one check every handler uses for a string it
// passes to a plugin that did not come through DecodeJSON.
func CheckUTF8(field, s string) error {
	if utf8.ValidString(s) {
		return nil
	}
	return invalidUTF8(field)
}

func invalidUTF8(field string) error {
	return Invalidf("invalid UTF-8 in %q", field)
}

// CheckJSONUTF8 checks a JSON body before it is decoded: nil when it is
// valid UTF-8, else invalid (400) naming the field whose string holds the
// first invalid byte (see jsonFieldAt).
func CheckJSONUTF8(body []byte) error {
	if utf8.Valid(body) {
		return nil
	}
	off := firstInvalidUTF8(body)
	field, inKey := jsonFieldAt(body[:off])
	switch {
	case inKey && field == "":
		return Invalidf("invalid UTF-8 in a field name")
	case inKey:
		return Invalidf("invalid UTF-8 in a field name of %q", field)
	case field == "":
		return Invalidf("invalid UTF-8 in the JSON body")
	}
	return invalidUTF8(field)
}

// firstInvalidUTF8 returns the offset of the first byte of b that does
// not start a valid UTF-8 sequence (len(b) when there is none).
func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// jsonFieldAt walks the JSON text prefix (valid UTF-8, cut where the body
// turns invalid) and says where it ends: the path of the field being read
// ("name", "criteria.age", "args[2]", "statements[0].sql"), and whether
// the cut is inside a field name rather than a value. It only runs on the
// error path.
func jsonFieldAt(prefix []byte) (path string, inKey bool) {
	type frame struct {
		obj     bool
		key     string
		idx     int
		wantKey bool
	}
	var stack []frame
	// advance records that a value of the innermost container is complete.
	advance := func() {
		if n := len(stack); n > 0 {
			if top := &stack[n-1]; top.obj {
				top.wantKey = true
			} else {
				top.idx++
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(prefix))
	for {
		tok, err := dec.Token()
		if err != nil {
			break // the cut (or a syntax error before it): stop here
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{obj: true, wantKey: true})
			case '[':
				stack = append(stack, frame{})
			default:
				stack = stack[:len(stack)-1]
				advance()
			}
		default:
			if n := len(stack); n > 0 && stack[n-1].obj && stack[n-1].wantKey {
				stack[n-1].key, _ = t.(string)
				stack[n-1].wantKey = false
				continue
			}
			advance()
		}
	}
	var sb strings.Builder
	for i, f := range stack {
		last := i == len(stack)-1
		switch {
		case f.obj && last && f.wantKey:
			inKey = true
		case f.obj:
			if sb.Len() > 0 {
				sb.WriteByte('.')
			}
			sb.WriteString(f.key)
		default:
			sb.WriteString("[" + strconv.Itoa(f.idx) + "]")
		}
	}
	return sb.String(), inKey
}

// CheckURLUTF8 checks the decoded path and query parameters of u: invalid
// (400) naming "path" or the parameter. Nothing is parsed unless the raw
// query holds an escape or a non-ASCII byte.
func CheckURLUTF8(u *url.URL) error {
	if !utf8.ValidString(u.Path) {
		return invalidUTF8("path")
	}
	raw := u.RawQuery
	if raw == "" || (!strings.Contains(raw, "%") && asciiOnly(raw)) {
		return nil
	}
	for _, kv := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(kv, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			continue // not a parameter net/url would give to a handler
		}
		if !utf8.ValidString(key) {
			return Invalidf("invalid UTF-8 in a query parameter name")
		}
		if !utf8.ValidString(val) {
			return invalidUTF8(key)
		}
	}
	return nil
}

func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// jsonBufs holds the read buffers of DecodeJSON; buffers that grew past
// maxPooledBody are left to the collector.
var jsonBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledBody = 64 << 10

// readJSONBody reads the whole (already limited) body into a pooled
// buffer, to be given back with putJSONBuf. A read error is the body
// limit's *http.MaxBytesError (413), the body deadline's invalid (400), or
// a broken body (400).
func readJSONBody(r io.Reader) (*bytes.Buffer, error) {
	buf := jsonBufs.Get().(*bytes.Buffer)
	buf.Reset()
	if _, err := buf.ReadFrom(r); err != nil {
		putJSONBuf(buf)
		var mbe *http.MaxBytesError
		var se *sdk.Error
		if errors.As(err, &mbe) || errors.As(err, &se) {
			return nil, err // the body limit (413); the body deadline's own message
		}
		return nil, Invalidf("invalid JSON body: %v", err)
	}
	return buf, nil
}

func putJSONBuf(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooledBody {
		jsonBufs.Put(buf)
	}
}
