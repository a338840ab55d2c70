package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFingerprint(t *testing.T) {
	dir, file := testDir(t)
	writeFile(t, filepath.Join(dir, "bin", "copy"), fakeBinary, 0o755)
	base := `plugin "cache" {
  path = "bin/orama-plugin-cache"
  config {
    mode  = "embedded"
    peers = ["a", "b"]
  }
}
`
	fp := func(src string) string {
		t.Helper()
		return mustParse(t, file, src).Plugin("cache").Fingerprint()
	}
	want := fp(base)
	if len(want) != 64 || fp(base) != want {
		t.Fatalf("fingerprint not stable: %q", want)
	}

	same := map[string]string{
		"comments and spacing": strings.ReplaceAll(base, "\n", "  # note\n"),
		"attribute order":      strings.Replace(base, "    mode  = \"embedded\"\n    peers = [\"a\", \"b\"]\n", "    peers = [\"a\",\n  \"b\"]\n    mode = \"embedded\"\n", 1),
		"equivalent path":      strings.Replace(base, `"bin/orama-plugin-cache"`, `"./bin/../bin/orama-plugin-cache"`, 1),
		"other plugins":        base + "plugin \"database\" {\n  path = \"bin/copy\"\n}\n",
		"server settings":      "server {\n  listen = \":7000\"\n}\n" + base,
	}
	for name, src := range same {
		if src == base {
			t.Fatalf("%s: the edit did not apply", name)
		}
		if got := fp(src); got != want {
			t.Errorf("%s changed the fingerprint", name)
		}
	}

	differ := map[string]string{
		"config value":     strings.Replace(base, `"embedded"`, `"client"`, 1),
		"config attribute": strings.Replace(base, "  config {\n", "  config {\n    extra = 1\n", 1),
		"no config":        "plugin \"cache\" {\n  path = \"bin/orama-plugin-cache\"\n}\n",
		"number type":      strings.Replace(base, `["a", "b"]`, `["a", 2]`, 1),
		"path":             strings.Replace(base, "bin/orama-plugin-cache", "bin/copy", 1),
		"sha256":           strings.Replace(base, "  config {\n", "  sha256 = \""+fakeSHA+"\"\n  config {\n", 1),
	}
	seen := map[string]string{want: "base"}
	for name, src := range differ {
		if src == base {
			t.Fatalf("%s: the edit did not apply", name)
		}
		got := fp(src)
		if prev, dup := seen[got]; dup {
			t.Errorf("%s has the same fingerprint as %s", name, prev)
		}
		seen[got] = name
	}

	// A rebuilt binary (new mtime, or new size) changes it too.
	bin := filepath.Join(dir, "bin", "orama-plugin-cache")
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(bin, later, later); err != nil {
		t.Fatal(err)
	}
	if fp(base) == want {
		t.Error("new mtime did not change the fingerprint")
	}
	p := mustParse(t, file, base).Plugin("cache")
	before := p.Fingerprint()
	if err := os.Remove(bin); err != nil {
		t.Fatal(err)
	}
	if p.Fingerprint() == before {
		t.Error("a removed binary did not change the fingerprint")
	}
}
