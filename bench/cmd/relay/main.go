// Command relay is the floor of putting one process between a client and a
// backend: scripts/bench.sh measures the backends through it next to the
// gateway, so a reader sees what any extra process costs on this machine
// before any gateway work (auth, namespaces, typing values, the plugin hop).
//
//	relay -listen 127.0.0.1:7001 -to 127.0.0.1:4001 -mode tcp
//	relay -listen 127.0.0.1:7002 -to 127.0.0.1:4001 -mode http
//
// Mode tcp copies bytes both ways per connection (io.Copy between two TCP
// connections, which Linux does with splice: no copy through user space)
// and never looks at them. Mode http terminates HTTP/1.1 and forwards each
// request to the backend over a pool of keep-alive connections
// (net/http/httputil.ReverseProxy): what any HTTP gateway must do at least.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	to := flag.String("to", "", "backend address host:port")
	mode := flag.String("mode", "tcp", "tcp (copy bytes) or http (reverse proxy)")
	flag.Parse()
	if *to == "" {
		fmt.Fprintln(os.Stderr, "relay: -to is required")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("relay: %v", err)
	}
	log.Printf("relay: %s mode %s -> %s", ln.Addr(), *mode, *to)
	switch *mode {
	case "tcp":
		err = serveTCP(ln, *to)
	case "http":
		err = serveHTTP(ln, *to)
	default:
		err = fmt.Errorf("unknown mode %q", *mode)
	}
	log.Fatalf("relay: %v", err)
}

// serveTCP relays every accepted connection to its own backend connection.
func serveTCP(ln net.Listener, to string) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer c.Close()
			b, err := net.DialTimeout("tcp", to, 5*time.Second)
			if err != nil {
				log.Printf("relay: dial %s: %v", to, err)
				return
			}
			defer b.Close()
			done := make(chan struct{})
			go func() {
				io.Copy(b, c)
				b.(*net.TCPConn).CloseWrite()
				close(done)
			}()
			io.Copy(c, b)
			c.(*net.TCPConn).CloseWrite()
			<-done
		}()
	}
}

// serveHTTP forwards every request to the backend.
func serveHTTP(ln net.Listener, to string) error {
	target := &url.URL{Scheme: "http", Host: to}
	p := httputil.NewSingleHostReverseProxy(target)
	p.Transport = &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        1024,
		MaxIdleConnsPerHost: 1024,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}
