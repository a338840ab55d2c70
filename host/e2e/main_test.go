package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// bins holds the binaries built once for all tests.
var bins struct {
	dir, orama, cache, cacheV2, faulty, database string
	storage, auth, pubsub, serverless            string
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "orama-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	code := 1
	if err := buildAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building binaries failed:", err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// repoRoot finds the directory holding go.work.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("go.work not found above the test directory")
		}
		dir = parent
	}
}

func buildAll(dir string) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	bins.dir = dir
	bins.orama = filepath.Join(dir, "orama")
	bins.cache = filepath.Join(dir, "orama-plugin-cache")
	bins.cacheV2 = filepath.Join(dir, "v2", "orama-plugin-cache")
	bins.faulty = filepath.Join(dir, "orama-plugin-faultycache")
	bins.database = filepath.Join(dir, "orama-plugin-database")
	bins.storage = filepath.Join(dir, "orama-plugin-storage")
	bins.auth = filepath.Join(dir, "orama-plugin-auth")
	bins.pubsub = filepath.Join(dir, "orama-plugin-pubsub")
	bins.serverless = filepath.Join(dir, "orama-plugin-serverless")
	builds := [][2]string{
		{bins.orama, "./host/cmd/orama"},
		{bins.cache, "./plugins/cache"},
		{bins.database, "./plugins/database"},
		{bins.storage, "./plugins/storage"},
		{bins.auth, "./plugins/auth"},
		{bins.pubsub, "./plugins/pubsub"},
		{bins.serverless, "./plugins/serverless"},
		{bins.faulty, "./host/e2e/testplugins/faultycache"},
	}
	for _, b := range builds {
		cmd := exec.Command("go", "build", "-o", b[0], b[1])
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %v\n%s", b[1], err, strings.TrimSpace(string(out)))
		}
	}
	// The "new version" for upgrade tests: the same plugin built with a
	// different version string at another path, so it is another binary.
	cmd := exec.Command("go", "build", "-ldflags", "-X github.com/orama-network/orama/plugins/cache/olric.Version=2.0.0-e2e", "-o", bins.cacheV2, "./plugins/cache")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build v2 cache plugin: %v\n%s", err, out)
	}
	return nil
}
