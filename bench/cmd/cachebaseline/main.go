// Command cachebaseline serves the cache API's put and get routes straight
// from an Olric member embedded in-process (package baseline): the
// yardstick that scripts/bench.sh loads with wrk next to the real gateway.
//
//	cachebaseline -listen 127.0.0.1:7001
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/orama-network/orama/bench/baseline"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:7001", "address to serve HTTP on")
	flag.Parse()
	if err := run(*listen); err != nil {
		fmt.Fprintln(os.Stderr, "cachebaseline:", err)
		os.Exit(1)
	}
}

func run(listen string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	startCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	node, err := baseline.StartNode(startCtx, nil)
	cancel()
	if err != nil {
		return err
	}
	defer node.Close()

	srv := &http.Server{Addr: listen, Handler: baseline.NewHandler(node.Client()), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	fmt.Printf("cachebaseline serving on http://%s (pid %d)\n", listen, os.Getpid())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
