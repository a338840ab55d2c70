// Package bench holds the gateway's performance yardsticks. Its benchmarks
// (go test -run '^$' -bench . ./bench/...) run side by side in one run:
//
//   - BenchmarkOlricGetInProcess: an embedded Olric DMap.Get, no HTTP.
//   - BenchmarkBaselineHTTPGet: POST /v1/cache/get against the baseline
//     handler (package baseline: net/http + in-process Olric).
//   - BenchmarkGatewayHTTPGet: POST /v1/cache/get through the real
//     bin/orama with the bin/orama-plugin-cache subprocess (make build
//     first; the benchmark fails when the binaries are missing).
//
// The differences are the cost of HTTP and of the plugin boundary.
// scripts/bench.sh runs these together with wrk load runs; the results are
// in BENCHMARKS.md.
package bench
