package olric

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
)

func TestLogWriterLevels(t *testing.T) {
	var buf bytes.Buffer
	l := hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, Output: &buf, JSONFormat: true})
	w := logWriter{l}
	for _, line := range []string{
		"[DEBUG] memberlist: stream connection\n",
		"[INFO] Olric bindAddr: 127.0.0.1\n",
		"[WARN] memberlist: refuting a suspect message\n",
		"[ERROR] Failed to join: refused\n",
		"[ERROR] Failed to acquire semaphore: context canceled\n",
		"no level at all\n",
	} {
		if _, err := w.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	out := buf.String()
	for _, want := range []string{
		`"@level":"trace","@message":"memberlist: stream connection"`,
		`"@level":"debug","@message":"Olric bindAddr: 127.0.0.1"`,
		`"@level":"warn","@message":"memberlist: refuting a suspect message"`,
		`"@level":"error","@message":"Failed to join: refused"`,
		`"@level":"debug","@message":"Failed to acquire semaphore: context canceled"`,
		`"@level":"debug","@message":"no level at all"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log output lacks %s:\n%s", want, out)
		}
	}
}

func TestOlricLogLevelFollowsLogger(t *testing.T) {
	for level, want := range map[hclog.Level]string{hclog.Trace: "DEBUG", hclog.Debug: "INFO", hclog.Info: "WARN", hclog.Error: "WARN"} {
		if got, _ := olricLogLevel(hclog.New(&hclog.LoggerOptions{Level: level})); got != want {
			t.Errorf("logger at %s: olric level %s, want %s", level, got, want)
		}
	}
}
