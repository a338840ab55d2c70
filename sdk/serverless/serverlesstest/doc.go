// Package serverlesstest is the conformance suite of the serverless
// domain and its test fixtures.
//
// Run checks that an implementation of serverless.Serverless keeps the
// contract documented in package serverless. Module and GoModule build the
// WASM modules tests deploy: tiny WAT fixtures compiled with wat2wasm
// (Debian's wabt), and Go programs built with GOOS=wasip1 GOARCH=wasm, such
// as GreetingSource. A test that needs wat2wasm or the go tool fails when
// it is missing; it never skips.
package serverlesstest
