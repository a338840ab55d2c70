package serverless

import (
	"bytes"
	"maps"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/orama-network/orama/sdk"
)

// MaxSecretNameLen bounds a secret's name (see CheckSecretName).
const MaxSecretNameLen = 128

// wasmMagic opens every WASM binary module.
var wasmMagic = []byte{0, 'a', 's', 'm'}

// CheckNamespace returns invalid when namespace is empty, longer than
// MaxNamespaceLen bytes or not UTF-8.
func CheckNamespace(namespace string) error {
	switch {
	case namespace == "":
		return sdk.Errorf(sdk.CodeInvalid, "namespace is required")
	case len(namespace) > MaxNamespaceLen:
		return sdk.Errorf(sdk.CodeInvalid, "namespace longer than %d bytes", MaxNamespaceLen)
	case !utf8.ValidString(namespace):
		return sdk.Errorf(sdk.CodeInvalid, "invalid UTF-8 in namespace")
	}
	return nil
}

// CheckName returns invalid unless name is a function name: 1 to
// MaxNameLen characters of [A-Za-z0-9_-], the first a letter or digit.
func CheckName(name string) error {
	switch {
	case name == "":
		return sdk.Errorf(sdk.CodeInvalid, "function name is required")
	case len(name) > MaxNameLen:
		return sdk.Errorf(sdk.CodeInvalid, "function name longer than %d characters", MaxNameLen)
	case !alnum(name[0]):
		return sdk.Errorf(sdk.CodeInvalid, "function name %q must start with a letter or digit", clip(name))
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !alnum(c) && c != '_' && c != '-' {
			return sdk.Errorf(sdk.CodeInvalid, "function name %q may hold only letters, digits, '_' and '-'", clip(name))
		}
	}
	return nil
}

// CheckFunction validates a namespace and a function name.
func CheckFunction(namespace, name string) error {
	if err := CheckNamespace(namespace); err != nil {
		return err
	}
	return CheckName(name)
}

// CheckVersion validates a namespace, a function name and a version (0:
// the latest, or all of them for Delete).
func CheckVersion(namespace, name string, version int) error {
	if err := CheckFunction(namespace, name); err != nil {
		return err
	}
	if version < 0 || version > math.MaxInt32 {
		return sdk.Errorf(sdk.CodeInvalid, "version %d: versions start at 1", version)
	}
	return nil
}

// ParseRef splits a route's "name" or "name@ver" into the name and the
// version (0 without "@"). Errors: invalid (bad name, or a version that
// is not a number from 1).
func ParseRef(ref string) (string, int, error) {
	name, ver, found := strings.Cut(ref, "@")
	if err := CheckName(name); err != nil {
		return "", 0, err
	}
	if !found {
		return name, 0, nil
	}
	v, err := strconv.Atoi(ver)
	if err != nil || v < 1 || v > math.MaxInt32 || ver[0] == '+' {
		return "", 0, sdk.Errorf(sdk.CodeInvalid, "version %q: want a number from 1, as in %s@2", clip(ver), name)
	}
	return name, v, nil
}

// Ref is ParseRef's inverse: "name", or "name@ver" when version > 0.
func Ref(name string, version int) string {
	if version <= 0 {
		return name
	}
	return name + "@" + strconv.Itoa(version)
}

// Normalize validates def and returns it with the defaults of its zero
// fields filled in (DefaultMemoryLimitMB, DefaultTimeoutSeconds) and an
// empty EnvVars as nil. Errors: invalid, naming the field and its range.
func Normalize(def Definition) (Definition, error) {
	if err := CheckFunction(def.Namespace, def.Name); err != nil {
		return Definition{}, err
	}
	if def.MemoryLimitMB == 0 {
		def.MemoryLimitMB = DefaultMemoryLimitMB
	}
	if def.TimeoutSeconds == 0 {
		def.TimeoutSeconds = DefaultTimeoutSeconds
	}
	ranges := []struct {
		field     string
		v, lo, hi int
	}{
		{"memory_limit_mb", def.MemoryLimitMB, 1, MaxMemoryLimitMB},
		{"timeout_seconds", def.TimeoutSeconds, 1, MaxTimeout},
		{"retry_count", def.RetryCount, 0, MaxRetryCount},
		{"retry_delay_seconds", def.RetryDelaySeconds, 0, MaxRetryDelay},
	}
	for _, r := range ranges {
		if r.v < r.lo || r.v > r.hi {
			return Definition{}, sdk.Errorf(sdk.CodeInvalid, "%s %d outside %d..%d", r.field, r.v, r.lo, r.hi)
		}
	}
	if err := checkEnv(def.EnvVars); err != nil {
		return Definition{}, err
	}
	if len(def.EnvVars) == 0 {
		def.EnvVars = nil
	} else {
		def.EnvVars = maps.Clone(def.EnvVars)
	}
	return def, nil
}

// checkEnv validates a definition's environment variables.
func checkEnv(env map[string]string) error {
	if len(env) > MaxEnvVars {
		return sdk.Errorf(sdk.CodeInvalid, "%d env_vars, at most %d", len(env), MaxEnvVars)
	}
	total := 0
	for k, v := range env {
		switch {
		case k == "":
			return sdk.Errorf(sdk.CodeInvalid, "env_vars: empty name")
		case strings.ContainsAny(k, "=\x00") || !utf8.ValidString(k):
			return sdk.Errorf(sdk.CodeInvalid, "env_vars: name %q must be UTF-8 without '=' or NUL", clip(k))
		case strings.ContainsRune(v, 0) || !utf8.ValidString(v):
			return sdk.Errorf(sdk.CodeInvalid, "env_vars: value of %q must be UTF-8 without NUL", clip(k))
		}
		total += len(k) + len(v)
	}
	if total > MaxEnvBytes {
		return sdk.Errorf(sdk.CodeInvalid, "env_vars hold %d bytes, at most %d", total, MaxEnvBytes)
	}
	return nil
}

// CheckModule returns too_large when module is longer than limit bytes
// (MaxModuleBytes when limit is 0 or above it) and invalid when it is
// empty or not a WASM binary. Whether it compiles is the engine's call.
func CheckModule(module []byte, limit int) error {
	if limit <= 0 || limit > MaxModuleBytes {
		limit = MaxModuleBytes
	}
	switch {
	case len(module) == 0:
		return sdk.Errorf(sdk.CodeInvalid, "the wasm module is empty")
	case len(module) > limit:
		return sdk.Errorf(sdk.CodeTooLarge, "wasm module of %d bytes, at most %d", len(module), limit)
	case !bytes.HasPrefix(module, wasmMagic):
		return sdk.Errorf(sdk.CodeInvalid, "not a WASM binary module (it must start with \\0asm)")
	}
	return nil
}

// CheckDeploy normalises def (see Normalize) and checks module (see
// CheckModule, with limit).
func CheckDeploy(def Definition, module []byte, limit int) (Definition, error) {
	def, err := Normalize(def)
	if err != nil {
		return Definition{}, err
	}
	return def, CheckModule(module, limit)
}

// CheckInvocation validates an invocation: its function and version, and
// its input (too_large above MaxInputBytes).
func CheckInvocation(inv Invocation) error {
	if err := CheckVersion(inv.Namespace, inv.Name, inv.Version); err != nil {
		return err
	}
	if len(inv.Input) > MaxInputBytes {
		return sdk.Errorf(sdk.CodeTooLarge, "input of %d bytes, at most %d", len(inv.Input), MaxInputBytes)
	}
	return nil
}

// LogLimit returns the effective limit of Logs: DefaultLogLimit for 0, at
// most MaxLogLimit. Errors: invalid for a negative limit.
func LogLimit(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, sdk.Errorf(sdk.CodeInvalid, "limit %d: want 0 (the default, %d) to %d", limit, DefaultLogLimit, MaxLogLimit)
	case limit == 0:
		return DefaultLogLimit, nil
	case limit > MaxLogLimit:
		return MaxLogLimit, nil
	}
	return limit, nil
}

// CheckSecretName returns invalid unless name is a secret name: 1 to
// MaxSecretNameLen characters of [A-Za-z0-9_.-], the first a letter,
// digit or '_'.
func CheckSecretName(name string) error {
	switch {
	case name == "":
		return sdk.Errorf(sdk.CodeInvalid, "secret name is required")
	case len(name) > MaxSecretNameLen:
		return sdk.Errorf(sdk.CodeInvalid, "secret name longer than %d characters", MaxSecretNameLen)
	case !alnum(name[0]) && name[0] != '_':
		return sdk.Errorf(sdk.CodeInvalid, "secret name %q must start with a letter, digit or '_'", clip(name))
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !alnum(c) && c != '_' && c != '-' && c != '.' {
			return sdk.Errorf(sdk.CodeInvalid, "secret name %q may hold only letters, digits, '_', '-' and '.'", clip(name))
		}
	}
	return nil
}

// CheckSecret validates a namespace and a secret name.
func CheckSecret(namespace, name string) error {
	if err := CheckNamespace(namespace); err != nil {
		return err
	}
	return CheckSecretName(name)
}

// CheckSetSecret validates the arguments of SetSecret: the value is not
// empty (invalid) and at most MaxSecretLen bytes (too_large).
func CheckSetSecret(namespace, name string, value []byte) error {
	if err := CheckSecret(namespace, name); err != nil {
		return err
	}
	switch {
	case len(value) == 0:
		return sdk.Errorf(sdk.CodeInvalid, "secret value is required")
	case len(value) > MaxSecretLen:
		return sdk.Errorf(sdk.CodeTooLarge, "secret value of %d bytes, at most %d", len(value), MaxSecretLen)
	}
	return nil
}

func alnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// clip shortens what an error message quotes back, so a huge bad name
// does not make a huge message.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return strings.ToValidUTF8(s[:max], "") + "…"
}
