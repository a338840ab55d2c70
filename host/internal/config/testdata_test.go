package config

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// Every file in testdata/valid must load without diagnostics.
func TestValidFiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/valid/*.hcl")
	if len(files) == 0 {
		t.Fatal("no files in testdata/valid")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			cfg, diags := Load(file)
			if len(diags) > 0 {
				t.Fatalf("unexpected diagnostics:\n%s", render(t, diags))
			}
			if cfg == nil {
				t.Fatal("nil config without diagnostics")
			}
		})
	}
}

// marker is the convention of testdata/error: a trailing comment
// `# ERROR: <Summary>` on the line where the diagnostic's Subject starts.
// A construct that spans lines (a block) is marked on its first line,
// where its subject (type and labels) starts. One marker per line.
var marker = regexp.MustCompile(`#\s*ERROR:\s*(.+?)\s*$`)

// Each file in testdata/error must produce exactly the errors its markers
// name, on the marked lines, and no others.
func TestErrorFiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/error/*.hcl")
	if len(files) == 0 {
		t.Fatal("no files in testdata/error")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			want := markers(t, file)
			if len(want) == 0 {
				t.Fatal("error file without # ERROR: markers")
			}
			cfg, diags := Load(file)
			if cfg != nil {
				t.Error("Load returned a config along with errors")
			}
			var got []string
			for _, d := range diags {
				checkWellFormed(t, d)
				if d.Severity == hcl.DiagError && d.Subject != nil {
					got = append(got, fmt.Sprintf("%d: %s", d.Subject.Start.Line, d.Summary))
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("errors (line: summary)\n got: %q\nwant: %q\n%s", got, want, render(t, diags))
			}
		})
	}
}

func markers(t *testing.T, file string) []string {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(src))
	for line := 1; sc.Scan(); line++ {
		if m := marker.FindStringSubmatch(sc.Text()); m != nil {
			out = append(out, fmt.Sprintf("%d: %s", line, m[1]))
		}
	}
	return out
}

// checkWellFormed asserts the house rules for a diagnostic: a subject with
// a file and a line, a short summary, a detail sentence.
func checkWellFormed(t *testing.T, d *hcl.Diagnostic) {
	t.Helper()
	switch {
	case d.Subject == nil:
		t.Errorf("%q has no subject", d.Summary)
	case d.Subject.Filename == "" || d.Subject.Start.Line < 1 || d.Subject.Start.Column < 1:
		t.Errorf("%q has an incomplete subject %#v", d.Summary, d.Subject)
	case d.Summary == "" || len(d.Summary) > 60:
		t.Errorf("summary %q is not short", d.Summary)
	case len(d.Detail) < 10 || !bytes.ContainsAny([]byte(d.Detail[len(d.Detail)-1:]), ".?"):
		t.Errorf("%q: detail %q is not a sentence", d.Summary, d.Detail)
	}
}

func render(t *testing.T, diags hcl.Diagnostics) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteDiagnostics(&b, diags, false); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
