// Command otlpsink is an OTLP/gRPC trace receiver that only counts what it
// receives: the collector of bench/tracing.sh, so that the gateway's
// exports cost what they cost against a real collector on the same host.
// GET /spans on -http answers the number of spans received so far.
//
//	otlpsink -listen 127.0.0.1:4317 -http 127.0.0.1:4318
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync/atomic"

	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
)

type sink struct {
	collectortrace.UnimplementedTraceServiceServer
	spans atomic.Int64
}

func (s *sink) Export(_ context.Context, req *collectortrace.ExportTraceServiceRequest) (*collectortrace.ExportTraceServiceResponse, error) {
	var n int64
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			n += int64(len(ss.Spans))
		}
	}
	s.spans.Add(n)
	return &collectortrace.ExportTraceServiceResponse{}, nil
}

func main() {
	listen := flag.String("listen", "127.0.0.1:4317", "OTLP/gRPC address")
	httpAddr := flag.String("http", "127.0.0.1:4318", "address of GET /spans")
	flag.Parse()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	s := &sink{}
	srv := grpc.NewServer()
	collectortrace.RegisterTraceServiceServer(srv, s)
	http.HandleFunc("/spans", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, s.spans.Load()) })
	go func() { log.Fatal(http.ListenAndServe(*httpAddr, nil)) }()
	log.Fatal(srv.Serve(ln))
}
