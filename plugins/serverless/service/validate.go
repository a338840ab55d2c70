package service

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/serverless"
)

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

// checkName validates a function or secret name (what says which).
func checkName(what, name string) error {
	if name == "" {
		return sdk.Errorf(sdk.CodeInvalid, "%s name is required", what)
	}
	if len(name) > serverless.MaxNameLen || !nameRE.MatchString(name) {
		return sdk.Errorf(sdk.CodeInvalid, "%s name must be 1 to %d letters, digits, '_' or '-', starting with a letter or digit", what, serverless.MaxNameLen)
	}
	return nil
}

// checkNamespace validates a namespace. The gateway's own namespaces
// (those starting with '_') are forbidden: a function there would act in
// the system's tables.
func checkNamespace(ns string) error {
	switch {
	case ns == "":
		return sdk.Errorf(sdk.CodeInvalid, "namespace is required")
	case len(ns) > serverless.MaxNamespaceLen:
		return sdk.Errorf(sdk.CodeInvalid, "namespace longer than %d bytes", serverless.MaxNamespaceLen)
	case !utf8.ValidString(ns) || strings.ContainsFunc(ns, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return sdk.Errorf(sdk.CodeInvalid, "namespace must be UTF-8 text without control characters")
	case auth.IsReservedNamespace(ns):
		return sdk.Errorf(sdk.CodeForbidden, "namespace %q is reserved (names starting with '_' belong to the gateway)", ns)
	}
	return nil
}

// checkFunction validates a namespace, name and version.
func checkFunction(ns, name string, version int) error {
	if err := checkNamespace(ns); err != nil {
		return err
	}
	if err := checkName("function", name); err != nil {
		return err
	}
	if version < 0 {
		return sdk.Errorf(sdk.CodeInvalid, "version must be a positive number")
	}
	return nil
}

// checkDefinition validates def and returns it with the defaults filled.
func checkDefinition(def serverless.Definition) (serverless.Definition, error) {
	if err := checkFunction(def.Namespace, def.Name, 0); err != nil {
		return def, err
	}
	fill := func(field string, v *int, def, most int) error {
		switch {
		case *v == 0:
			*v = def
		case *v < 0 || *v > most:
			return sdk.Errorf(sdk.CodeInvalid, "%s must be from 0 to %d", field, most)
		}
		return nil
	}
	for _, f := range []struct {
		field     string
		v         *int
		def, most int
	}{
		{"memory_limit_mb", &def.MemoryLimitMB, serverless.DefaultMemoryLimitMB, serverless.MaxMemoryLimitMB},
		{"timeout_seconds", &def.TimeoutSeconds, serverless.DefaultTimeoutSeconds, serverless.MaxTimeout},
		{"retry_count", &def.RetryCount, 0, serverless.MaxRetryCount},
		{"retry_delay_seconds", &def.RetryDelaySeconds, 0, serverless.MaxRetryDelay},
	} {
		if err := fill(f.field, f.v, f.def, f.most); err != nil {
			return def, err
		}
	}
	if len(def.EnvVars) > serverless.MaxEnvVars {
		return def, sdk.Errorf(sdk.CodeInvalid, "env_vars: at most %d entries", serverless.MaxEnvVars)
	}
	size := 0
	for k, v := range def.EnvVars {
		if k == "" || strings.ContainsAny(k, "=\x00") || strings.ContainsRune(v, 0) || !utf8.ValidString(k) || !utf8.ValidString(v) {
			return def, sdk.Errorf(sdk.CodeInvalid, "env_vars: names must be non-empty UTF-8 without '=' or NUL, values UTF-8 without NUL")
		}
		size += len(k) + len(v)
	}
	if size > serverless.MaxEnvBytes {
		return def, sdk.Errorf(sdk.CodeInvalid, "env_vars: at most %d bytes of names and values", serverless.MaxEnvBytes)
	}
	return def, nil
}
