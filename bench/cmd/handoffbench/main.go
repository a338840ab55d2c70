// Command handoffbench measures the cache hand-off of an upgrade: for each
// size it starts a gateway (bin/orama, embedded cache plugin,
// handoff_timeout 1h) in a temp dir, puts that many small entries (a JSON
// object of ~40 bytes, ttl 1h) over -c connections, points the cache
// plugin at a copy of its binary and sends the host SIGHUP, then samples
// VmHWM (peak RSS) of the old and the new plugin process from
// /proc/PID/status every 20 ms until the old one exits. It prints the
// hand-off time the host logs ("took"), the wall time from SIGHUP to the
// old process's exit, and both peaks.
//
//	handoffbench -bin bin -n 10000,100000,1000000
//	handoffbench -bin bin -n 20000 -pad 10240   # ~200 MiB of values
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	bin := flag.String("bin", "bin", "directory of orama and orama-plugin-cache")
	sizes := flag.String("n", "10000,100000,1000000", "entry counts, comma-separated")
	conns := flag.Int("c", 64, "puts in flight while filling")
	pad := flag.Int("pad", 0, "bytes of padding in each value (0: small entries of ~40 bytes)")
	flag.Parse()
	padding = strings.Repeat("x", *pad)
	fmt.Printf("%-9s %10s %10s %12s %14s %14s %14s\n", "entries", "fill", "handoff", "sighup→exit", "old VmHWM MiB", "new VmHWM MiB", "old RSS before")

	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			fail(fmt.Errorf("bad size %q", s))
		}
		r, err := measure(*bin, n, *conns)
		if err != nil {
			fail(fmt.Errorf("%d entries: %w", n, err))
		}
		fmt.Printf("%-9d %10s %10s %12s %14.1f %14.1f %14.1f\n", n, r.fill.Round(time.Millisecond), r.took.Round(time.Millisecond),
			r.wall.Round(time.Millisecond), mib(r.oldHWM), mib(r.newHWM), mib(r.oldRSS))
		fmt.Printf("          log: %s\n", r.line)
	}
}

// padding is added to every value (-pad).
var padding string

func fail(err error) {
	fmt.Fprintln(os.Stderr, "handoffbench:", err)
	os.Exit(1)
}

func mib(kb int64) float64 { return float64(kb) / 1024 }

type result struct {
	fill, took, wall       time.Duration
	oldHWM, newHWM, oldRSS int64 // kB
	line                   string
}

// logBuffer collects the host's output.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// line returns the first line containing s, or "".
func (l *logBuffer) line(s string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	sc := bufio.NewScanner(bytes.NewReader(l.b.Bytes()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), s) {
			return sc.Text()
		}
	}
	return ""
}

func config(port int, dir, plugin string) string {
	return fmt.Sprintf(`server {
  listen = "127.0.0.1:%d"
  cache {
    handoff_timeout = "1h"
  }
}
node {
  id       = "handoffbench"
  data_dir = %q
}
plugin "cache" {
  path = %q
  config {
    mode = "embedded"
  }
}
`, port, filepath.Join(dir, "data"), plugin)
}

func measure(bin string, n, conns int) (result, error) {
	var r result
	dir, err := os.MkdirTemp("", "handoffbench-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	plugin := filepath.Join(bin, "orama-plugin-cache")
	v2 := filepath.Join(dir, "v2", "orama-plugin-cache")
	if err := copyFile(plugin, v2); err != nil {
		return r, err
	}
	port, err := freePort()
	if err != nil {
		return r, err
	}
	cfg := filepath.Join(dir, "config.hcl")
	if err := os.WriteFile(cfg, []byte(config(port, dir, mustAbs(plugin))), 0o644); err != nil {
		return r, err
	}
	logs := &logBuffer{}
	cmd := exec.Command(filepath.Join(bin, "orama"), "serve", "-config", cfg)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return r, err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}()
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	oldPID, err := waitPID(url, 0, 60*time.Second)
	if err != nil {
		return r, err
	}
	start := time.Now()
	if err := fill(url, n, conns); err != nil {
		return r, err
	}
	r.fill = time.Since(start)
	r.oldRSS = procKB(oldPID, "VmRSS")
	// Reset the old process's peak to its current RSS (clear_refs 5), so
	// that its VmHWM is the peak of the hand-off, not of the fill.
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", oldPID), []byte("5"), 0); err != nil {
		fmt.Fprintf(os.Stderr, "handoffbench: cannot reset the old plugin's peak RSS (%v); its VmHWM includes the fill\n", err)
	}

	if err := os.WriteFile(cfg, []byte(config(port, dir, v2)), 0o644); err != nil {
		return r, err
	}
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		return r, err
	}
	newPID := 0
	for {
		if v := procKB(oldPID, "VmHWM"); v > 0 {
			r.oldHWM = v
		} else {
			break // the old process is gone
		}
		if newPID == 0 {
			newPID, _ = currentPID(url, oldPID)
		}
		if newPID != 0 {
			r.newHWM = max(r.newHWM, procKB(newPID, "VmHWM"))
		}
		if time.Since(sent) > 2*time.Hour {
			return r, errors.New("the old plugin process did not exit")
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.wall = time.Since(sent)
	if newPID == 0 {
		if newPID, err = waitPID(url, oldPID, 30*time.Second); err != nil {
			return r, err
		}
	}
	r.newHWM = max(r.newHWM, procKB(newPID, "VmHWM"))
	r.line = logs.line("cache entries handed off")
	if r.line == "" {
		return r, fmt.Errorf("the host did not log a hand-off:\n%s", logs.line("hand-off"))
	}
	var doc struct {
		Took  int64 `json:"took"`
		Moved int64 `json:"moved"`
	}
	if err := json.Unmarshal([]byte(r.line), &doc); err != nil {
		return r, fmt.Errorf("hand-off log line: %w", err)
	}
	if doc.Moved != int64(n) {
		return r, fmt.Errorf("the hand-off moved %d of %d entries", doc.Moved, n)
	}
	r.took = time.Duration(doc.Took)
	return r, nil
}

// fill puts entries "e0" … "e<n-1>" of dmap "handoff" with ttl 1h.
func fill(url string, n, conns int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns}, Timeout: 30 * time.Second}
	var next atomic.Int64
	var wg sync.WaitGroup
	var first error
	var once sync.Once
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				body := fmt.Sprintf(`{"dmap":"handoff","key":"e%d","value":{"n":%d,"s":"small-entry%s"},"ttl":"1h"}`, i, i, padding)
				resp, err := client.Post(url+"/v1/cache/put", "application/json", strings.NewReader(body))
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("put: %s", resp.Status)
					}
				}
				if err != nil {
					once.Do(func() { first = err; cancel() })
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// currentPID reads the cache plugin's pid from /v1/health; 0 while it is
// still not.
func currentPID(url string, not int) (int, error) {
	resp, err := http.Get(url + "/v1/health")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var doc struct {
		Plugins map[string]struct {
			PID int `json:"pid"`
		} `json:"plugins"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return 0, err
	}
	if pid := doc.Plugins["cache"].PID; pid != not {
		return pid, nil
	}
	return 0, nil
}

// waitPID waits until the cache plugin runs under a pid other than not.
func waitPID(url string, not int, limit time.Duration) (int, error) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if pid, err := currentPID(url, not); err == nil && pid != 0 {
			return pid, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return 0, fmt.Errorf("no cache plugin pid (other than %d) on %s within %v", not, url, limit)
}

// procKB reads a field (in kB) of /proc/pid/status; 0 when the process is
// gone.
func procKB(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o755)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		fail(err)
	}
	return a
}
