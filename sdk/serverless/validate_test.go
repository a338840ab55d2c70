package serverless_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
)

func TestCheckName(t *testing.T) {
	for _, ok := range []string{"a", "9", "hello-world_2", "A" + strings.Repeat("b", serverless.MaxNameLen-1)} {
		if err := serverless.CheckName(ok); err != nil {
			t.Errorf("CheckName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "-a", "_a", "a b", "a@1", "a/b", "a.b", "é", strings.Repeat("a", serverless.MaxNameLen+1)} {
		plugintest.WantCode(t, serverless.CheckName(bad), "CheckName("+bad+")", sdk.CodeInvalid)
	}
}

func TestParseRef(t *testing.T) {
	for ref, want := range map[string]struct {
		name string
		ver  int
	}{"f": {"f", 0}, "f@1": {"f", 1}, "f@42": {"f", 42}, "my-fn@3": {"my-fn", 3}} {
		name, ver, err := serverless.ParseRef(ref)
		if err != nil || name != want.name || ver != want.ver {
			t.Errorf("ParseRef(%q) = %q, %d, %v; want %q, %d", ref, name, ver, err, want.name, want.ver)
		}
		if back := serverless.Ref(name, ver); back != ref {
			t.Errorf("Ref(%q, %d) = %q", name, ver, back)
		}
	}
	for _, bad := range []string{"", "@1", "f@", "f@0", "f@-1", "f@+1", "f@x", "f@1@2", "f@99999999999", "-f@1"} {
		_, _, err := serverless.ParseRef(bad)
		plugintest.WantCode(t, err, "ParseRef("+bad+")", sdk.CodeInvalid)
	}
}

func TestNormalize(t *testing.T) {
	got, err := serverless.Normalize(serverless.Definition{Name: "f", Namespace: "ns", EnvVars: map[string]string{}})
	want := serverless.Definition{Name: "f", Namespace: "ns", MemoryLimitMB: serverless.DefaultMemoryLimitMB,
		TimeoutSeconds: serverless.DefaultTimeoutSeconds}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Normalize of the zero fields = %+v, %v; want %+v", got, err, want)
	}
	full := serverless.Definition{Name: "f", Namespace: "ns", IsPublic: true, MemoryLimitMB: serverless.MaxMemoryLimitMB,
		TimeoutSeconds: serverless.MaxTimeout, RetryCount: serverless.MaxRetryCount,
		RetryDelaySeconds: serverless.MaxRetryDelay, EnvVars: map[string]string{"K": "v"}}
	if got, err := serverless.Normalize(full); err != nil || !reflect.DeepEqual(got, full) {
		t.Errorf("Normalize(%+v) = %+v, %v", full, got, err)
	}
	bigEnv := map[string]string{}
	for i := range serverless.MaxEnvVars + 1 {
		bigEnv[strings.Repeat("k", i+1)] = ""
	}
	bad := map[string]func(d *serverless.Definition){
		"no name":        func(d *serverless.Definition) { d.Name = "" },
		"no namespace":   func(d *serverless.Definition) { d.Namespace = "" },
		"memory < 0":     func(d *serverless.Definition) { d.MemoryLimitMB = -1 },
		"memory > max":   func(d *serverless.Definition) { d.MemoryLimitMB = serverless.MaxMemoryLimitMB + 1 },
		"timeout > max":  func(d *serverless.Definition) { d.TimeoutSeconds = serverless.MaxTimeout + 1 },
		"retries > max":  func(d *serverless.Definition) { d.RetryCount = serverless.MaxRetryCount + 1 },
		"retries < 0":    func(d *serverless.Definition) { d.RetryCount = -1 },
		"delay > max":    func(d *serverless.Definition) { d.RetryDelaySeconds = serverless.MaxRetryDelay + 1 },
		"env name empty": func(d *serverless.Definition) { d.EnvVars = map[string]string{"": "v"} },
		"env name =":     func(d *serverless.Definition) { d.EnvVars = map[string]string{"a=b": "v"} },
		"env value NUL":  func(d *serverless.Definition) { d.EnvVars = map[string]string{"a": "\x00"} },
		"env too many":   func(d *serverless.Definition) { d.EnvVars = bigEnv },
		"env too big": func(d *serverless.Definition) {
			d.EnvVars = map[string]string{"a": strings.Repeat("v", serverless.MaxEnvBytes)}
		},
	}
	for what, mutate := range bad {
		d := full
		mutate(&d)
		_, err := serverless.Normalize(d)
		if e := plugintest.WantCode(t, err, what, sdk.CodeInvalid); e != nil && e.Message == "" {
			t.Errorf("%s: no message", what)
		}
	}
	_, err = serverless.Normalize(serverless.Definition{Name: "f", Namespace: "ns", MemoryLimitMB: 5000})
	if e := plugintest.WantCode(t, err, "memory 5000", sdk.CodeInvalid); e != nil && !strings.Contains(e.Message, "memory_limit_mb") {
		t.Errorf("the message does not name the field: %q", e.Message)
	}
}

func TestCheckModule(t *testing.T) {
	if err := serverless.CheckModule([]byte("\x00asm\x01\x00\x00\x00"), 0); err != nil {
		t.Errorf("a WASM header: %v", err)
	}
	plugintest.WantCode(t, serverless.CheckModule(nil, 0), "empty", sdk.CodeInvalid)
	plugintest.WantCode(t, serverless.CheckModule([]byte("garbage"), 0), "garbage", sdk.CodeInvalid)
	plugintest.WantCode(t, serverless.CheckModule([]byte("\x00asm\x01\x00\x00\x00"), 4), "over the limit", sdk.CodeTooLarge)
}

func TestSecrets(t *testing.T) {
	for _, ok := range []string{"API_KEY", "_x", "db.password", "a-b", "1"} {
		if err := serverless.CheckSecretName(ok); err != nil {
			t.Errorf("CheckSecretName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", ".a", "-a", "a b", "a/b", "a\x00", strings.Repeat("a", serverless.MaxSecretNameLen+1)} {
		plugintest.WantCode(t, serverless.CheckSecretName(bad), "CheckSecretName("+bad+")", sdk.CodeInvalid)
	}
	plugintest.WantCode(t, serverless.CheckSetSecret("ns", "k", nil), "empty value", sdk.CodeInvalid)
	plugintest.WantCode(t, serverless.CheckSetSecret("ns", "k", make([]byte, serverless.MaxSecretLen+1)), "big value", sdk.CodeTooLarge)
	if err := serverless.CheckSetSecret("ns", "k", make([]byte, serverless.MaxSecretLen)); err != nil {
		t.Errorf("a value of MaxSecretLen: %v", err)
	}
}

func TestLogLimit(t *testing.T) {
	for in, want := range map[int]int{0: serverless.DefaultLogLimit, 1: 1, serverless.MaxLogLimit: serverless.MaxLogLimit, 1 << 30: serverless.MaxLogLimit} {
		if got, err := serverless.LogLimit(in); err != nil || got != want {
			t.Errorf("LogLimit(%d) = %d, %v; want %d", in, got, err, want)
		}
	}
	_, err := serverless.LogLimit(-1)
	plugintest.WantCode(t, err, "LogLimit(-1)", sdk.CodeInvalid)
}

func TestCheckInvocation(t *testing.T) {
	ok := serverless.Invocation{Namespace: "ns", Name: "f", Input: make([]byte, serverless.MaxInputBytes)}
	if err := serverless.CheckInvocation(ok); err != nil {
		t.Errorf("input of MaxInputBytes: %v", err)
	}
	ok.Input = append(ok.Input, 0)
	plugintest.WantCode(t, serverless.CheckInvocation(ok), "input over MaxInputBytes", sdk.CodeTooLarge)
	plugintest.WantCode(t, serverless.CheckInvocation(serverless.Invocation{Namespace: "ns", Name: "f", Version: -1}), "version -1", sdk.CodeInvalid)
}
