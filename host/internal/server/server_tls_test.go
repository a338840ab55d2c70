package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/tlsmgr/tlstest"

	"github.com/coder/websocket"

	"github.com/orama-network/orama/host/internal/api/apitest"
)

// selfSigned makes a certificate for name and a pool that trusts it.
func selfSigned(t *testing.T, name string) (tls.Certificate, *x509.CertPool) {
	c := tlstest.New(t, name, 1)
	return c.TLS(), c.Pool()
}

// Over TLS the API rides HTTP/2, a TLS 1.2 client is refused when 1.3 is
// the minimum, and a pubsub WebSocket (an HTTP/1.1 upgrade) still works:
// its client negotiates http/1.1 for that connection.
func TestServeTLS(t *testing.T) {
	cert, pool := selfSigned(t, "gw.test")
	e := newTestEnv(t, func(o *Options) {
		o.TLS = &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}}
	})
	e.plugins.PubSubFake = apitest.NewFakePubSub()
	t.Cleanup(func() { _ = e.plugins.PubSubFake.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- e.srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-served })
	addr := ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{ForceAttemptHTTP2: true,
		TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "gw.test"}}}

	resp, err := client.Get("https://" + addr + "/v1/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Proto != "HTTP/2.0" || resp.TLS.Version != tls.VersionTLS13 {
		t.Errorf("health: %d %s TLS %x, want 200 HTTP/2.0 over TLS 1.3", resp.StatusCode, resp.Proto, resp.TLS.Version)
	}

	if c, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, ServerName: "gw.test", MaxVersion: tls.VersionTLS12}); err == nil {
		c.Close()
		t.Error("a TLS 1.2 client completed the handshake; min_version 1.3 should refuse it")
	}
	if resp, err := http.Get("http://" + addr + "/v1/health"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest { // net/http: "Client sent an HTTP request to an HTTPS server."
			t.Errorf("plain HTTP on the TLS listener: %d, want 400", resp.StatusCode)
		}
	}

	wctx, wcancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer wcancel()
	ws, wresp, err := websocket.Dial(wctx, "wss://"+addr+"/v1/pubsub/ws?topic=chat", &websocket.DialOptions{HTTPClient: client})
	if err != nil {
		t.Fatalf("WebSocket over TLS: %v", err)
	}
	defer ws.CloseNow()
	if wresp.Proto != "HTTP/1.1" {
		t.Errorf("upgrade answered over %s", wresp.Proto)
	}
	body, _ := json.Marshal(map[string]string{"topic": "chat", "data_base64": base64.StdEncoding.EncodeToString([]byte("hi"))})
	waitFor(t, func() bool { return e.plugins.PubSubFake.Live() > 0 }) // subscribed
	presp, err := client.Post("https://"+addr+"/v1/pubsub/publish", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	presp.Body.Close()
	if presp.StatusCode != 200 || presp.Proto != "HTTP/2.0" {
		t.Fatalf("publish: %d %s", presp.StatusCode, presp.Proto)
	}
	_, msg, err := ws.Read(wctx)
	if err != nil {
		t.Fatalf("no message on the WebSocket: %v", err)
	}
	if !strings.Contains(string(msg), base64.StdEncoding.EncodeToString([]byte("hi"))) {
		t.Errorf("frame %s", msg)
	}
}
