package service_test

import (
	"testing"

	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

// BenchmarkInvokeWarm is the service's warm path around the engine:
// resolve (cached metadata), caller check, concurrency caps, run, and
// queueing the invocation record.
func BenchmarkInvokeWarm(b *testing.B) {
	s := node(b, newBackends(b), b.TempDir(), map[string]any{"max_concurrency": 1000, "max_namespace_concurrency": 1000})
	if _, err := s.Deploy(b.Context(), def("ns", "echo"), serverlesstest.Module(b, "echo")); err != nil {
		b.Fatal(err)
	}
	inv := serverless.Invocation{Namespace: "ns", Name: "echo", Caller: "ns", Input: []byte(`{"a":1}`), RequestID: "r"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := s.Invoke(b.Context(), inv)
			if err != nil || res.Status != serverless.ResultSuccess {
				b.Fatalf("Invoke = %+v, %v", res, err)
			}
		}
	})
}
