// Command pubsubhub is the floor of the pubsub benchmark: a minimal
// in-process WebSocket hub with the gateway's library (coder/websocket)
// and no plugin. It serves the same route and frames as the gateway
// (GET /v1/pubsub/ws?topic=T; server frames {data,timestamp,topic}; a
// client frame is published raw to the socket's topic) the way the host's
// hub does: each message is encoded once and offered to every socket of
// its topic; each socket has a bounded send queue drained by its own
// writer goroutine (a full queue drops the frame for that socket, a
// queue's worth of drops in a row closes it with 1008), and its reader
// goroutine publishes what the client sends. Credentials are ignored and
// there are no namespaces, presence or metrics: what is left is the cost
// of the WebSockets themselves, which scripts/bench.sh loads with
// bench/cmd/pubsubload next to the real gateway.
//
//	pubsubhub -listen 127.0.0.1:7002 -send-queue 1024
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:7002", "address to serve HTTP on")
	queue := flag.Int("send-queue", 256, "frames waiting per socket (the gateway's server.pubsub.send_queue)")
	maxFrame := flag.Int64("max-frame-bytes", 1<<20, "largest client frame")
	flag.Parse()
	if err := run(*listen, *queue, *maxFrame); err != nil {
		fmt.Fprintln(os.Stderr, "pubsubhub:", err)
		os.Exit(1)
	}
}

func run(listen string, queue int, maxFrame int64) error {
	if queue < 1 {
		return errors.New("-send-queue must be at least 1")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h := newHub(ctx, queue, maxFrame)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/pubsub/ws", h.serveWS)
	mux.HandleFunc("GET /v1/health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Printf("pubsubhub: serving on http://%s (send queue %d)\n", ln.Addr(), queue)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	return nil
}
