package kubotest

import (
	"net/http"
	"os"
	"strings"
	"testing"
)

func TestDaemonAnswersOnLoopbackOffline(t *testing.T) {
	d := Start(t)
	if !strings.HasPrefix(d.URL, "http://127.0.0.1:") || !strings.HasPrefix(d.API, "/ip4/127.0.0.1/tcp/") {
		t.Errorf("API %s / %s is not on loopback", d.API, d.URL)
	}
	resp, err := http.Post(d.URL+"/api/v0/version", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("version: %s", resp.Status)
	}
	cfg, err := os.ReadFile(d.Path + "/config")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"Type": "none"`, `"Mode": "off"`} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("config lacks %s", want)
		}
	}
}
