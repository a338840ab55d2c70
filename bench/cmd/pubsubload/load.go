package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

// stepResult is one rate's outcome.
type stepResult struct {
	rate              int
	sent, failed      int64
	offeredDPS, dps   float64
	p50, p99, maxLat  float64 // ms
	lost, late, dup   int64
	bad, closed       int64
	cpu               []float64 // % of one core: load generator, then -pids
	cpuPer            []float64 // CPU µs per delivery received, same order
	keptUp            bool
	publishSecs, secs float64
}

func runLoad(ctx context.Context, c config) error {
	var step atomic.Int32
	t := time.Now()
	subs, err := openSubs(ctx, c, &step)
	if err != nil {
		return err
	}
	defer closeSubs(subs)
	fmt.Printf("opened %d subscribers of topic %q on %s in %.1fs\n", len(subs), c.topic, c.url, time.Since(t).Seconds())
	pubs, err := openPublishers(ctx, c)
	if err != nil {
		return err
	}
	defer closePublishers(pubs)
	how := "WebSocket client frames (each publisher's socket is also a subscriber of the topic: its deliveries are read and not counted)"
	if c.publish == "http" {
		how = "POST /v1/pubsub/publish"
	}
	fmt.Printf("%d publishers on %s: %s; %d-byte messages\n", len(pubs), c.pubURL, how, c.size)
	if err := warmUp(ctx, subs, pubs); err != nil {
		return err
	}

	meter := newCPUMeter(c.pids)
	var results []stepResult
	for i, rate := range c.rates {
		n := i + 1
		step.Store(int32(n))
		meter.start()
		t0 := time.Now()
		end := t0.Add(c.step)
		sent, failed := pace(ctx, pubs, n, rate, t0, end)
		pubSecs := time.Since(t0).Seconds()
		drain(ctx, subs, int(sent)*len(subs), c.drain)
		secs := time.Since(t0).Seconds()
		r := collect(subs, rate, sent, failed, t0, c.step)
		r.cpu = meter.stop(secs)
		for _, v := range r.cpu {
			got := float64(r.sent*int64(len(subs)) - r.lost)
			if v < 0 || got <= 0 {
				r.cpuPer = append(r.cpuPer, -1)
				continue
			}
			r.cpuPer = append(r.cpuPer, v/100*secs*1e6/got)
		}
		r.publishSecs, r.secs = pubSecs, secs
		results = append(results, r)
		printStep(r, meter.names)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if r.closed == int64(len(subs)) {
			fmt.Println("every subscriber is closed: stopping")
			break
		}
		if !r.keptUp && !c.keepGoing {
			fmt.Println("deliveries did not keep up: stopping")
			break
		}
	}
	fmt.Println()
	printTable(results, meter.names, len(subs))
	return nil
}

// warmUp publishes a step-0 message every 100 ms until every subscriber
// has received one (the subscriptions are live end to end), for at most
// 30 s.
func warmUp(ctx context.Context, subs []*sub, pubs []*publisher) error {
	t := time.Now()
	deadline := t.Add(30 * time.Second)
	for sent := 0; ; sent++ {
		missing := 0
		for _, s := range subs {
			if _, warm := s.count(); warm == 0 {
				missing++
			}
		}
		if missing == 0 {
			fmt.Printf("warm-up: every subscriber received a message after %.2fs (%d sent)\n", time.Since(t).Seconds(), sent)
			// Let the rest of the warm-up deliveries arrive.
			time.Sleep(200 * time.Millisecond)
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("warm-up: %d of %d subscribers received nothing in 30s", missing, len(subs))
		}
		if err := pubs[0].send(ctx, 0); err != nil {
			return fmt.Errorf("warm-up publish: %w", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// drain waits until want deliveries of the step arrived, or none came for
// a second, or max passed.
func drain(ctx context.Context, subs []*sub, want int, max time.Duration) {
	deadline := time.Now().Add(max)
	prev, still := -1, time.Now()
	for time.Now().Before(deadline) && ctx.Err() == nil {
		got := 0
		for _, s := range subs {
			n, _ := s.count()
			got += n
		}
		if got >= want {
			return
		}
		if got != prev {
			prev, still = got, time.Now()
		} else if time.Since(still) > time.Second {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// collect takes every subscriber's results of the step.
func collect(subs []*sub, rate int, sent, failed int64, t0 time.Time, dur time.Duration) stepResult {
	r := stepResult{rate: rate, sent: sent, failed: failed}
	var all []uint32
	var last int64
	for _, s := range subs {
		lat, l, late, dup, bad, closed := s.take()
		all = append(all, lat...)
		last = max(last, l)
		r.late += late
		r.dup += dup
		r.bad += bad
		if closed {
			r.closed++
		}
	}
	got := int64(len(all))
	want := sent * int64(len(subs))
	r.lost = want - got
	r.offeredDPS = float64(want) / dur.Seconds()
	if last > t0.UnixNano() {
		r.dps = float64(got) / (float64(last-t0.UnixNano()) / 1e9)
	}
	if len(all) > 0 {
		slices.Sort(all)
		q := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))]) / 1000 }
		r.p50, r.p99, r.maxLat = q(0.50), q(0.99), float64(all[len(all)-1])/1000
	}
	r.keptUp = want > 0 && float64(got) >= 0.99*float64(want) && r.dps >= 0.9*r.offeredDPS
	return r
}

func cpuText(cpu []float64, names []string) string {
	var b strings.Builder
	for i, v := range cpu {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%.0f%%", names[i], v)
	}
	return b.String()
}

// perText is CPU µs per delivery, by process.
func perText(per []float64, names []string) string {
	var b strings.Builder
	for i, v := range per {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%.2f", names[i], v)
	}
	return b.String()
}

func printStep(r stepResult, names []string) {
	fmt.Printf("step %d msg/s: sent %d in %.1fs (failed %d), %.0f deliveries/s of %.0f offered, p50 %.2f ms p99 %.2f ms max %.2f ms, lost %d, late %d, dup/reordered %d, closed %d; CPU (%% of a core over %.1fs): %s; CPU µs per delivery: %s\n",
		r.rate, r.sent, r.publishSecs, r.failed, r.dps, r.offeredDPS, r.p50, r.p99, r.maxLat, r.lost, r.late, r.dup, r.closed, r.secs, cpuText(r.cpu, names), perText(r.cpuPer, names))
}

// printTable prints the steps as a table and RESULT lines for scripts:
// "RESULT step …" per step, then "RESULT peak …" (the step of the most
// deliveries/s) and "RESULT best …" (the most deliveries/s of a step that
// kept up).
func printTable(results []stepResult, names []string, subs int) {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "msg/s\tsent\tsubs\toffered dlv/s\tachieved dlv/s\tp50 ms\tp99 ms\tmax ms\tlost\tdup\tclosed\tkept up\t")
	for _, n := range names {
		fmt.Fprintf(w, "%s CPU%%\t", n)
	}
	fmt.Fprintln(w)
	for _, r := range results {
		fmt.Fprintf(w, "%d\t%d\t%d\t%.0f\t%.0f\t%.2f\t%.2f\t%.2f\t%d\t%d\t%d\t%v\t", r.rate, r.sent, subs, r.offeredDPS, r.dps, r.p50, r.p99, r.maxLat, r.lost, r.dup, r.closed, yes(r.keptUp))
		for _, v := range r.cpu {
			fmt.Fprintf(w, "%.0f\t", v)
		}
		fmt.Fprintln(w)
	}
	_ = w.Flush()
	var peak, best *stepResult
	for i := range results {
		r := &results[i]
		fmt.Printf("RESULT step rate=%d sent=%d subs=%d offered_dps=%.0f dps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f lost=%d dup=%d closed=%d kept_up=%s cpu=%s cpu_us=%s\n",
			r.rate, r.sent, subs, r.offeredDPS, r.dps, r.p50, r.p99, r.maxLat, r.lost, r.dup, r.closed, yes(r.keptUp),
			strings.ReplaceAll(cpuText(r.cpu, names), " ", ","), strings.ReplaceAll(perText(r.cpuPer, names), " ", ","))
		if peak == nil || r.dps > peak.dps {
			peak = r
		}
		if r.keptUp && (best == nil || r.dps > best.dps) {
			best = r
		}
	}
	for _, x := range []struct {
		name string
		r    *stepResult
	}{{"peak", peak}, {"best", best}} {
		if x.r == nil {
			fmt.Printf("RESULT %s none\n", x.name)
			continue
		}
		fmt.Printf("RESULT %s rate=%d dps=%.0f p50_ms=%.2f p99_ms=%.2f lost=%d cpu=%s cpu_us=%s\n", x.name, x.r.rate, x.r.dps, x.r.p50, x.r.p99, x.r.lost,
			strings.ReplaceAll(cpuText(x.r.cpu, names), " ", ","), strings.ReplaceAll(perText(x.r.cpuPer, names), " ", ","))
	}
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
