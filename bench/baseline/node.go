// Package baseline is the yardstick for the gateway's cache routes: the same
// HTTP API (POST /v1/cache/put and /v1/cache/get, same JSON shapes as
// API.md) served by net/http straight from an Olric member embedded in the
// same process — what a gateway without plugins would cost.
//
// cmd/cachebaseline serves it on a port for wrk; the Go benchmarks in the
// bench package wrap it in an httptest server.
package baseline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"time"

	"github.com/buraksezer/olric"
	"github.com/buraksezer/olric/config"
	"github.com/hashicorp/memberlist"
)

// Node is a single embedded Olric member bound to 127.0.0.1.
type Node struct {
	db     *olric.Olric
	client *olric.EmbeddedClient
	done   chan error // db.Start's result
}

// StartNode starts an embedded Olric member on a free loopback port and
// returns once it is ready (its Started callback ran) or ctx ends. Logs
// go to logOut (nil discards them).
func StartNode(ctx context.Context, logOut io.Writer) (*Node, error) {
	if logOut == nil {
		logOut = io.Discard
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	c := config.New("local")
	c.BindAddr, c.BindPort = "127.0.0.1", port // BindPort cannot be 0
	c.LogOutput, c.Logger = logOut, log.New(logOut, "", log.LstdFlags)
	c.LogLevel = config.LogLevelError
	m := memberlist.DefaultLocalConfig()
	m.BindAddr, m.BindPort, m.AdvertisePort = "127.0.0.1", 0, 0
	m.LogOutput, m.Logger = nil, log.New(logOut, "", log.LstdFlags)
	c.MemberlistConfig = m
	started := make(chan struct{})
	c.Started = func() { close(started) }

	db, err := olric.New(c)
	if err != nil {
		return nil, fmt.Errorf("olric: %w", err)
	}
	n := &Node{db: db, done: make(chan error, 1)}
	go func() { n.done <- db.Start() }() // Start blocks while the member runs
	select {
	case <-started:
	case err := <-n.done:
		return nil, fmt.Errorf("olric start: %w", err)
	case <-ctx.Done():
		n.Close()
		return nil, ctx.Err()
	}
	n.client = db.NewEmbeddedClient()
	return n, nil
}

// Client is the member's embedded client.
func (n *Node) Client() *olric.EmbeddedClient { return n.client }

// Close shuts the member down.
func (n *Node) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := n.db.Shutdown(ctx)
	select {
	case serr := <-n.done:
		if serr != nil && err == nil && !errors.Is(serr, context.Canceled) {
			err = serr
		}
	case <-ctx.Done():
	}
	return err
}

// freePort returns a TCP port that was free on 127.0.0.1 a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
