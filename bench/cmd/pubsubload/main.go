// Command pubsubload loads the pubsub WebSockets of a gateway (or of
// bench/cmd/pubsubhub, the floor): it opens -subs subscribers on one topic,
// then publishes at each rate of -rates for -step, and reports per step
// the offered rate, the deliveries per second achieved, publish→receive
// latency (p50/p99/max), messages lost (subscribers × sent − received
// within -drain of the step's last publish),
// duplicates or reorders, sockets closed by the server, and the CPU of the
// load generator itself and of the -pids processes. It stops after the
// first step that does not keep up (fewer than 99% of the deliveries, or
// deliveries/s below 90% of those offered).
//
// Publishers are WebSockets of the same topic (-publish ws: a client frame
// is published raw, one frame per message, no HTTP request or credential
// check per message) or POST /v1/pubsub/publish (-publish http). Each
// message carries its step, publisher, sequence number and send time
// (UnixNano, the same clock as the subscribers: one machine).
//
// With -idle it only opens the subscribers, waits -settle, and reports the
// VmRSS growth of the -pids processes per subscriber (then closes them).
//
// -pub-url sends the publishers to another gateway than the subscribers
// (two-node delivery latency: subscribe on node 2, publish on node 1).
//
//	pubsubload -url http://127.0.0.1:6001 -key KEY -subs 1000 -rates 50,100,200 -pids host:123,plugin:456
//	pubsubload -url http://127.0.0.1:6001 -key KEY -subs 10000 -idle -pids host:123
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// config is what the flags say.
type config struct {
	url, key       string
	pubURL, pubKey string
	topic          string
	subs           int
	publishers     int
	publish        string
	rates          []int
	step           time.Duration
	drain          time.Duration
	size           int
	pids           []labeledPID
	idle           bool
	settle         time.Duration
	dialers        int
	keepGoing      bool
}

// labeledPID is a process whose CPU (and, with -idle, RSS) is reported.
type labeledPID struct {
	label string
	pid   int
}

func main() {
	var c config
	var rates, pids string
	flag.StringVar(&c.url, "url", "http://127.0.0.1:6001", "gateway (or pubsubhub) base URL of the subscribers")
	flag.StringVar(&c.key, "key", "", "API key sent as X-API-Key (empty: none)")
	flag.StringVar(&c.pubURL, "pub-url", "", "base URL of the publishers (default: -url)")
	flag.StringVar(&c.pubKey, "pub-key", "", "API key of the publishers (default: -key)")
	flag.StringVar(&c.topic, "topic", "bench", "topic")
	flag.IntVar(&c.subs, "subs", 1000, "subscribers (WebSockets)")
	flag.IntVar(&c.publishers, "publishers", 2, "publishers, sharing each step's rate")
	flag.StringVar(&c.publish, "publish", "ws", "how to publish: ws (client frames) or http (POST /v1/pubsub/publish)")
	flag.StringVar(&rates, "rates", "50,100,200,400,800,1600", "messages per second of each step (all publishers together)")
	flag.DurationVar(&c.step, "step", 5*time.Second, "how long each step publishes")
	flag.DurationVar(&c.drain, "drain", 15*time.Second, "how long after a step's last publish to wait for its deliveries, at most (the wait ends sooner when all arrived or none came for 1s); what has not arrived by then is lost")
	flag.IntVar(&c.size, "size", 64, "message size in bytes (at least 48)")
	flag.StringVar(&pids, "pids", "", "label:pid,… of the server processes whose CPU (and RSS with -idle) is reported")
	flag.BoolVar(&c.idle, "idle", false, "only open the subscribers and report RSS per subscriber of -pids")
	flag.DurationVar(&c.settle, "settle", 3*time.Second, "-idle: wait after the last subscriber before reading RSS")
	flag.IntVar(&c.dialers, "dialers", 64, "subscribers dialled at once")
	flag.BoolVar(&c.keepGoing, "keep-going", false, "run every rate even after a step that does not keep up")
	flag.Parse()
	if err := c.parse(rates, pids); err != nil {
		fmt.Fprintln(os.Stderr, "pubsubload:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if c.idle {
		err = runIdle(ctx, c)
	} else {
		err = runLoad(ctx, c)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pubsubload:", err)
		os.Exit(1)
	}
}

func (c *config) parse(rates, pids string) error {
	if c.pubURL == "" {
		c.pubURL = c.url
	}
	if c.pubKey == "" {
		c.pubKey = c.key
	}
	for _, r := range strings.Split(rates, ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		n, err := strconv.Atoi(r)
		if err != nil || n < 1 {
			return fmt.Errorf("-rates: %q is not a positive whole number", r)
		}
		c.rates = append(c.rates, n)
	}
	for _, p := range strings.Split(pids, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		label, num, ok := strings.Cut(p, ":")
		n, err := strconv.Atoi(num)
		if !ok || err != nil || n < 1 {
			return fmt.Errorf("-pids: %q is not label:pid", p)
		}
		c.pids = append(c.pids, labeledPID{label, n})
	}
	switch {
	case c.subs < 1:
		return errors.New("-subs must be at least 1")
	case c.publishers < 1:
		return errors.New("-publishers must be at least 1")
	case c.publish != "ws" && c.publish != "http":
		return errors.New("-publish is ws or http")
	case c.size < minSize || c.size > 1<<20:
		return fmt.Errorf("-size must be from %d to 1048576", minSize)
	case !c.idle && len(c.rates) == 0:
		return errors.New("-rates is empty")
	case c.dialers < 1:
		return errors.New("-dialers must be at least 1")
	}
	return nil
}
