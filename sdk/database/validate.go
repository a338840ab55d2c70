package database

import (
	"strings"

	"github.com/orama-network/orama/sdk"
)

// Checks every implementation runs first thing; each returns invalid with
// a message that can be shown to the client.

// CheckNamespace checks a namespace: 1 to MaxNameLen bytes of
// [A-Za-z0-9_-]. Namespaces are case-sensitive: "a" and "A" are two.
func CheckNamespace(namespace string) error {
	if namespace == "" {
		return sdk.Errorf(sdk.CodeInvalid, "namespace is required")
	}
	if len(namespace) > MaxNameLen {
		return sdk.Errorf(sdk.CodeInvalid, "namespace longer than %d bytes", MaxNameLen)
	}
	for i := 0; i < len(namespace); i++ {
		if c := namespace[i]; !isWordByte(c) && c != '-' {
			return sdk.Errorf(sdk.CodeInvalid, "namespace %q: only letters, digits, '_' and '-' are allowed", short(namespace))
		}
	}
	return nil
}

// CheckTableName checks a table name as DropTable takes it:
// ^[A-Za-z_][A-Za-z0-9_]*$, at most MaxNameLen bytes.
func CheckTableName(name string) error {
	if name == "" {
		return sdk.Errorf(sdk.CodeInvalid, "table name is required")
	}
	if len(name) > MaxNameLen {
		return sdk.Errorf(sdk.CodeInvalid, "table name longer than %d bytes", MaxNameLen)
	}
	if c := name[0]; c >= '0' && c <= '9' {
		return sdk.Errorf(sdk.CodeInvalid, "table name %q must not start with a digit", short(name))
	}
	for i := 0; i < len(name); i++ {
		if !isWordByte(name[i]) {
			return sdk.Errorf(sdk.CodeInvalid, "table name %q: only letters, digits and '_' are allowed", short(name))
		}
	}
	return nil
}

// CheckStatement checks a statement's size and arguments: SQL that is not
// blank and at most MaxSQLLen bytes, at most MaxArgs arguments, each one
// NormalizeValue accepts. It does not parse the SQL.
func CheckStatement(stmt Statement) error {
	if len(stmt.SQL) > MaxSQLLen {
		return sdk.Errorf(sdk.CodeInvalid, "statement longer than %d bytes", MaxSQLLen)
	}
	if strings.TrimSpace(stmt.SQL) == "" {
		return sdk.Errorf(sdk.CodeInvalid, "sql is required")
	}
	if len(stmt.Args) > MaxArgs {
		return sdk.Errorf(sdk.CodeInvalid, "%d arguments, at most %d are allowed", len(stmt.Args), MaxArgs)
	}
	for i, a := range stmt.Args {
		if _, err := NormalizeValue(a); err != nil {
			return sdk.Errorf(sdk.CodeInvalid, "args[%d]: %s", i, sdk.AsError(err).Message)
		}
	}
	return nil
}

// CheckOps checks a transaction: 1 to MaxOps ops, each of a known kind
// with a statement CheckStatement accepts.
func CheckOps(ops []Op) error {
	if len(ops) == 0 {
		return sdk.Errorf(sdk.CodeInvalid, "a transaction needs at least one op")
	}
	if len(ops) > MaxOps {
		return sdk.Errorf(sdk.CodeInvalid, "%d ops, at most %d are allowed", len(ops), MaxOps)
	}
	for i, op := range ops {
		if op.Kind != OpExec && op.Kind != OpQuery {
			return sdk.Errorf(sdk.CodeInvalid, "ops[%d]: unknown op kind %d", i, op.Kind)
		}
		if err := CheckStatement(op.Statement); err != nil {
			return sdk.Errorf(sdk.CodeInvalid, "ops[%d]: %s", i, sdk.AsError(err).Message)
		}
	}
	return nil
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}
