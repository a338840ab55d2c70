package storage

import "testing"

func TestUTF8SinkSplitCharacters(t *testing.T) {
	s := "a€😀é" // 1, 3, 4 and 2 bytes
	for i := 0; i <= len(s); i++ {
		for j := i; j <= len(s); j++ {
			u := &utf8Sink{}
			_, _ = u.Write([]byte(s[:i]))
			_, _ = u.Write([]byte(s[i:j]))
			_, _ = u.Write([]byte(s[j:]))
			if err := u.close(); err != nil {
				t.Fatalf("split %d,%d: %v", i, j, err)
			}
		}
	}
	for _, bad := range []string{"\xff", "a\xe2\x82", "\xe2\x82a", "\xed\xa0\x80"} {
		u := &utf8Sink{}
		for k := 0; k < len(bad); k++ {
			_, _ = u.Write([]byte{bad[k]})
		}
		if u.close() == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
