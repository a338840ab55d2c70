package databasetest

import (
	"math"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk/database"
)

// The suite's own helpers: if they were wrong, the suite would pass
// implementations it should fail.

func TestNamespaceNamesAreValidAndUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, tag := range []string{"a", "b", "CASE", "w7"} {
		for range 3 {
			ns := namespace(t, tag)
			if err := database.CheckNamespace(ns); err != nil {
				t.Errorf("namespace %q: %v", ns, err)
			}
			if strings.Contains(ns, "-") || len(ns) > 80 {
				t.Errorf("namespace %q has a '-' or leaves no room under MaxNameLen", ns)
			}
			if seen[ns] {
				t.Errorf("namespace %q given twice", ns)
			}
			seen[ns] = true
		}
	}
	t.Run(strings.Repeat("very long subtest name ", 8)+"ü/x", func(t *testing.T) {
		if ns := namespace(t, "a"); database.CheckNamespace(ns) != nil || len(ns) > 80 {
			t.Errorf("namespace %q of a long test name", ns)
		}
	})
}

func TestSameValue(t *testing.T) {
	equal := [][2]database.Value{
		{nil, nil}, {int64(1), int64(1)}, {0.1, 0.1}, {"x", "x"}, {[]byte{}, []byte{}}, {[]byte{1}, []byte{1}}, {true, true},
	}
	for _, c := range equal {
		if !SameValue(c[0], c[1]) {
			t.Errorf("SameValue(%#v, %#v) = false", c[0], c[1])
		}
	}
	differ := [][2]database.Value{
		{int64(1), 1.0}, {int64(1), true}, {int64(1), int(1)}, {nil, int64(0)}, {nil, ""}, {"x", []byte("x")},
		{0.0, math.Copysign(0, -1)}, {[]byte(nil), []byte{}}, {[]byte{1}, []byte{2}}, {"", nil}, {int64(1 << 53), int64(1<<53 + 1)},
	}
	for _, c := range differ {
		if SameValue(c[0], c[1]) {
			t.Errorf("SameValue(%#v, %#v) = true", c[0], c[1])
		}
	}
}

func TestLeakIn(t *testing.T) {
	p := peers{a: "Ns_a_1", b: "Ns_b_2", secret: "secret_1", colA: "only_in_a_1"}
	leaks := []*database.Rows{
		{Columns: []string{"ONLY_IN_A_1"}},
		{Columns: []string{"x"}, Rows: [][]database.Value{{"the secret_1 row"}}},
		{Columns: []string{"x"}, Rows: [][]database.Value{{[]byte("\xff\x00SECRET_1\x00")}}},
		{Columns: []string{"name"}, Rows: [][]database.Value{{"ns_a_1$items"}}},
	}
	for _, r := range leaks {
		if leakIn(r, p.markers()) == "" {
			t.Errorf("leakIn(%+v) found nothing", r)
		}
	}
	clean := []*database.Rows{
		nil,
		{Columns: []string{"id", "note"}, Rows: [][]database.Value{{int64(1), "b_own"}, {nil, []byte("Ns_b_2")}}},
	}
	for _, r := range clean {
		if leak := leakIn(r, p.markers()); leak != "" {
			t.Errorf("leakIn(%+v) = %s", r, leak)
		}
	}
}

func TestExpand(t *testing.T) {
	p := peers{a: "Ns_a_1"}
	got := p.expand(`{P} "{PU}" {A}.items {AV} {AI}`)
	want := `Ns_a_1$items "NS_A_1$ITEMS" Ns_a_1.items Ns_a_1$items_view Ns_a_1$items_note`
	if got != want {
		t.Errorf("expand = %q, want %q", got, want)
	}
	for _, tmpl := range append(append([]string{}, escapeReads...), escapeWrites...) {
		if s := p.expand(tmpl); strings.Contains(s, "{") {
			t.Errorf("template %q has an unknown placeholder: %q", tmpl, s)
		}
	}
}
