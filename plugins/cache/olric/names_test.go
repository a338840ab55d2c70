package olric

import (
	"errors"
	"fmt"
	"syscall"
	"testing"
)

func TestOlricNameKeepsNamespacesApart(t *testing.T) {
	pairs := [][2]string{
		{"a:b", "c"}, {"a", "b:c"}, {"a:", "b"}, {"a", ":b"}, {"1:a", "b"}, {"", "1:a:b"}, {"ab", "c"}, {"a", "bc"},
	}
	seen := map[string][2]string{}
	for _, p := range pairs {
		n := olricName(p[0], p[1])
		if prev, ok := seen[n]; ok {
			t.Errorf("%q and %q both map to %q", prev, p, n)
		}
		seen[n] = p
	}
	if got := olricName("a:b", "c"); got != "3:a:b:c" {
		t.Errorf("olricName(a:b, c) = %q", got)
	}
}

func TestDMapHandlesAreCached(t *testing.T) {
	s := startStore(t, nil)
	b := s.cur.Load()
	first, err := b.dmap("ns", "dm")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := b.dmap("ns", "dm")
	other, _ := b.dmap("ns2", "dm")
	if first != again || first == other {
		t.Errorf("dmap handles: same pair gave %p and %p, other namespace %p", first, again, other)
	}
}

func TestSplitOlricName(t *testing.T) {
	for _, c := range [][2]string{{"a:b", "c"}, {"a", "b:c"}, {"", "d"}, {"ns", ""}} {
		ns, dm, ok := splitOlricName(olricName(c[0], c[1]))
		if !ok || ns != c[0] || dm != c[1] {
			t.Errorf("splitOlricName(olricName(%q, %q)) = %q, %q, %v", c[0], c[1], ns, dm, ok)
		}
	}
	for _, bad := range []string{"", "x", "5:ab", "1:ab", "-1::x", "olric.internal"} {
		if _, _, ok := splitOlricName(bad); ok {
			t.Errorf("splitOlricName(%q) ok, want not ours", bad)
		}
	}
}

func TestDeparted(t *testing.T) {
	if !departed(errors.New("tcp 127.0.0.1:34507: connect: connection refused")) || !departed(fmt.Errorf("get: %w", syscall.ECONNREFUSED)) ||
		!departed(errors.New("redis: client is closed")) {
		t.Error("a refused connection is a departed member")
	}
	if departed(nil) || departed(errors.New("key not found")) {
		t.Error("other errors are not")
	}
}
