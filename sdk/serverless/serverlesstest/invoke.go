package serverlesstest

import (
	"bytes"
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
)

// faultWait bounds an invocation that must be stopped (timeout, memory
// bomb): generous, so only a run that is never stopped fails it.
const faultWait = 2 * time.Minute

func testInvokeEcho(t *testing.T, s serverless.Serverless) {
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	f := mustDeploy(t, s, def(ns, name), Module(t, "echo"))
	binary := []byte("hello \x00\x01\xfe\xff world\n")
	r := mustInvoke(t, s, own(ns, name, 0, binary))
	wantOutput(t, r, "echo of binary input", binary)
	if r.Version != f.Version {
		t.Errorf("Result.Version %d, want %d", r.Version, f.Version)
	}
	if r.Duration <= 0 {
		t.Errorf("Result.Duration %v, want > 0", r.Duration)
	}
	r = mustInvoke(t, s, own(ns, name, 0, nil))
	wantOutput(t, r, "echo of no input", nil)
	// More than one read and one write of the module's 63 KiB buffer.
	big := make([]byte, 200<<10)
	_, _ = rand.Read(big)
	wantOutput(t, mustInvoke(t, s, own(ns, name, 0, big)), "echo of 200 KiB", big)
}

func testInvokeVersion(t *testing.T, s serverless.Serverless) {
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	mustDeploy(t, s, def(ns, name), Module(t, "echo"))
	mustDeploy(t, s, def(ns, name), Module(t, "stderr"))
	in := []byte("input")
	r := mustInvoke(t, s, own(ns, name, 1, in))
	wantOutput(t, r, "Invoke @1 (echo)", in)
	if r.Version != 1 {
		t.Errorf("Invoke @1 ran version %d", r.Version)
	}
	for _, v := range []int{0, 2} {
		r := mustInvoke(t, s, own(ns, name, v, in))
		wantOutput(t, r, "Invoke of the stderr version", []byte(StderrOutput))
		if r.Version != 2 {
			t.Errorf("Invoke @%d ran version %d, want 2", v, r.Version)
		}
	}
	_, err := s.Invoke(t.Context(), own(ns, name, 3, in))
	plugintest.WantCode(t, err, "Invoke of a version never deployed", sdk.CodeNotFound)
}

func testCallerPrivate(t *testing.T, s serverless.Serverless) {
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	mustDeploy(t, s, def(ns, name), Module(t, "echo"))
	wantOutput(t, mustInvoke(t, s, own(ns, name, 0, []byte("me"))), "private function, own caller", []byte("me"))
	for _, caller := range []string{"", plugintest.Unique("other"), ns + "x"} {
		inv := own(ns, name, 0, []byte("x"))
		inv.Caller = caller
		_, err := s.Invoke(t.Context(), inv)
		plugintest.WantCode(t, err, "private function invoked by caller "+short(caller), sdk.CodeForbidden)
	}
	// A function that does not exist is not_found for anyone.
	inv := own(ns, plugintest.Unique("none"), 0, nil)
	inv.Caller = plugintest.Unique("other")
	_, err := s.Invoke(t.Context(), inv)
	plugintest.WantCode(t, err, "Invoke of a missing function by another caller", sdk.CodeNotFound)
}

func testCallerPublic(t *testing.T, s serverless.Serverless) {
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	d := def(ns, name)
	d.IsPublic = true
	mustDeploy(t, s, d, Module(t, "echo"))
	for _, caller := range []string{"", plugintest.Unique("other"), ns} {
		inv := own(ns, name, 0, []byte("public"))
		inv.Caller = caller
		wantOutput(t, mustInvoke(t, s, inv), "public function invoked by caller "+short(caller), []byte("public"))
	}
	// Each version has its own visibility: a private version 2 is not
	// public because version 1 is.
	mustDeploy(t, s, def(ns, name), Module(t, "echo"))
	inv := own(ns, name, 0, nil)
	inv.Caller = ""
	_, err := s.Invoke(t.Context(), inv)
	plugintest.WantCode(t, err, "private version 2 invoked without a caller", sdk.CodeForbidden)
	inv.Version = 1
	wantOutput(t, mustInvoke(t, s, inv), "public version 1 invoked without a caller", nil)
}

func testInputTooLarge(t *testing.T, s serverless.Serverless) {
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	mustDeploy(t, s, def(ns, name), Module(t, "echo"))
	_, err := s.Invoke(t.Context(), own(ns, name, 0, make([]byte, serverless.MaxInputBytes+1)))
	plugintest.WantCode(t, err, "Invoke with input over MaxInputBytes", sdk.CodeTooLarge)
}

// wantFailure invokes the only version of a fixture and fails unless its
// result has status, with an error that contains each of msgs.
func wantFailure(t *testing.T, s serverless.Serverless, d serverless.Definition, fixture, status string, msgs ...string) serverless.Result {
	t.Helper()
	mustDeploy(t, s, d, Module(t, fixture))
	ctx, cancel := context.WithTimeout(t.Context(), faultWait)
	defer cancel()
	r, err := s.Invoke(ctx, own(d.Namespace, d.Name, 0, []byte("input")))
	if err != nil {
		t.Fatalf("Invoke of %s: %v (a function's failure is a Result, not an error)", fixture, err)
	}
	if r.Status != status {
		t.Errorf("%s: status %q (error %q), want %q", fixture, r.Status, r.Error, status)
	}
	if r.Error == "" {
		t.Errorf("%s: no Result.Error", fixture)
	}
	for _, m := range msgs {
		if !strings.Contains(r.Error, m) {
			t.Errorf("%s: error %q does not say %q", fixture, r.Error, m)
		}
	}
	return r
}

// wantStillServes fails unless a fresh echo function of namespace runs:
// a fault of one invocation harms nothing else.
func wantStillServes(t *testing.T, s serverless.Serverless, namespace string) {
	t.Helper()
	name := plugintest.Unique("after")
	mustDeploy(t, s, def(namespace, name), Module(t, "echo"))
	wantOutput(t, mustInvoke(t, s, own(namespace, name, 0, []byte("still here"))), "echo after a fault", []byte("still here"))
}

func testTrap(t *testing.T, s serverless.Serverless) {
	ns := plugintest.Unique("ns")
	wantFailure(t, s, def(ns, plugintest.Unique("fn")), "trap", serverless.ResultError, "unreachable")
	wantStillServes(t, s, ns)
}

func testExitNonZero(t *testing.T, s serverless.Serverless) {
	ns := plugintest.Unique("ns")
	wantFailure(t, s, def(ns, plugintest.Unique("fn")), "exit1", serverless.ResultError, "1")
	wantStillServes(t, s, ns)
}

func testTimeout(t *testing.T, s serverless.Serverless) {
	ns := plugintest.Unique("ns")
	d := def(ns, plugintest.Unique("fn"))
	d.TimeoutSeconds = 1
	wantFailure(t, s, d, "loop", serverless.ResultTimeout)
	wantStillServes(t, s, ns)
}

func testMemoryLimit(t *testing.T, s serverless.Serverless) {
	ns := plugintest.Unique("ns")
	d := def(ns, plugintest.Unique("fn"))
	d.MemoryLimitMB = 2
	wantFailure(t, s, d, "membomb", serverless.ResultError)
	// The same function again: the limit holds every time.
	r := mustInvoke(t, s, own(ns, d.Name, 0, nil))
	if r.Status != serverless.ResultError {
		t.Errorf("membomb again: status %q, want error", r.Status)
	}
	wantStillServes(t, s, ns)
}

func testOutputCap(t *testing.T, s serverless.Serverless) {
	ns := plugintest.Unique("ns")
	r := wantFailure(t, s, def(ns, plugintest.Unique("fn")), "bigout", serverless.ResultError)
	if len(r.Output) >= BigOutBytes {
		t.Errorf("bigout: %d bytes of output came back, want fewer than %d", len(r.Output), BigOutBytes)
	}
	wantStillServes(t, s, ns)
}

func testGoGreeting(t *testing.T, s serverless.Serverless) {
	ns, name := plugintest.Unique("ns"), plugintest.Unique("greet")
	mustDeploy(t, s, def(ns, name), GoModule(t, GreetingSource))
	r := mustInvoke(t, s, own(ns, name, 0, []byte(`{"name":"Orama"}`)))
	wantOutput(t, r, "the Go greeting", []byte(GreetingOutput("Orama")))
	// Bad input: the program says so on stderr and exits 1.
	r = mustInvoke(t, s, own(ns, name, 0, []byte("not json")))
	if r.Status != serverless.ResultError || bytes.Contains(r.Output, []byte("greeting")) {
		t.Errorf("the Go greeting with bad input: %+v, want an error result", r)
	}
}
