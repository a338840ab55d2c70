package config

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/orama-network/orama/sdk/plugin"
)

func TestWriteDiagnostics(t *testing.T) {
	_, file := testDir(t)
	src := "server {\n  listen = \"nope\"\n}\n"
	writeFile(t, file, src, 0o644)
	_, diags := Load(file)
	if len(diags) != 1 {
		t.Fatalf("want one diagnostic, got %v", diags)
	}
	// The snippet is the text Load read, even after the file changes.
	writeFile(t, file, "# rewritten\n", 0o644)

	var b bytes.Buffer
	if err := WriteDiagnostics(&b, diags, false); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		file + ":2:12: Error: Invalid listen address",
		`listen = "nope"`,
		"host:port",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("escape codes without color")
	}
	b.Reset()
	if err := WriteDiagnostics(&b, diags, true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\x1b[") {
		t.Error("no escape codes with color")
	}
}

// Diagnostics the package did not parse (from FieldDiagnostics after a
// restart, say) still get their snippet from the file on disk.
func TestWriteDiagnosticsReadsFile(t *testing.T) {
	dir, _ := testDir(t)
	file := dir + "/other.hcl"
	writeFile(t, file, "a = 1\nb = 2\n", 0o644)
	p := &Plugin{Kind: "cache", Attrs: map[string]hcl.Range{"b": {
		Filename: file, Start: hcl.Pos{Line: 2, Column: 1, Byte: 6}, End: hcl.Pos{Line: 2, Column: 6, Byte: 11},
	}}}
	var b bytes.Buffer
	err := WriteDiagnostics(&b, p.FieldDiagnostics([]plugin.FieldError{{Attribute: "b", Message: "too big"}}), false)
	if err != nil {
		t.Fatal(err)
	}
	if out := b.String(); !strings.Contains(out, file+":2:1:") || !strings.Contains(out, "2: b = 2") {
		t.Errorf("output:\n%s", out)
	}
}

func TestWriteDiagnosticsError(t *testing.T) {
	_, diags := Parse("x.hcl", []byte("bogus {}\n"))
	if err := WriteDiagnostics(failWriter{}, diags, false); err == nil {
		t.Error("write error not returned")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestConcurrentParse(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			name := fmt.Sprintf("c%d.hcl", i%3)
			_, diags := Parse(name, []byte("bogus {}\n"))
			var b bytes.Buffer
			if err := WriteDiagnostics(&b, diags, false); err != nil || !strings.Contains(b.String(), name+":1:1") {
				t.Errorf("%v %s", err, b.String())
			}
		})
	}
	wg.Wait()
}
