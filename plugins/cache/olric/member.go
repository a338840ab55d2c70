package olric

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/buraksezer/olric"
	"github.com/buraksezer/olric/config"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/memberlist"
	"github.com/orama-network/orama/sdk/cache"
)

// tableSize is the size of Olric's storage tables. An entry must fit in
// one table, and Olric's default (1 MiB) is too small for a value of
// cache.MaxValueLen bytes plus its key and metadata.
const tableSize = cache.MaxValueLen + 64<<10

// startMember starts an embedded Olric member and waits until it serves.
func startMember(ctx context.Context, c Config, logger hclog.Logger) (*backend, error) {
	port, gport, err := pickPorts(c.BindAddr, c.BindPort, c.MemberlistPort)
	if err != nil {
		return nil, err
	}
	started := make(chan struct{})
	var once sync.Once
	oc := olricConfig(c, port, gport, logger)
	oc.Started = func() { once.Do(func() { close(started) }) }
	db, err := olric.New(oc)
	if err != nil {
		return nil, err
	}
	b := &backend{
		cfg:     c,
		driver:  "olric",
		addr:    net.JoinHostPort(c.BindAddr, strconv.Itoa(port)),
		gossip:  net.JoinHostPort(c.BindAddr, strconv.Itoa(gport)),
		db:      db,
		stopped: make(chan struct{}),
	}
	var startErr error
	go func() {
		defer close(b.stopped)
		startErr = db.Start()
	}()
	client := db.NewEmbeddedClient()
	err = waitStarted(ctx, started, b.stopped, func(ctx context.Context) error {
		_, err := client.Ping(ctx, b.addr, "")
		return err
	})
	if err == nil {
		b.client = client
		// Scans go through a cluster client: the embedded one opens a
		// new, never closed, cluster client on every Scan.
		b.cluster, err = newClusterClient(ctx, []string{b.addr}, c, logger)
	}
	if err == nil {
		err = b.startInvalidations(client, b.addr, logger)
	}
	if err != nil {
		if errors.Is(err, errStopped) && startErr != nil {
			err = startErr
		}
		sctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		defer cancel()
		_ = b.close(sctx)
		return nil, err
	}
	return b, nil
}

var errStopped = errors.New("olric stopped while starting")

// waitStarted waits for Olric's Started callback. Olric counts readiness
// checkpoints process-wide, so after a member of the same process failed
// to start the callback never comes; a ping that passes Olric's
// bootstrap check then counts as started too, once the callback has had
// startedGrace to come. Waiting for the callback when it does come matters
// with several members in one process (tests): the goroutine that waits
// to call it reads Olric's process-wide counters without synchronisation,
// so another member's olric.New must not run until it has finished.
func waitStarted(ctx context.Context, started, stopped <-chan struct{}, ping func(context.Context) error) error {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var pinged time.Time
	for {
		select {
		case <-started:
			return nil
		case <-stopped:
			return errStopped
		case <-ctx.Done():
			return fmt.Errorf("not started: %w", ctx.Err())
		case <-tick.C:
			if !pinged.IsZero() {
				if time.Since(pinged) >= startedGrace {
					return nil
				}
				continue
			}
			pctx, cancel := context.WithTimeout(ctx, time.Second)
			err := ping(pctx)
			cancel()
			if err == nil {
				pinged = time.Now()
			}
		}
	}
}

// startedGrace is how long a member that answers pings may still take to
// call its Started callback.
const startedGrace = 2 * time.Second

// olricConfig translates c for olric.New.
func olricConfig(c Config, port, gport int, logger hclog.Logger) *config.Config {
	oc := config.New("local")
	oc.BindAddr = c.BindAddr
	oc.BindPort = port
	ml := memberlist.DefaultLocalConfig()
	ml.BindAddr = c.BindAddr
	ml.BindPort = gport
	ml.AdvertisePort = gport
	oc.MemberlistConfig = ml
	oc.Peers = c.Peers
	oc.ReplicaCount = c.ReplicaCount
	oc.LogOutput = logWriter{logger}
	oc.Logger = log.New(oc.LogOutput, "", 0)
	oc.LogLevel, oc.LogVerbosity = olricLogLevel(logger)
	oc.DMaps.Engine = config.NewEngine()
	oc.DMaps.Engine.Config["tableSize"] = uint64(tableSize)
	return oc
}

// connect makes the cluster client of client mode.
func connect(ctx context.Context, c Config, logger hclog.Logger) (*backend, error) {
	cc, err := newClusterClient(ctx, c.Servers, c, logger)
	if err != nil {
		return nil, err
	}
	b := &backend{cfg: c, driver: "olric-client", addr: strings.Join(c.Servers, ","), client: cc, cluster: cc}
	if err := b.startInvalidations(cc, "", logger); err != nil {
		_ = cc.Close(ctx)
		return nil, err
	}
	return b, nil
}

// newClusterClient connects to addrs within ctx (olric.NewClusterClient
// itself takes no context).
func newClusterClient(ctx context.Context, addrs []string, c Config, logger hclog.Logger) (*olric.ClusterClient, error) {
	cfg := config.NewClient()
	cfg.DialTimeout = c.requestTimeout
	cfg.ReadTimeout = c.requestTimeout
	cfg.WriteTimeout = c.requestTimeout
	type result struct {
		cc  *olric.ClusterClient
		err error
	}
	ch := make(chan result, 1)
	go func() {
		cc, err := olric.NewClusterClient(addrs, olric.WithConfig(cfg),
			olric.WithLogger(log.New(logWriter{logger}, "", 0)))
		ch <- result{cc, err}
	}()
	select {
	case r := <-ch:
		return r.cc, r.err
	case <-ctx.Done():
		go func() {
			if r := <-ch; r.cc != nil {
				_ = r.cc.Close(context.Background())
			}
		}()
		return nil, fmt.Errorf("connect to %s: %w", strings.Join(addrs, ","), ctx.Err())
	}
}
