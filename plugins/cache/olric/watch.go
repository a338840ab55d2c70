package olric

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/buraksezer/olric"
	"github.com/go-redis/redis/v8"
	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk/cache"
)

// invalidations carries this plugin's invalidations: its own writes go
// straight to its watchers (fan), and in batches through Olric pub/sub to
// every other member (one subscription per plugin, relayed to fan).
type invalidations struct {
	origin  string
	fan     *cache.Fanout
	ps      *olric.PubSub
	sub     *redis.PubSub
	done    chan struct{} // closed when relay returns
	log     hclog.Logger
	timeout time.Duration // bound of one Olric publish
	// alone reports whether this member knows no other (nil: never
	// known): then a batch has nobody to go to. Olric's publish goes to
	// the members the publishing member knows at that moment, so
	// skipping it then loses nothing Olric would have delivered.
	alone func() bool

	out      chan cache.Invalidation // to publish; bounded
	overflow atomic.Bool             // out was full: publish an All
	stop     chan struct{}           // ends publisher
	sent     chan struct{}           // closed when publisher returns
}

// Bounds of the outgoing queue.
const (
	publishQueue = 8192 // invalidations waiting to be published
	publishBatch = 512  // at most this many in one Olric message
)

// relayRetry is the pause before subscribing again after an error.
const relayRetry = 100 * time.Millisecond

// startInvalidations subscribes to the invalidation channel through ps
// and relays it until stop. Watchers are refused until the subscription
// is confirmed, and whenever it breaks.
func startInvalidations(ps *olric.PubSub, alone func() bool, timeout time.Duration, log hclog.Logger) *invalidations {
	inv := &invalidations{origin: newOrigin(), fan: cache.NewFanout(0), ps: ps, done: make(chan struct{}), log: log,
		timeout: timeout, alone: alone, out: make(chan cache.Invalidation, publishQueue), stop: make(chan struct{}), sent: make(chan struct{})}
	inv.fan.SetUp(false)
	inv.sub = ps.Subscribe(context.Background(), invalidationChannel)
	go inv.relay()
	go inv.publisher()
	return inv
}

// relay passes other members' invalidations to the watchers. Any receive
// error may have lost messages: the watchers end (they must forget what
// they cached) until the subscription is confirmed again.
func (i *invalidations) relay() {
	defer close(i.done)
	ctx := context.Background()
	for {
		msg, err := i.sub.Receive(ctx)
		if err != nil {
			i.fan.SetUp(false)
			if err == redis.ErrClosed {
				return
			}
			i.log.Debug("invalidation subscription broke; subscribing again", "error", err)
			time.Sleep(relayRetry)
			continue
		}
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Kind == "subscribe" && m.Channel == invalidationChannel {
				i.fan.SetUp(true)
			}
		case *redis.Message:
			origin, batch, err := decodeInvalidations([]byte(m.Payload))
			if err != nil {
				// Someone else's message on our channel: we may have
				// missed one of ours, so everything is suspect.
				i.fan.Publish(cache.Invalidation{All: true})
				continue
			}
			if origin == i.origin {
				continue
			}
			for _, inv := range batch {
				i.fan.Publish(inv)
			}
		}
	}
}

// publish tells this plugin's watchers at once and queues the
// invalidation for every other member (publisher sends it within one
// Olric round trip, batched with others under load); when the queue is
// full the next batch carries an All instead. It never blocks. A member
// that cannot be reached misses it; its host's near cache then holds the
// old value until its max_age at most.
func (i *invalidations) publish(namespace, dmap, key string) {
	inv := cache.Invalidation{Namespace: namespace, DMap: dmap, Key: key}
	i.fan.Publish(inv)
	select {
	case i.out <- inv:
	default:
		i.overflow.Store(true)
		select {
		case i.out <- cache.Invalidation{All: true}: // wakes publisher
		default:
		}
	}
}

// publisher sends the queued invalidations through Olric in batches.
func (i *invalidations) publisher() {
	defer close(i.sent)
	batch := make([]cache.Invalidation, 0, publishBatch)
	for {
		select {
		case inv := <-i.out:
			batch = append(batch[:0], inv)
		case <-i.stop:
			return
		}
	drain:
		for len(batch) < publishBatch {
			select {
			case inv := <-i.out:
				batch = append(batch, inv)
			default:
				break drain
			}
		}
		if i.overflow.Swap(false) {
			batch = append(batch[:0], cache.Invalidation{All: true})
		}
		if i.alone != nil && i.alone() {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), i.timeout)
		_, err := i.ps.Publish(ctx, invalidationChannel, encodeInvalidations(i.origin, batch))
		cancel()
		if err != nil {
			i.log.Warn("invalidations not published to every member", "count", len(batch), "error", err)
		}
	}
}

// close ends the subscription, the publisher and every watcher.
func (i *invalidations) close() {
	i.fan.SetUp(false)
	close(i.stop)
	<-i.sent
	_ = i.sub.Close()
	<-i.done
}
