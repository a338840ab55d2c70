package engine

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
)

// waitFor polls cond until it holds (bounded).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 30s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestCPUSlots: at most MaxRunning guests run guest code at once — a
// busy guest holds the only slot and another run waits for it (bounded by
// its context) — GOMAXPROCS stays above that, and a guest waiting in a
// host function gives its slot up meanwhile.
func TestCPUSlots(t *testing.T) {
	e := compiled(t, Config{MaxRunning: 1}, "loop", "echo", "host_db")
	if n := runtime.GOMAXPROCS(0); n < 2 {
		t.Errorf("GOMAXPROCS = %d with MaxRunning 1, want at least 2", n)
	}

	looped := make(chan Outcome, 1)
	go func() {
		o, _ := e.Run(context.Background(), "loop", Call{Timeout: 3 * time.Second})
		looped <- o
	}()
	waitFor(t, "the busy loop takes the CPU slot", func() bool { return len(e.cpu) == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	_, err := e.Run(ctx, "echo", Call{Stdin: []byte("hi")})
	cancel()
	plugintest.WantCode(t, err, "Run while the only slot is busy", sdk.CodeUnavailable)
	wantStatus(t, <-looped, serverless.ResultTimeout, "timed out")

	// A guest blocked in db_query holds no slot: echo runs meanwhile.
	h := newFakeHost()
	entered, unblock := make(chan struct{}), make(chan struct{})
	h.onDBQuery = func() {
		select {
		case <-entered:
		default:
			close(entered)
			<-unblock
		}
	}
	done := make(chan Outcome, 1)
	go func() {
		o, _ := e.Run(context.Background(), "host_db", Call{Host: h, Timeout: time.Minute})
		done <- o
	}()
	<-entered
	ctx, cancel = context.WithTimeout(context.Background(), 30*time.Second)
	o, err := e.Run(ctx, "echo", Call{Stdin: []byte("while blocked")})
	cancel()
	if err != nil || o.Status != serverless.ResultSuccess || string(o.Stdout) != "while blocked" {
		t.Fatalf("echo while host_db waits in db_query = %+v, %v", o, err)
	}
	close(unblock)
	if o := <-done; o.Status != serverless.ResultSuccess {
		t.Fatalf("host_db after its query = %+v", o)
	}
	if len(e.cpu) != 0 {
		t.Errorf("%d CPU slots still held after every run ended", len(e.cpu))
	}
}
