package config

import (
	"reflect"
	"testing"
	"time"
)

func TestParseProxyDefaults(t *testing.T) {
	_, file := testDir(t)
	px := mustParse(t, file, "server {}\n").Server.Proxy
	want := Proxy{Enabled: true, Allow: []string{}, Timeout: 30 * time.Second, MaxResponseBytes: 10 << 20}
	if !reflect.DeepEqual(px, want) {
		t.Errorf("defaults: %+v, want %+v", px, want)
	}
}

func TestParseProxyValues(t *testing.T) {
	_, file := testDir(t)
	px := mustParse(t, file, `server {
  proxy {
    enabled            = false
    socks5             = "127.0.0.1:9050"
    allow              = ["10.0.0.0/8", "127.0.0.1:8080", "::1"]
    timeout            = "5s"
    max_response_bytes = 1024
  }
}
`).Server.Proxy
	want := Proxy{SOCKS5: "127.0.0.1:9050", Allow: []string{"10.0.0.0/8", "127.0.0.1:8080", "::1"},
		Timeout: 5 * time.Second, MaxResponseBytes: 1024}
	if !reflect.DeepEqual(px, want) {
		t.Errorf("values: %+v, want %+v", px, want)
	}
}
