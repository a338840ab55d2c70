// Command restarttime measures how long the gateway takes to serve cache
// requests again after its cache plugin is killed with SIGKILL, or — with
// -signal STOP — frozen with SIGSTOP (a hung plugin: it is never sent
// SIGCONT, the host must notice and SIGKILL it itself).
//
// Each run reads the plugin's pid from GET /v1/health, puts a key, sends
// the signal to the plugin and then polls POST /v1/cache/get every -poll
// until the gateway answers 200 or 404 (an embedded member comes back
// empty, so 404 counts) and /v1/health names a new pid. It prints each run
// and min/median/max in milliseconds.
//
// The host restarts a crashed plugin at once only if it had been up for
// 10 s; a faster crash waits an exponential backoff (100 ms, 200 ms, …).
// -settle keeps the runs that far apart so every run measures the
// immediate restart; -settle 0 shows the backoff instead.
//
//	restarttime -url http://127.0.0.1:6001 -n 5
//	restarttime -url http://127.0.0.1:6001 -n 5 -signal STOP
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"syscall"
	"time"
)

type options struct {
	url        string
	n          int
	plugin     string
	dmap, key  string
	poll       time.Duration
	settle     time.Duration
	timeout    time.Duration
	reqTimeout time.Duration
	signal     string
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "http://127.0.0.1:6001", "gateway base URL")
	flag.IntVar(&o.n, "n", 5, "number of kill -9 runs")
	flag.StringVar(&o.plugin, "plugin", "cache", "plugin name in /v1/health")
	flag.StringVar(&o.dmap, "dmap", "bench", "dmap of the probe key")
	flag.StringVar(&o.key, "key", "restart-probe", "probe key")
	flag.DurationVar(&o.poll, "poll", time.Millisecond, "interval between cache requests after the kill")
	flag.DurationVar(&o.settle, "settle", 10500*time.Millisecond, "minimum plugin uptime before the next kill (the host's backoff resets after 10s)")
	flag.DurationVar(&o.timeout, "timeout", 60*time.Second, "give up on a run after this long")
	flag.DurationVar(&o.reqTimeout, "request-timeout", 5*time.Second, "timeout of each HTTP request")
	flag.StringVar(&o.signal, "signal", "KILL", "signal sent to the plugin: KILL (crash) or STOP (hang; never continued)")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "restarttime:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if o.n < 1 {
		return errors.New("-n must be at least 1")
	}
	if _, ok := signals[o.signal]; !ok {
		return fmt.Errorf("-signal %q: want KILL or STOP", o.signal)
	}
	c := &http.Client{Timeout: o.reqTimeout}
	var (
		results   []time.Duration
		lastServe time.Time
	)
	for i := 1; i <= o.n; i++ {
		pid, err := waitRunning(c, o)
		if err != nil {
			return err
		}
		if code, err := post(c, o.url+"/v1/cache/put", map[string]any{"dmap": o.dmap, "key": o.key, "value": map[string]any{"run": i}}); err != nil || code != http.StatusOK {
			return fmt.Errorf("run %d: put before kill: status %d, %v", i, code, err)
		}
		if !lastServe.IsZero() {
			time.Sleep(time.Until(lastServe.Add(o.settle)))
		}
		d, failed, err := killAndWait(c, o, pid)
		if err != nil {
			return fmt.Errorf("run %d: %w", i, err)
		}
		lastServe = time.Now()
		results = append(results, d)
		fmt.Printf("run %d: SIG%s to pid %d, serving again after %.1f ms (%d requests answered with an error meanwhile)\n",
			i, o.signal, pid, ms(d), failed)
	}
	slices.Sort(results)
	fmt.Printf("%s -> serving (n=%d): min %.1f ms, median %.1f ms, max %.1f ms\n",
		signals[o.signal].label, len(results), ms(results[0]), ms(median(results)), ms(results[len(results)-1]))
	return nil
}

// signals are the -signal values.
var signals = map[string]struct {
	sig   syscall.Signal
	label string
}{
	"KILL": {syscall.SIGKILL, "kill -9"},
	"STOP": {syscall.SIGSTOP, "kill -STOP"},
}

// killAndWait signals pid and polls until the gateway serves cache requests
// from a new plugin process. It returns the time from the kill to the
// first good answer and how many answers were errors before it.
func killAndWait(c *http.Client, o options, pid int) (time.Duration, int, error) {
	body := map[string]any{"dmap": o.dmap, "key": o.key}
	start := time.Now()
	if err := syscall.Kill(pid, signals[o.signal].sig); err != nil {
		return 0, 0, fmt.Errorf("kill -%s %d: %w", o.signal, pid, err)
	}
	failed := 0
	for next := start; ; {
		if time.Since(start) > o.timeout {
			return 0, failed, fmt.Errorf("not serving %s after the kill", o.timeout)
		}
		code, err := post(c, o.url+"/v1/cache/get", body)
		end := time.Now()
		if err == nil && (code == http.StatusOK || code == http.StatusNotFound) {
			// Guard against a request that raced the kill: count it only
			// once the host reports a different plugin process.
			if h, err := health(c, o.url); err == nil {
				if p := h.Plugins[o.plugin]; p.PID != 0 && p.PID != pid {
					return end.Sub(start), failed, nil
				}
			}
		} else {
			failed++
		}
		next = next.Add(o.poll)
		time.Sleep(time.Until(next))
	}
}

type healthDoc struct {
	Status  string `json:"status"`
	Plugins map[string]struct {
		Status   string `json:"status"`
		PID      int    `json:"pid"`
		Restarts int    `json:"restarts"`
		Version  string `json:"version"`
	} `json:"plugins"`
}

func health(c *http.Client, url string) (healthDoc, error) {
	var doc healthDoc
	resp, err := c.Get(url + "/v1/health")
	if err != nil {
		return doc, err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return doc, err
	}
	return doc, nil
}

// waitRunning waits until /v1/health reports the plugin running and
// returns its pid.
func waitRunning(c *http.Client, o options) (int, error) {
	deadline := time.Now().Add(o.timeout)
	for {
		h, err := health(c, o.url)
		if p, ok := h.Plugins[o.plugin]; err == nil && ok && p.Status == "running" && p.PID > 0 {
			return p.PID, nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("plugin %q not running after %s (last health %+v, %v)", o.plugin, o.timeout, h, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func post(c *http.Client, url string, v any) (int, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return 0, err
	}
	resp, err := c.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

func median(sorted []time.Duration) time.Duration {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
