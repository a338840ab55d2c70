package netguard

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"

	"github.com/orama-network/orama/sdk"
)

// socksServer is a minimal SOCKS5 proxy (no auth, CONNECT only) that
// records every destination it is asked for and connects each to backend,
// as a proxy would after resolving the name.
type socksServer struct {
	ln      net.Listener
	backend string
	mu      sync.Mutex
	asked   []string
}

func startSOCKS(t *testing.T, backend string) *socksServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &socksServer{ln: ln, backend: backend}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *socksServer) targets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.asked...)
}

func (s *socksServer) serve(c net.Conn) {
	defer c.Close()
	hdr := make([]byte, 2)
	if _, err := io.ReadFull(c, hdr); err != nil || hdr[0] != 5 {
		return
	}
	if _, err := io.ReadFull(c, make([]byte, hdr[1])); err != nil {
		return
	}
	_, _ = c.Write([]byte{5, 0}) // no authentication
	req := make([]byte, 4)
	if _, err := io.ReadFull(c, req); err != nil || req[1] != 1 {
		return
	}
	var host string
	switch req[3] {
	case 1:
		b := make([]byte, 4)
		_, _ = io.ReadFull(c, b)
		host = net.IP(b).String()
	case 3:
		n := make([]byte, 1)
		_, _ = io.ReadFull(c, n)
		b := make([]byte, n[0])
		_, _ = io.ReadFull(c, b)
		host = string(b)
	case 4:
		b := make([]byte, 16)
		_, _ = io.ReadFull(c, b)
		host = net.IP(b).String()
	}
	p := make([]byte, 2)
	_, _ = io.ReadFull(c, p)
	s.mu.Lock()
	s.asked = append(s.asked, net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(p)))))
	s.mu.Unlock()
	up, err := net.Dial("tcp", s.backend)
	if err != nil {
		_, _ = c.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0}) // connection refused
		return
	}
	defer up.Close()
	_, _ = c.Write([]byte{5, 0, 0, 1, 0, 0, 0, 0, 0, 0})
	go func() { _, _ = io.Copy(up, c) }()
	_, _ = io.Copy(c, up)
}

func TestSOCKS5NamesGoUnresolved(t *testing.T) {
	backend := server(t, hello)
	proxy := startSOCKS(t, hostPort(backend))
	c := newClient(t, Config{SOCKS5: proxy.ln.Addr().String()})
	resp, err := c.Fetch(context.Background(), "GET", "http://example.test:8080/x", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "hello" {
		t.Fatalf("body %q", resp.Body)
	}
	if got := proxy.targets(); len(got) != 1 || got[0] != "example.test:8080" {
		t.Fatalf("proxy asked for %q, want the name unresolved", got)
	}
}

func TestSOCKS5ChecksLiteralsAndLocalhost(t *testing.T) {
	backend := server(t, hello)
	proxy := startSOCKS(t, hostPort(backend))
	c := newClient(t, Config{SOCKS5: proxy.ln.Addr().String()})
	for _, u := range []string{"http://127.0.0.1:9/", "http://[::1]:9/", "http://10.1.2.3/", "http://169.254.169.254/latest",
		"http://localhost:9/", "http://api.localhost/", "http://[::ffff:192.168.1.1]/"} {
		_, err := c.Fetch(context.Background(), "GET", u, nil, nil)
		if !IsRefused(err) {
			t.Errorf("%s: error %v, want refused", u, err)
		}
	}
	if got := proxy.targets(); len(got) != 0 {
		t.Fatalf("refused destinations reached the proxy: %q", got)
	}
	// the allow-list still exempts literals
	c = newClient(t, Config{SOCKS5: proxy.ln.Addr().String(), Allow: []string{"10.0.0.0/8"}})
	if _, err := c.Fetch(context.Background(), "GET", "http://10.1.2.3/", nil, nil); err != nil {
		t.Fatalf("allowed literal: %v", err)
	}
}

func TestSOCKS5DownFailsClosed(t *testing.T) {
	direct := server(t, hello)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c := newClient(t, Config{SOCKS5: addr, Allow: []string{hostPort(direct)}})
	_, err = c.Fetch(context.Background(), "GET", direct.URL, nil, nil)
	wantErr(t, err, sdk.CodeUnavailable, "SOCKS5 proxy")
}

func TestSOCKS5BadAddress(t *testing.T) {
	if _, err := New(Config{SOCKS5: "no-port"}); err == nil {
		t.Fatal("a socks5 address without a port was accepted")
	}
}
