package config

import (
	"testing"
	"time"
)

func TestParsePubSubDefaults(t *testing.T) {
	_, file := testDir(t)
	ps := mustParse(t, file, "server {}\n").Server.PubSub
	want := PubSub{MaxFrameBytes: 1 << 20, MaxSocketsPerNamespace: 10000, SendQueue: 256,
		PingInterval: 30 * time.Second, PresenceTTL: 30 * time.Second, WriteTimeout: 10 * time.Second}
	if ps != want {
		t.Errorf("defaults: %+v, want %+v", ps, want)
	}
}

func TestParsePubSubValues(t *testing.T) {
	_, file := testDir(t)
	s := mustParse(t, file, `server {
  rate_limit "pubsub" {
    requests_per_second = 50
  }
  pubsub {
    max_frame_bytes           = 65536
    max_sockets_per_namespace = 100
    send_queue                = 64
    ping_interval             = "10s"
    presence_ttl              = "15s"
    write_timeout             = "2s"
    flush_interval            = "20ms"
  }
}
`).Server
	want := PubSub{MaxFrameBytes: 65536, MaxSocketsPerNamespace: 100, SendQueue: 64,
		PingInterval: 10 * time.Second, PresenceTTL: 15 * time.Second, WriteTimeout: 2 * time.Second,
		FlushInterval: 20 * time.Millisecond}
	if s.PubSub != want {
		t.Errorf("values: %+v, want %+v", s.PubSub, want)
	}
	if s.RateLimits["pubsub"].RequestsPerSecond != 50 {
		t.Errorf("rate_limit beside pubsub: %+v", s.RateLimits)
	}
}
