package rqlite

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestWriteString checks the JSON strings of the request body against
// encoding/json's reading of them.
func TestWriteString(t *testing.T) {
	for _, s := range []string{
		"", "plain", `quote " and \ backslash`, "new\nline\r\ttab", "\x00\x01\x1f\x7f",
		"</script>&", "ünïcödé 日本 \u2028\u2029 😀", `\u0041`,
	} {
		var buf bytes.Buffer
		if err := writeString(&buf, s); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		var back string
		if err := json.Unmarshal(buf.Bytes(), &back); err != nil || back != s {
			t.Errorf("%q written as %s, read back as %q (%v)", s, buf.Bytes(), back, err)
		}
	}
}
