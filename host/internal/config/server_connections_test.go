package config

import (
	"testing"
	"time"
)

func TestParseConnectionDefaults(t *testing.T) {
	_, file := testDir(t)
	s := mustParse(t, file, "server {}\n").Server
	if s.ReadHeaderTimeout != 10*time.Second || s.ReadBodyTimeout != 30*time.Second || s.IdleTimeout != 60*time.Second ||
		s.MaxConnections != 0 || s.MaxConnectionsPerIP != 0 {
		t.Errorf("defaults: %+v", s)
	}
}

func TestParseConnectionValues(t *testing.T) {
	_, file := testDir(t)
	s := mustParse(t, file, `server {
  read_header_timeout    = "2s"
  read_body_timeout      = "5s"
  idle_timeout           = "30s"
  max_connections        = 4000
  max_connections_per_ip = 4000
}
`).Server
	if s.ReadHeaderTimeout != 2*time.Second || s.ReadBodyTimeout != 5*time.Second || s.IdleTimeout != 30*time.Second ||
		s.MaxConnections != 4000 || s.MaxConnectionsPerIP != 4000 {
		t.Errorf("values: %+v", s)
	}
	// A per-address cap alone is fine (the overall one is derived).
	if s := mustParse(t, file, "server {\n  max_connections_per_ip = 16\n}\n").Server; s.MaxConnectionsPerIP != 16 || s.MaxConnections != 0 {
		t.Errorf("per-IP alone: %+v", s)
	}
}
