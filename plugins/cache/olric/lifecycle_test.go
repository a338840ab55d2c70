package olric

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func TestUnconfiguredStore(t *testing.T) {
	s := New(nil)
	ctx := t.Context()
	plugintest.WantIdle(t, s, cache.Kind, "olric")
	_, err := s.Get(ctx, "ns", "dm", "k")
	plugintest.WantCode(t, err, "Get before Configure", sdk.CodeUnavailable)
	plugintest.WantCode(t, s.Put(ctx, "ns", "dm", "k", nil, 0), "Put before Configure", sdk.CodeUnavailable)
	_, _, err = s.Scan(ctx, "ns", "dm", "", 0)
	plugintest.WantCode(t, err, "Scan before Configure", sdk.CodeUnavailable)
}

func TestCloseBeforeConfigureAndTwice(t *testing.T) {
	ctx := t.Context()
	s := New(nil)
	plugintest.CloseTwice(t, s, "before Configure")
	if err := s.Configure(ctx, testConfig(t, nil)); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	if err := s.Put(ctx, "ns", "dm", "k", []byte("1"), 0); err != nil {
		t.Fatalf("Put: %v", err)
	}
	plugintest.CloseTwice(t, s, "after Configure")
	_, err := s.Get(ctx, "ns", "dm", "k")
	plugintest.WantCode(t, err, "Get after Close", sdk.CodeUnavailable)
	if h, _ := s.Health(ctx); h.OK {
		t.Errorf("Health after Close = %+v, want not OK", h)
	}
}

func TestConfigureTwiceConflicts(t *testing.T) {
	s := startStore(t, nil)
	plugintest.WantCode(t, s.Configure(t.Context(), testConfig(t, nil)), "second Configure", sdk.CodeConflict)
}

func TestConfigureRejectsBadConfigWithoutStarting(t *testing.T) {
	s := New(nil)
	err := s.Configure(t.Context(), testConfig(t, map[string]any{"mode": "bogus"}))
	plugintest.WantConfigError(t, err, "Configure", "mode")
	if s.cur.Load() != nil {
		t.Error("a rejected Configure left a backend behind")
	}
}

// TestFailedStartThenClose covers a Configure that fails half way (the
// member cannot bind its port): it reports unavailable, Close is fine,
// and a later member in the same process still starts. Olric counts start
// checkpoints process-wide and, after a failed start, never calls Started
// again and reads the count without synchronisation, so the test runs in
// a child process of its own.
func TestFailedStartThenClose(t *testing.T) {
	if os.Getenv(childEnv) != t.Name() {
		runInChild(t)
		return
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port

	s := New(testLogger(t))
	err = s.Configure(t.Context(), testConfig(t, map[string]any{"bind_port": port}))
	plugintest.WantCode(t, err, "Configure on a taken port", sdk.CodeUnavailable)
	plugintest.CloseTwice(t, s, "after a failed Configure")

	next := startStore(t, map[string]any{"start_timeout": "15s"})
	if err := next.Put(t.Context(), "ns", "dm", "k", []byte("1"), 0); err != nil {
		t.Errorf("Put on a member started after a failed one: %v", err)
	}
}

const childEnv = "ORAMA_OLRIC_TEST_CHILD"

// runInChild runs the calling test alone in a new test process.
func runInChild(t *testing.T) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("child process: %v\n%s", err, out)
	}
}

// TestStartTimeoutBoundsConfigure points client mode at a server that
// accepts connections and never answers.
func TestStartTimeoutBoundsConfigure(t *testing.T) {
	mute, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer mute.Close()
	go func() {
		for {
			c, err := mute.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	s := New(testLogger(t))
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // a backstop, not an assertion
	defer cancel()
	err = s.Configure(ctx, testConfig(t, map[string]any{
		"mode": "client", "servers": []string{mute.Addr().String()}, "start_timeout": "300ms",
	}))
	plugintest.WantCode(t, err, "Configure against a mute server", sdk.CodeUnavailable)
	if ctx.Err() != nil {
		t.Error("Configure ran past the backstop; start_timeout did not bound it")
	}
	if err := s.Close(t.Context()); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// TestCloseWhileServing closes a Store under load: calls in flight end
// with an sdk error (no panic, no hang) and later calls are unavailable.
func TestCloseWhileServing(t *testing.T) {
	s := New(testLogger(t))
	if err := s.Configure(t.Context(), testConfig(t, nil)); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			key := fmt.Sprintf("k%d", w)
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := s.Put(ctx, "ns", "dm", key, []byte("1"), 0)
				if err == nil {
					_, err = s.Get(ctx, "ns", "dm", key)
				}
				var e *sdk.Error
				if err != nil && !errors.As(err, &e) {
					t.Errorf("worker %d: %T %v is not an sdk.Error", w, err, err)
					return
				}
			}
		})
	}
	time.Sleep(50 * time.Millisecond)
	if err := s.Close(ctx); err != nil {
		t.Errorf("Close under load: %v", err)
	}
	close(stop)
	wg.Wait()
	_, err := s.Get(ctx, "ns", "dm", "k0")
	plugintest.WantCode(t, err, "Get after Close", sdk.CodeUnavailable)
}
