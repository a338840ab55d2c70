package namespaced

import (
	"fmt"
	"strings"
	"testing"

	"github.com/orama-network/orama/plugins/database/nsql"
)

func TestRewritesCacheWhatRewriteSays(t *testing.T) {
	var r rewrites
	for _, ns := range []string{"a", "b"} {
		for range 2 {
			got, err := r.rewrite(ns, "SELECT * FROM items")
			want, werr := nsql.Rewrite(ns, "SELECT * FROM items")
			if err != nil || werr != nil || got != want {
				t.Errorf("rewrite(%s) = %+v, %v; want %+v, %v", ns, got, err, want, werr)
			}
		}
	}
	if len(r.m) != 2 {
		t.Errorf("%d entries, want one per namespace", len(r.m))
	}
	if _, err := r.rewrite("a", "ATTACH 'x' AS y"); err == nil || len(r.m) != 2 {
		t.Errorf("a refusal: %v, %d entries", err, len(r.m))
	}
	long := "SELECT '" + strings.Repeat("x", maxRewriteLen) + "'"
	if _, err := r.rewrite("a", long); err != nil || len(r.m) != 2 {
		t.Errorf("a long statement: %v, %d entries", err, len(r.m))
	}
	for i := range maxRewrites + 10 {
		if _, err := r.rewrite("a", fmt.Sprintf("SELECT %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if len(r.m) > maxRewrites {
		t.Errorf("%d entries, more than %d", len(r.m), maxRewrites)
	}
}
