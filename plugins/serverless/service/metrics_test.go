package service_test

import (
	"testing"

	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

func TestMetricsMoveWithInvocations(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), nil)
	ctx := t.Context()
	m := func(name string, labels ...string) float64 { return plugintest.Metric(t, name, labels...) }
	ok, refused := m("orama_functions_invocations_total", "outcome", "success"), m("orama_functions_invocations_total", "outcome", "refused")
	durations := m("orama_functions_duration_seconds")
	compiled := m("orama_functions_compile_cache_hits_total") + m("orama_functions_compile_cache_misses_total")

	if _, err := s.Deploy(ctx, def("ns", "echo"), serverlesstest.Module(t, "echo")); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.Invoke(ctx, serverless.Invocation{Namespace: "ns", Name: "echo", Input: []byte(`1`), Caller: "ns"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Invoke(ctx, serverless.Invocation{Namespace: "ns", Name: "absent", Caller: "ns"}); err == nil {
		t.Fatal("invoking an absent function succeeded")
	}
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"successes", m("orama_functions_invocations_total", "outcome", "success") - ok, 2},
		{"refusals", m("orama_functions_invocations_total", "outcome", "refused") - refused, 1},
		{"durations", m("orama_functions_duration_seconds") - durations, 2},
		{"compile cache lookups", m("orama_functions_compile_cache_hits_total") + m("orama_functions_compile_cache_misses_total") - compiled, 2},
	} {
		if c.got != c.want {
			t.Errorf("%s moved by %v, want %v", c.what, c.got, c.want)
		}
	}
	if m("orama_functions_compile_cache_hits_total") < 1 {
		t.Error("no compile cache hit after two runs of one module")
	}
	if m("orama_functions_memory_high_water_bytes") < 64<<10 {
		t.Errorf("memory high water %v, want at least one 64 KiB page", m("orama_functions_memory_high_water_bytes"))
	}
}
