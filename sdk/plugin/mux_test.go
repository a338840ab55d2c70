package plugin_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	cachev1 "github.com/orama-network/orama/sdk/gen/orama/cache/v1"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// bound is how long a test waits for something that should happen at once.
const bound = 30 * time.Second

func TestMuxCarriesCalls(t *testing.T) {
	var method string
	c := &muxCache{get: func(ctx context.Context, req *cachev1.GetRequest) (*cachev1.GetResponse, error) {
		method, _ = grpc.Method(ctx)
		return echo(ctx, req)
	}}
	s, mux, _ := muxPair(t, c)
	for i := range 3 {
		resp, err := mux.Get(t.Context(), &cachev1.GetRequest{Key: fmt.Sprint("k", i), Dmap: "v"})
		if err != nil || resp.Entry.Key != fmt.Sprint("k", i) || string(resp.Entry.Value) != "v" {
			t.Fatalf("Get %d = %v, %v", i, resp, err)
		}
	}
	if n := s.unary.Load(); n != 0 {
		t.Errorf("%d calls came unary, want all through the mux", n)
	}
	if n := s.streams.Load(); n != 1 {
		t.Errorf("%d Mux streams opened, want 1", n)
	}
	if method != "/orama.cache.v1.Cache/Get" {
		t.Errorf("grpc.Method in the handler = %q", method)
	}
}

// TestMuxErrorsAsUnary checks that a handler's error reaches the caller
// exactly as over a unary call: code, message, details, and the sdk.Error
// the client adapters make of it.
func TestMuxErrorsAsUnary(t *testing.T) {
	detailed, err := status.New(codes.FailedPrecondition, "with details").WithDetails(&cachev1.GetRequest{Key: "detail"})
	if err != nil {
		t.Fatal(err)
	}
	errs := map[string]error{
		"sdk":      sdk.ToGRPC(sdk.Errorf(sdk.CodeNotFound, "no key %q", "k")),
		"conflict": sdk.ToGRPC(sdk.Errorf(sdk.CodeConflict, "exists")),
		"details":  detailed.Err(),
		"plain":    errors.New("plain error"),
		"context":  context.DeadlineExceeded,
	}
	c := &muxCache{get: func(_ context.Context, req *cachev1.GetRequest) (*cachev1.GetResponse, error) {
		return nil, errs[req.Key]
	}}
	s, mux, unary := muxPair(t, c)
	for name := range errs {
		_, viaMux := mux.Get(t.Context(), &cachev1.GetRequest{Key: name})
		_, viaUnary := unary.Get(t.Context(), &cachev1.GetRequest{Key: name})
		m, u := status.Convert(viaMux), status.Convert(viaUnary)
		if m.Code() == codes.OK || !proto.Equal(m.Proto(), u.Proto()) {
			t.Errorf("%s: through the mux %v, unary %v", name, m.Proto(), u.Proto())
		}
		if fm, fu := sdk.FromGRPC(viaMux), sdk.FromGRPC(viaUnary); fm.Error() != fu.Error() {
			t.Errorf("%s: sdk error through the mux %v, unary %v", name, fm, fu)
		}
	}
	if n := s.unary.Load(); n != int64(len(errs)) {
		t.Errorf("%d unary calls, want %d (only the unary client's)", n, len(errs))
	}
}

func TestMuxDeadline(t *testing.T) {
	seen := make(chan bool, 1)
	c := &muxCache{get: func(ctx context.Context, _ *cachev1.GetRequest) (*cachev1.GetResponse, error) {
		_, ok := ctx.Deadline()
		seen <- ok
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	_, mux, _ := muxPair(t, c)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err := mux.Get(ctx, &cachev1.GetRequest{})
	if status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("Get past its deadline: %v, want DeadlineExceeded", err)
	}
	if !<-seen {
		t.Error("the handler's context had no deadline")
	}
	ctx, cancel = context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	if _, err := mux.Get(ctx, &cachev1.GetRequest{}); status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("Get with a past deadline: %v, want DeadlineExceeded", err)
	}
}

// TestMuxCancel checks that cancelling the caller's context returns at
// once and cancels the handler's context in the plugin.
func TestMuxCancel(t *testing.T) {
	started, cancelled := make(chan struct{}), make(chan struct{})
	c := &muxCache{get: func(ctx context.Context, req *cachev1.GetRequest) (*cachev1.GetResponse, error) {
		if req.Key != "block" {
			return echo(ctx, req)
		}
		close(started)
		select {
		case <-ctx.Done():
			close(cancelled)
			return nil, ctx.Err()
		case <-time.After(bound):
			return nil, errors.New("not cancelled")
		}
	}}
	_, mux, _ := muxPair(t, c)
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-started; cancel() }()
	if _, err := mux.Get(ctx, &cachev1.GetRequest{Key: "block"}); status.Code(err) != codes.Canceled {
		t.Errorf("cancelled Get: %v, want Canceled", err)
	}
	select {
	case <-cancelled:
	case <-time.After(bound):
		t.Fatal("the handler's context was not cancelled")
	}
	if resp, err := mux.Get(t.Context(), &cachev1.GetRequest{Key: "after"}); err != nil || resp.Entry.Key != "after" {
		t.Errorf("Get after a cancel = %v, %v", resp, err)
	}
}

func TestMuxConcurrentCalls(t *testing.T) {
	c := &muxCache{get: func(ctx context.Context, req *cachev1.GetRequest) (*cachev1.GetResponse, error) {
		if strings.HasSuffix(req.Key, "7") {
			time.Sleep(time.Millisecond) // some calls finish out of order
		}
		return echo(ctx, req)
	}}
	s, mux, _ := muxPair(t, c)
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	for g := range 300 { // more than a stream runs at once
		wg.Go(func() {
			for i := range 20 {
				key := fmt.Sprintf("g%d-%d", g, i)
				resp, err := mux.Get(t.Context(), &cachev1.GetRequest{Key: key, Dmap: key})
				if err == nil && (resp.Entry.Key != key || string(resp.Entry.Value) != key) {
					err = fmt.Errorf("Get %s answered %s", key, resp.Entry.Key)
				}
				if err != nil {
					select {
					case errs <- err:
					default:
					}
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	if n := s.unary.Load(); n != 0 {
		t.Errorf("%d calls came unary", n)
	}
}

// TestMuxLargeRequestGoesUnary checks that a request too large for a
// frame is still answered, as a unary call.
func TestMuxLargeRequestGoesUnary(t *testing.T) {
	s, mux, _ := muxPair(t, &muxCache{get: echo})
	big := strings.Repeat("x", 2<<20)
	resp, err := mux.Get(t.Context(), &cachev1.GetRequest{Key: "big", Dmap: big})
	if err != nil || len(resp.Entry.Value) != len(big) {
		t.Fatalf("Get of a 2 MiB request: %v", err)
	}
	if n := s.unary.Load(); n != 1 {
		t.Errorf("%d unary calls, want 1", n)
	}
	if resp, err := mux.Get(t.Context(), &cachev1.GetRequest{Key: "small"}); err != nil || resp.Entry.Key != "small" {
		t.Errorf("Get after it = %v, %v", resp, err)
	}
}

// TestMuxFallsBackToUnary: a plugin without the Mux service is called
// with unary calls, and asked for the stream once.
func TestMuxFallsBackToUnary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plugin.sock")
	s := serveMux(t, path, &muxCache{get: echo}, false)
	mux := dialMux(t, path, true)
	for i := range 3 {
		if resp, err := mux.Get(t.Context(), &cachev1.GetRequest{Key: fmt.Sprint(i)}); err != nil || resp.Entry.Key != fmt.Sprint(i) {
			t.Fatalf("Get %d = %v, %v", i, resp, err)
		}
	}
	if u, st := s.unary.Load(), s.streams.Load(); u != 3 || st != 1 {
		t.Errorf("%d unary calls and %d Mux streams asked for, want 3 and 1", u, st)
	}
}

// TestMuxStreamBreak: the plugin goes away during a call. The call fails
// as a unary call does (Unavailable), and once a plugin serves again the
// next call opens a new stream.
func TestMuxStreamBreak(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plugin.sock")
	started := make(chan struct{}, 2)
	block := &muxCache{get: func(ctx context.Context, _ *cachev1.GetRequest) (*cachev1.GetResponse, error) {
		started <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	s1 := serveMux(t, path, block, true)
	mux, unary := dialMux(t, path, true), dialMux(t, path, false)
	errs := make(chan error, 2)
	for _, c := range []cachev1.CacheClient{mux, unary} {
		go func() {
			_, err := c.Get(t.Context(), &cachev1.GetRequest{})
			errs <- err
		}()
	}
	<-started
	<-started
	s1.srv.Stop() // closes the connections, as a killed plugin's end would
	e1, e2 := <-errs, <-errs
	if status.Code(e1) != codes.Unavailable || status.Code(e2) != codes.Unavailable {
		t.Errorf("calls during the break: %v and %v, want Unavailable for both", e1, e2)
	}

	s2 := serveMux(t, path, &muxCache{get: echo}, true)
	deadline := time.Now().Add(bound)
	for {
		resp, err := mux.Get(t.Context(), &cachev1.GetRequest{Key: "again"})
		if err == nil {
			if resp.Entry.Key != "again" {
				t.Fatalf("Get after the break = %v", resp)
			}
			break
		}
		if status.Code(err) != codes.Unavailable || time.Now().After(deadline) {
			t.Fatalf("Get after the break: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if u, st := s2.unary.Load(), s2.streams.Load(); u != 0 || st != 1 {
		t.Errorf("new server: %d unary calls, %d Mux streams; want 0 and 1", u, st)
	}
}

func TestMuxSwitch(t *testing.T) {
	for value, on := range map[string]bool{"": true, "on": true, "off": false, "OFF": false, "0": false, "false": false} {
		t.Setenv(plugin.MuxEnv, value)
		if got := plugin.MuxEnabled(); got != on {
			t.Errorf("%s=%q: MuxEnabled = %v, want %v", plugin.MuxEnv, value, got, on)
		}
		if n := len(plugin.MuxDialOptions()); (n > 0) != on {
			t.Errorf("%s=%q: %d dial options", plugin.MuxEnv, value, n)
		}
	}
}
