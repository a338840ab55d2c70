package main

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"
)

// runIdle opens c.subs subscribers and reports how much the VmRSS of each
// -pids process (and of this one) grew per subscriber, then checks with
// one message per 100 ms that every subscription is live.
func runIdle(ctx context.Context, c config) error {
	procs := append([]labeledPID{{"load", 0}}, c.pids...)
	pid := func(p labeledPID) string {
		if p.pid == 0 {
			return "self"
		}
		return strconv.Itoa(p.pid)
	}
	before := make([]int64, len(procs))
	for i, p := range procs {
		var err error
		if before[i], err = rssKB(pid(p)); err != nil {
			return err
		}
	}
	var step atomic.Int32
	t := time.Now()
	subs, err := openSubs(ctx, c, &step)
	if err != nil {
		return err
	}
	defer closeSubs(subs)
	fmt.Printf("opened %d idle subscribers of topic %q on %s in %.1fs; waiting %s\n", len(subs), c.topic, c.url, time.Since(t).Seconds(), c.settle)
	select {
	case <-time.After(c.settle):
	case <-ctx.Done():
		return ctx.Err()
	}
	for i, p := range procs {
		after, err := rssKB(pid(p))
		if err != nil {
			return err
		}
		per := float64(after-before[i]) / float64(len(subs))
		fmt.Printf("%s: VmRSS %.1f MB before, %.1f MB with %d subscribers: %.1f KB per subscriber\n",
			p.label, float64(before[i])/1024, float64(after)/1024, len(subs), per)
		fmt.Printf("RESULT idle label=%s subs=%d before_kb=%d after_kb=%d per_sub_kb=%.1f\n", p.label, len(subs), before[i], after, per)
	}
	pubs, err := openPublishers(ctx, c)
	if err != nil {
		return err
	}
	defer closePublishers(pubs)
	return warmUp(ctx, subs, pubs)
}
