package database_test

import (
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

func wantInvalid(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want invalid", what)
		return
	}
	if e := sdkError(t, err); e.Code != sdk.CodeInvalid || e.Message == "" {
		t.Errorf("%s: %+v, want invalid with a message", what, e)
	}
}

func TestCheckNamespace(t *testing.T) {
	for _, ok := range []string{"a", "A", "app-1", "my_app", database.SystemNamespace, strings.Repeat("n", database.MaxNameLen)} {
		if err := database.CheckNamespace(ok); err != nil {
			t.Errorf("CheckNamespace(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "a b", "a$b", "a.b", "a/b", "ü", "a;", `a"`, "a\x00", strings.Repeat("n", database.MaxNameLen+1)} {
		wantInvalid(t, "CheckNamespace("+bad+")", database.CheckNamespace(bad))
	}
}

func TestCheckTableName(t *testing.T) {
	for _, ok := range []string{"a", "_", "_x9", "Items", "items_2", strings.Repeat("t", database.MaxNameLen)} {
		if err := database.CheckTableName(ok); err != nil {
			t.Errorf("CheckTableName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "9a", "a-b", "a$b", "a b", "a.b", `"a"`, "a;DROP", "ü", strings.Repeat("t", database.MaxNameLen+1)} {
		wantInvalid(t, "CheckTableName("+bad+")", database.CheckTableName(bad))
	}
}

func TestCheckStatement(t *testing.T) {
	manyArgs := make([]database.Value, database.MaxArgs)
	okCases := []database.Statement{
		{SQL: "SELECT 1"},
		{SQL: "SELECT ?", Args: []database.Value{uint8(1)}},
		{SQL: "SELECT 1" + strings.Repeat(" ", database.MaxSQLLen-len("SELECT 1"))},
		{SQL: "SELECT ?", Args: manyArgs},
	}
	for _, s := range okCases {
		if err := database.CheckStatement(s); err != nil {
			t.Errorf("CheckStatement(%.20q, %d args): %v", s.SQL, len(s.Args), err)
		}
	}
	badCases := map[string]database.Statement{
		"empty":          {},
		"blank":          {SQL: " \n\t"},
		"too long":       {SQL: "SELECT 1" + strings.Repeat(" ", database.MaxSQLLen+1-len("SELECT 1"))},
		"too many args":  {SQL: "SELECT ?", Args: make([]database.Value, database.MaxArgs+1)},
		"unsupported":    {SQL: "SELECT ?", Args: []database.Value{[]int{1}}},
		"uint64 too big": {SQL: "SELECT ?", Args: []database.Value{^uint64(0)}},
	}
	for name, s := range badCases {
		wantInvalid(t, "CheckStatement "+name, database.CheckStatement(s))
	}
	err := database.CheckStatement(database.Statement{SQL: "SELECT ?, ?", Args: []database.Value{1, struct{}{}}})
	if e := sdkError(t, err); !strings.HasPrefix(e.Message, "args[1]: ") {
		t.Errorf("message %q does not name the argument", e.Message)
	}
}

func TestCheckOps(t *testing.T) {
	op := database.Op{Kind: database.OpExec, Statement: database.Statement{SQL: "DELETE FROM t"}}
	maxOps := make([]database.Op, database.MaxOps)
	for i := range maxOps {
		maxOps[i] = op
	}
	for name, ops := range map[string][]database.Op{
		"one":    {op},
		"both":   {op, {Kind: database.OpQuery, Statement: database.Statement{SQL: "SELECT 1"}}},
		"MaxOps": maxOps,
	} {
		if err := database.CheckOps(ops); err != nil {
			t.Errorf("CheckOps %s: %v", name, err)
		}
	}
	for name, ops := range map[string][]database.Op{
		"none":         nil,
		"MaxOps+1":     append(maxOps[:len(maxOps):len(maxOps)], op),
		"unknown kind": {op, {Kind: database.OpKind(9), Statement: database.Statement{SQL: "SELECT 1"}}},
		"bad SQL":      {op, {Kind: database.OpQuery}},
		"bad arg":      {{Kind: database.OpQuery, Statement: database.Statement{SQL: "SELECT ?", Args: []database.Value{map[int]int{}}}}},
	} {
		wantInvalid(t, "CheckOps "+name, database.CheckOps(ops))
	}
	err := database.CheckOps([]database.Op{op, op, {Kind: database.OpQuery}})
	if e := sdkError(t, err); !strings.HasPrefix(e.Message, "ops[2]: ") {
		t.Errorf("message %q does not name the op", e.Message)
	}
}
