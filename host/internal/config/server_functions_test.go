package config

import (
	"testing"
	"time"
)

func TestParseFunctionsDefaults(t *testing.T) {
	_, file := testDir(t)
	f := mustParse(t, file, "server {}\n").Server.Functions
	want := Functions{MaxModuleBytes: 32 << 20, MaxInputBytes: 1 << 20, InvokeTimeout: 330 * time.Second,
		DeployTimeout: 2 * time.Minute, WSIdleTimeout: 10 * time.Minute}
	if f != want {
		t.Errorf("defaults: %+v, want %+v", f, want)
	}
}

func TestParseFunctionsValues(t *testing.T) {
	_, file := testDir(t)
	f := mustParse(t, file, `server {
  functions {
    max_module_bytes = 1048576
    max_input_bytes  = 4096
    invoke_timeout   = "40s"
    deploy_timeout   = "30s"
    ws_idle_timeout  = "1m"
  }
}
`).Server.Functions
	want := Functions{MaxModuleBytes: 1 << 20, MaxInputBytes: 4096, InvokeTimeout: 40 * time.Second,
		DeployTimeout: 30 * time.Second, WSIdleTimeout: time.Minute}
	if f != want {
		t.Errorf("values: %+v, want %+v", f, want)
	}
}
