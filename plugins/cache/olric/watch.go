package olric

import (
	"context"
	"time"

	"github.com/buraksezer/olric"
	"github.com/go-redis/redis/v8"
	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk/cache"
)

// invalidations carries this plugin's invalidations: its own writes go
// straight to its watchers (fan), every member's through Olric pub/sub
// (one subscription per plugin, relayed to fan).
type invalidations struct {
	origin string
	fan    *cache.Fanout
	ps     *olric.PubSub
	sub    *redis.PubSub
	done   chan struct{} // closed when relay returns
	log    hclog.Logger
}

// relayRetry is the pause before subscribing again after an error.
const relayRetry = 100 * time.Millisecond

// startInvalidations subscribes to the invalidation channel through ps
// and relays it until stop. Watchers are refused until the subscription
// is confirmed, and whenever it breaks.
func startInvalidations(ps *olric.PubSub, log hclog.Logger) *invalidations {
	inv := &invalidations{origin: newOrigin(), fan: cache.NewFanout(0), ps: ps, done: make(chan struct{}), log: log}
	inv.fan.SetUp(false)
	inv.sub = ps.Subscribe(context.Background(), invalidationChannel)
	go inv.relay()
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
			origin, inv, err := decodeInvalidation([]byte(m.Payload))
			if err != nil {
				// Someone else's message on our channel: we may have
				// missed one of ours, so everything is suspect.
				i.fan.Publish(cache.Invalidation{All: true})
				continue
			}
			if origin != i.origin {
				i.fan.Publish(inv)
			}
		}
	}
}

// publish tells this plugin's watchers at once and every other member's
// through Olric. A member that cannot be reached misses it; its host's
// near cache then holds the old value until its max_age at most.
func (i *invalidations) publish(ctx context.Context, namespace, dmap, key string) {
	inv := cache.Invalidation{Namespace: namespace, DMap: dmap, Key: key}
	i.fan.Publish(inv)
	if _, err := i.ps.Publish(ctx, invalidationChannel, encodeInvalidation(i.origin, inv)); err != nil {
		i.log.Warn("invalidation not published to every member", "error", err)
	}
}

// close ends the subscription and every watcher.
func (i *invalidations) close() {
	i.fan.SetUp(false)
	_ = i.sub.Close()
	<-i.done
}
