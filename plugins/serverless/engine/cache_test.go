package engine

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

func TestLRUEviction(t *testing.T) {
	echo, trap, exit1 := serverlesstest.Module(t, "echo"), serverlesstest.Module(t, "trap"), serverlesstest.Module(t, "exit1")
	// room for echo and trap, not for a third
	e := newEngine(t, Config{CacheBytes: int64(len(echo) + len(trap) + len(exit1) - 1)})
	ctx := context.Background()
	for key, b := range map[string][]byte{"echo": echo, "trap": trap} {
		if err := e.Compile(ctx, key, b); err != nil {
			t.Fatal(err)
		}
	}
	// echo becomes the most recently used
	wantStatus(t, run(t, e, "echo", Call{}), serverless.ResultSuccess, "")
	if err := e.Compile(ctx, "exit1", exit1); err != nil {
		t.Fatal(err)
	}
	if !e.Cached("echo") || e.Cached("trap") || !e.Cached("exit1") {
		t.Fatalf("cached echo %v trap %v exit1 %v, want the least recently used (trap) evicted", e.Cached("echo"), e.Cached("trap"), e.Cached("exit1"))
	}
	_, err := e.Run(ctx, "trap", Call{})
	wantCode(t, err, sdk.CodeNotFound)
	// compiled again on demand
	if err := e.Compile(ctx, "trap", trap); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, run(t, e, "trap", Call{}), serverless.ResultError, "unreachable")
	if e.bytes > e.cfg.CacheBytes {
		t.Fatalf("cache holds %d bytes, over %d", e.bytes, e.cfg.CacheBytes)
	}
}

// TestLargerThanCache: a module larger than the whole cache is still
// kept (alone) so that it can run.
func TestLargerThanCache(t *testing.T) {
	e := newEngine(t, Config{CacheBytes: 10})
	for _, key := range []string{"echo", "trap"} {
		if err := e.Compile(context.Background(), key, serverlesstest.Module(t, key)); err != nil {
			t.Fatal(err)
		}
	}
	if e.Cached("echo") || !e.Cached("trap") {
		t.Fatal("want only the latest module kept")
	}
	wantStatus(t, run(t, e, "trap", Call{}), serverless.ResultError, "unreachable")
}

// TestEvictedWhileRunning: a module evicted during a run is closed only
// after the run ends, which completes normally.
func TestEvictedWhileRunning(t *testing.T) {
	ids := serverlesstest.Module(t, "host_ids")
	e := newEngine(t, Config{CacheBytes: int64(len(ids))})
	ctx := context.Background()
	if err := e.Compile(ctx, "ids", ids); err != nil {
		t.Fatal(err)
	}
	h := newFakeHost()
	h.block, h.entered = make(chan struct{}), make(chan struct{})
	done := make(chan Outcome, 1)
	go func() {
		o, err := e.Run(ctx, "ids", Call{Host: h})
		if err != nil {
			o.Error = err.Error()
		}
		done <- o
	}()
	<-h.entered // the run is inside get_request_id
	if err := e.Compile(ctx, "echo", serverlesstest.Module(t, "echo")); err != nil {
		t.Fatal(err)
	}
	if e.Cached("ids") {
		t.Fatal("ids not evicted")
	}
	close(h.block)
	o := <-done
	wantStatus(t, o, serverless.ResultSuccess, "")
	if want := "0xAbC123\nreq-1\nhello there\n<0>\ns3cr3t\n<0>\n"; string(o.Stdout) != want {
		t.Fatalf("stdout %q", o.Stdout)
	}
	// evicted and done: Run no longer finds it
	_, err := e.Run(ctx, "ids", Call{})
	wantCode(t, err, sdk.CodeNotFound)
}

// cacheFile is what the test knows of one file of wazero's cache.
type cacheFile struct {
	ino   uint64
	mtime time.Time
	size  int64
}

// cacheFiles lists the files of wazero's compilation cache under dir.
func cacheFiles(t *testing.T, dir string) map[string]cacheFile {
	t.Helper()
	files := map[string]cacheFile{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := os.Stat(path)
		if err != nil {
			return err
		}
		files[path] = cacheFile{fi.Sys().(*syscall.Stat_t).Ino, fi.ModTime(), fi.Size()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestDiskCache: a new Engine over the same CacheDir loads a module
// compiled before from wazero's cache files instead of compiling it
// again — which would write its file anew (wazero writes a temporary
// file and renames it over the old one: a new inode).
func TestDiskCache(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	e1, err := New(ctx, Config{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := e1.Compile(ctx, "echo", serverlesstest.Module(t, "echo")); err != nil {
		t.Fatal(err)
	}
	if err := e1.Close(ctx); err != nil {
		t.Fatal(err)
	}
	before := cacheFiles(t, dir)
	if len(before) != 1 {
		t.Fatalf("cache files %v, want one (echo's)", before)
	}

	e2 := newEngine(t, Config{CacheDir: dir})
	if err := e2.Compile(ctx, "echo", serverlesstest.Module(t, "echo")); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, run(t, e2, "echo", Call{Stdin: []byte("from disk")}), serverless.ResultSuccess, "")
	after := cacheFiles(t, dir)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("cache files changed: %v, then %v — echo was compiled again", before, after)
	}
	// the control: a module not seen before is compiled and written
	if err := e2.Compile(ctx, "trap", serverlesstest.Module(t, "trap")); err != nil {
		t.Fatal(err)
	}
	if n := len(cacheFiles(t, dir)); n != 2 {
		t.Fatalf("%d cache files after a new module, want 2", n)
	}
}

func TestCacheDirUnusable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := New(context.Background(), Config{CacheDir: filepath.Join(file, "sub")})
	wantCode(t, err, sdk.CodeInvalid)
}

// TestConcurrentRuns: many runs of several modules at once, each with its
// own instance, memory and output; concurrent Compiles of one key.
func TestConcurrentRuns(t *testing.T) {
	e := newEngine(t, Config{})
	ctx := context.Background()
	greeting := serverlesstest.GoModule(t, serverlesstest.GreetingSource)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := e.Compile(ctx, "greeting", greeting); err != nil {
				t.Error(err)
			}
			if err := e.Compile(ctx, "echo", serverlesstest.Module(t, "echo")); err != nil {
				t.Error(err)
			}
			if err := e.Compile(ctx, "ids", serverlesstest.Module(t, "host_ids")); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if e.lru.Len() != 3 {
		t.Fatalf("%d entries, want 3", e.lru.Len())
	}
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("N%d", i)
			var o Outcome
			var want string
			var err error
			switch i % 4 {
			case 0:
				o, err = e.Run(ctx, "greeting", Call{Stdin: []byte(`{"name":"` + name + `"}`)})
				want = serverlesstest.GreetingOutput(name)
			case 1:
				o, err = e.Run(ctx, "echo", Call{Stdin: []byte(name), MemoryLimitMB: 1})
				want = name
			case 2:
				h := newFakeHost()
				h.requestID = name
				o, err = e.Run(ctx, "ids", Call{Host: h})
				want = "0xAbC123\n" + name + "\nhello there\n<0>\ns3cr3t\n<0>\n"
			case 3:
				o, err = e.Run(ctx, "echo", Call{Stdin: []byte(name), Timeout: time.Minute})
				want = name
			}
			if err != nil || o.Status != serverless.ResultSuccess || string(o.Stdout) != want {
				t.Errorf("run %d: %v %s %q, stdout %q, want %q", i, err, o.Status, o.Error, o.Stdout, want)
			}
		}()
	}
	wg.Wait()
}

// TestSameBytesTwoKeys: two keys of the same module share wazero's
// compiled code; evicting one leaves the other runnable.
func TestSameBytesTwoKeys(t *testing.T) {
	echo := serverlesstest.Module(t, "echo")
	e := newEngine(t, Config{CacheBytes: int64(2 * len(echo))})
	ctx := context.Background()
	for _, key := range []string{"a", "b", "trap"} {
		b := echo
		if key == "trap" {
			b = serverlesstest.Module(t, "trap")
		}
		if err := e.Compile(ctx, key, b); err != nil {
			t.Fatal(err)
		}
	}
	if e.Cached("a") || !e.Cached("b") {
		t.Fatal("want a evicted, b kept")
	}
	o := run(t, e, "b", Call{Stdin: []byte("b")})
	wantStatus(t, o, serverless.ResultSuccess, "")
	if string(o.Stdout) != "b" {
		t.Fatalf("stdout %q", o.Stdout)
	}
}
