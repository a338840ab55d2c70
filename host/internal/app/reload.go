package app

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/orama-network/orama/host/internal/config"
)

// pidFile is where a serving gateway writes its pid, under node.data_dir.
func pidFile(cfg *config.Config) string { return filepath.Join(cfg.Node.DataDir, "orama.pid") }

// reload sends SIGHUP to the gateway serving the config at path.
func reload(path string, stdout, stderr io.Writer) int {
	cfg, diags := config.Load(path)
	if diags.HasErrors() {
		_ = config.WriteDiagnostics(stderr, diags, isTerminal(os.Stderr))
		fmt.Fprintln(stderr, "orama reload: fix the config first; the running gateway was not signalled")
		return 1
	}
	raw, err := os.ReadFile(pidFile(cfg))
	if err != nil {
		fmt.Fprintf(stderr, "orama reload: no running gateway found (%v)\n", err)
		return 1
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil || pid <= 0 {
		fmt.Fprintf(stderr, "orama reload: bad pid file %s\n", pidFile(cfg))
		return 1
	}
	if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
		fmt.Fprintf(stderr, "orama reload: signal pid %d: %v\n", pid, err)
		return 1
	}
	fmt.Fprintf(stdout, "orama reload: sent SIGHUP to pid %d; see its log for the outcome\n", pid)
	return 0
}
