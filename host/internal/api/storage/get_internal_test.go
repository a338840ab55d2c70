package storage

import "testing"

func TestParseRange(t *testing.T) {
	cases := []struct {
		h       string
		size    int64
		off, n  int64
		partial bool
		err     error
	}{
		{"", 10, 0, 0, false, nil},
		{"bytes=0-0", 10, 0, 1, true, nil},
		{"bytes=0-", 10, 0, 10, true, nil},
		{"bytes=9-", 10, 9, 1, true, nil},
		{"bytes=10-", 10, 0, 0, false, errRange},
		{"bytes=10-20", 10, 0, 0, false, errRange},
		{"bytes=-10", 10, 0, 10, true, nil},
		{"bytes=-11", 10, 0, 10, true, nil},
		{"bytes=-1", 10, 9, 1, true, nil},
		{"bytes=-0", 10, 0, 0, false, errRange},
		{"bytes=-1", 0, 0, 0, false, errRange},
		{"bytes=0-", 0, 0, 0, false, errRange},
		{"bytes=99999999999999999999-", 10, 0, 0, false, errRange},
		{"bytes=2-99999999999999999999", 10, 2, 8, true, nil},
		{"bytes=-", 10, 0, 0, false, errRangeSyntax},
		{"bytes=", 10, 0, 0, false, errRangeSyntax},
		{"bytes=abc", 10, 0, 0, false, errRangeSyntax},
		{"bytes=3", 10, 0, 0, false, errRangeSyntax},
		{"bytes=3-2", 10, 0, 0, false, errRangeSyntax},
		{"bytes=30-20", 10, 0, 0, false, errRangeSyntax},
		{"bytes=-1-2", 10, 0, 0, false, errRangeSyntax},
		{"bytes=0-9223372036854775807", 10, 0, 10, true, nil},
		{"bytes=0-1, 2-3", 10, 0, 0, false, nil},
		{"pages=1-2", 10, 0, 0, false, nil},
		{"by", 10, 0, 0, false, nil},
	}
	for _, c := range cases {
		off, n, partial, err := parseRange(c.h, c.size)
		if err != c.err || partial != c.partial || (partial && (off != c.off || n != c.n)) {
			t.Errorf("parseRange(%q, %d) = %d, %d, %v, %v; want %d, %d, %v, %v", c.h, c.size, off, n, partial, err, c.off, c.n, c.partial, c.err)
		}
	}
}
