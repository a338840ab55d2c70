package pluginmgr

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/hostapi"
)

func TestNextBackoffGrowsAndCaps(t *testing.T) {
	d := time.Duration(0)
	seen := []time.Duration{}
	for range 12 {
		d = nextBackoff(d)
		seen = append(seen, d)
	}
	if seen[0] != backoffMin || seen[1] != 2*backoffMin {
		t.Errorf("start of backoff: %v", seen[:3])
	}
	if seen[len(seen)-1] != backoffMax {
		t.Errorf("backoff not capped at %v: %v", backoffMax, seen)
	}
}

func TestRetireWaitsForCallsAndRefusesNewOnes(t *testing.T) {
	inst := &instance{}
	if !inst.enter() {
		t.Fatal("fresh instance refused a call")
	}
	retired := make(chan struct{})
	go func() {
		inst.retire(context.Background())
		close(retired)
	}()
	// retire must wait for the call in progress.
	select {
	case <-retired:
		t.Fatal("retire returned while a call was in progress")
	case <-time.After(50 * time.Millisecond):
	}
	inst.release()
	<-retired
	if inst.enter() {
		t.Fatal("retired instance accepted a call")
	}
	if n := inst.inflight.Load(); n != 0 {
		t.Fatalf("inflight = %d after refused enter", n)
	}
}

func TestRetireIsBoundedByContext(t *testing.T) {
	inst := &instance{}
	inst.enter()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	inst.retire(ctx) // returns although the call never ends
	if ctx.Err() == nil {
		t.Fatal("retire returned before its deadline with a call in progress")
	}
}

func TestEnterRetireRace(t *testing.T) {
	// Whatever the interleaving, a call that entered is counted until it
	// releases, so retire never returns while one is running.
	for range 200 {
		inst := &instance{}
		var wg sync.WaitGroup
		var running sync.Mutex
		active := 0
		wg.Add(1)
		go func() {
			defer wg.Done()
			if inst.enter() {
				running.Lock()
				active++
				running.Unlock()
				time.Sleep(time.Millisecond)
				running.Lock()
				active--
				running.Unlock()
				inst.release()
			}
		}()
		inst.retire(context.Background())
		running.Lock()
		if active != 0 {
			t.Fatal("retire returned while a call was running")
		}
		running.Unlock()
		wg.Wait()
	}
}

func TestCurrentUnavailableWhenNotConfigured(t *testing.T) {
	m := New(Options{})
	_, err := m.Cache(context.Background())
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != sdk.CodeUnavailable {
		t.Fatalf("Cache with no plugin: %v, want unavailable", err)
	}
}

func TestCurrentFailsFastAfterCrash(t *testing.T) {
	m := New(Options{UpgradeWait: time.Hour})
	s := &supervisor{m: m, kind: "cache", firstUp: make(chan struct{}), everUp: true,
		status: Status{State: StateRestarting}}
	start := time.Now()
	_, err := s.current(context.Background())
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != sdk.CodeUnavailable {
		t.Fatalf("current while restarting: %v", err)
	}
	if time.Since(start) > time.Minute {
		t.Fatal("current waited for a crashed plugin") // would mean a hang, not a timing check
	}
}

func TestCurrentWaitsForFirstStartBounded(t *testing.T) {
	m := New(Options{UpgradeWait: time.Hour})
	s := &supervisor{m: m, kind: "cache", log: hclog.NewNullLogger(), firstUp: make(chan struct{}), status: Status{State: StateStarting}}
	want := &instance{}
	go func() {
		time.Sleep(20 * time.Millisecond)
		s.serve(want)
	}()
	got, err := s.current(context.Background())
	if err != nil || got != want {
		t.Fatalf("current during first start: %v %v", got, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	s2 := &supervisor{m: m, kind: "cache", firstUp: make(chan struct{}), status: Status{State: StateStarting}}
	if _, err := s2.current(ctx); err == nil {
		t.Fatal("current returned an instance that never started")
	}
}

func TestHostLogLevels(t *testing.T) {
	h := hostLog{log: hclog.NewNullLogger()}
	if err := h.Log(context.Background(), hostapi.Entry{Level: "info", Message: "hi", Fields: map[string]any{"a": 1}}); err != nil {
		t.Fatal(err)
	}
	err := h.Log(context.Background(), hostapi.Entry{Level: "loud", Message: "hi"})
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != sdk.CodeInvalid {
		t.Fatalf("unknown level: %v", err)
	}
}

func isUnavailable(err error) bool {
	var e *sdk.Error
	return errors.As(err, &e) && e.Code == sdk.CodeUnavailable
}
