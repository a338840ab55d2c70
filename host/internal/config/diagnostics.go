package config

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
)

// sources keeps the last parsed text of each file by the name its
// diagnostics use, so WriteDiagnostics shows the text that was parsed
// even if the file has changed on disk since.
var sources = struct {
	sync.Mutex
	files map[string]*hcl.File
}{files: map[string]*hcl.File{}}

func remember(filename string, file *hcl.File, src []byte) {
	if file == nil {
		file = &hcl.File{}
	}
	if file.Bytes == nil {
		file.Bytes = src
	}
	sources.Lock()
	sources.files[filename] = file
	sources.Unlock()
}

// WriteDiagnostics writes diags to w as Terraform does: each diagnostic
// starts with the file:line:col of its subject, then the summary, a source
// snippet and the detail. color adds terminal colors. Snippets come from
// the text Load or Parse read, or else from the file on disk.
func WriteDiagnostics(w io.Writer, diags hcl.Diagnostics, color bool) error {
	files := map[string]*hcl.File{}
	sources.Lock()
	for _, d := range diags {
		if d.Subject == nil {
			continue
		}
		name := d.Subject.Filename
		if f := sources.files[name]; f != nil {
			files[name] = f
		}
	}
	sources.Unlock()
	for _, d := range diags {
		if d.Subject == nil || files[d.Subject.Filename] != nil {
			continue
		}
		if src, err := os.ReadFile(d.Subject.Filename); err == nil {
			files[d.Subject.Filename] = &hcl.File{Bytes: src}
		}
	}

	tw := hcl.NewDiagnosticTextWriter(w, files, 0, color)
	for _, d := range diags {
		if d.Subject != nil {
			s := d.Subject.Start
			if _, err := fmt.Fprintf(w, "%s:%d:%d: ", d.Subject.Filename, s.Line, s.Column); err != nil {
				return err
			}
		}
		if err := tw.WriteDiagnostic(d); err != nil {
			return err
		}
	}
	return nil
}

// finish gives every diagnostic a subject (the start of the file when it
// has none) and sorts them by position, so output is stable.
func finish(filename string, diags hcl.Diagnostics) hcl.Diagnostics {
	for _, d := range diags {
		if d.Subject == nil {
			d.Subject = startOf(filename).Ptr()
		}
	}
	slices.SortStableFunc(diags, func(a, b *hcl.Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Subject.Filename, b.Subject.Filename),
			cmp.Compare(a.Subject.Start.Byte, b.Subject.Start.Byte),
		)
	})
	return diags
}

// DiagnosticsText renders diags without color as one string, for a log
// field. It falls back to hcl's one-line form if rendering fails.
func DiagnosticsText(diags hcl.Diagnostics) string {
	var b strings.Builder
	if err := WriteDiagnostics(&b, diags, false); err != nil {
		return diags.Error()
	}
	return b.String()
}
