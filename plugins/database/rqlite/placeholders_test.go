package rqlite

import (
	"reflect"
	"testing"
)

func TestPlaceholders(t *testing.T) {
	cases := []struct {
		sql  string
		want []int // parameter numbers in order
	}{
		{"SELECT ?, ?", []int{1, 2}},
		{"SELECT ?2, ?, ?1", []int{2, 3, 1}},
		{`SELECT '?', "?", ` + "`?`" + `, [?], ? -- ?` + "\n", []int{1}},
		{"SELECT /* ? */ ? FROM \"ns$t\" WHERE a$b = ?", []int{1, 2}},
		{"SELECT 'it''s ?', ?", []int{1}},
	}
	for _, c := range cases {
		phs, err := placeholders(c.sql)
		if err != nil {
			t.Errorf("placeholders(%q): %v", c.sql, err)
			continue
		}
		var got []int
		for _, p := range phs {
			got = append(got, p.index)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("placeholders(%q) = %v, want %v", c.sql, got, c.want)
		}
	}
	for _, named := range []string{"SELECT :a", "SELECT @a", "SELECT $a"} {
		if _, err := placeholders(named); err == nil {
			t.Errorf("placeholders(%q) accepted a named parameter", named)
		}
	}
}

func TestLooksLikeBlob(t *testing.T) {
	for s, want := range map[string]bool{
		"x'41'": true, " X'00ff' ": true, "x''": true,
		"x'4'": false, "x'zz'": false, "x'41": false, "'41'": false, "x": false, "hello": false, "x'41' ": true,
	} {
		if got := looksLikeBlob(s); got != want {
			t.Errorf("looksLikeBlob(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestInlineTexts(t *testing.T) {
	cases := []struct {
		sql      string
		args     []any
		wantSQL  string
		wantArgs []any
	}{
		{"SELECT ?", []any{"plain"}, "SELECT ?", []any{"plain"}},
		{"SELECT ?", []any{"x'41'"}, "SELECT 'x''41'''", []any{}},
		{"SELECT ?, ?, ?", []any{int64(1), "x'41'", int64(3)}, "SELECT ?1, 'x''41''', ?3", []any{int64(1), nil, int64(3)}},
		{"SELECT ?, ?", []any{int64(1), "X'00'"}, "SELECT ?1, 'X''00'''", []any{int64(1)}},
		{"SELECT ?1, ?1", []any{"x''"}, "SELECT 'x''''', 'x'''''", []any{}},
		{"SELECT '?', ?", []any{"x'aa'"}, "SELECT '?', 'x''aa'''", []any{}},
	}
	for _, c := range cases {
		sql, args, err := inlineTexts(c.sql, c.args)
		if err != nil || sql != c.wantSQL || !reflect.DeepEqual(args, c.wantArgs) {
			t.Errorf("inlineTexts(%q, %v) = %q, %#v, %v; want %q, %#v", c.sql, c.args, sql, args, err, c.wantSQL, c.wantArgs)
		}
	}
	if _, _, err := inlineTexts("SELECT :a", []any{"x'41'"}); err == nil {
		t.Error("inlined into a statement with named parameters")
	}
}
