package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Load reads and parses the config file at path. When the returned
// diagnostics have errors, the Config is nil.
func Load(path string) (*Config, hcl.Diagnostics) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, hcl.Diagnostics{readError(path, err)}
	}
	return Parse(path, src)
}

func readError(path string, err error) *hcl.Diagnostic {
	d := &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Cannot read configuration file",
		Detail:   fmt.Sprintf("%s. Check the file's permissions.", err),
		Subject:  startOf(path).Ptr(),
	}
	if errors.Is(err, fs.ErrNotExist) {
		d.Summary = "Configuration file not found"
		d.Detail = fmt.Sprintf("There is no file at %s. Create it (config.hcl at the root of the repository is a working example) or give the host the right path.", absOr(path))
	}
	return d
}

// Parse parses src as the config file filename. filename names the file in
// diagnostics and is the base for relative paths in it. When the returned
// diagnostics have errors, the Config is nil.
func Parse(filename string, src []byte) (*Config, hcl.Diagnostics) {
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	remember(filename, file, src)
	if diags.HasErrors() {
		return nil, finish(filename, diags)
	}
	abs, err := filepath.Abs(filename)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid configuration file name",
			Detail:   fmt.Sprintf("Cannot make %q absolute: %s. Pass an absolute path.", filename, err),
			Subject:  startOf(filename).Ptr(),
		}}
	}
	p := &parser{src: src, dir: filepath.Dir(abs), diags: diags}
	cfg := p.root(file.Body)
	cfg.File = abs
	if p.diags.HasErrors() {
		return nil, finish(filename, p.diags)
	}
	return cfg, finish(filename, p.diags)
}

// parser collects the diagnostics of one Parse.
type parser struct {
	src      []byte // the file, for quoting expressions in diagnostics
	dir      string // the file's directory, absolute
	diags    hcl.Diagnostics
	authAttr *hcl.Attribute // server { auth = … }, resolved once the plugins are known
}

func (p *parser) add(diags ...*hcl.Diagnostic) { p.diags = append(p.diags, diags...) }

// errorf adds an error diagnostic about subject.
func (p *parser) errorf(subject hcl.Range, summary, detail string, args ...any) {
	p.add(&hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(detail, args...),
		Subject:  subject.Ptr(),
	})
}

// root decodes the top level of the file.
func (p *parser) root(body hcl.Body) *Config {
	cfg := &Config{Server: defaultServer(), Node: Node{ID: defaultNodeID, DataDir: p.abs(defaultDataDir)}}
	content, diags := body.Content(rootSchema)
	p.add(explain(diags, "top level of the file", rootSchema)...)

	seen := map[string]hcl.Range{} // "server", "node", `plugin "cache"` → first definition
	for _, b := range content.Blocks {
		key := b.Type
		if b.Type == "plugin" {
			key = fmt.Sprintf("plugin %q", b.Labels[0])
		}
		if first, dup := seen[key]; dup {
			p.errorf(b.DefRange, "Duplicate "+b.Type+" block",
				"A %s block is already defined on line %d. Merge the two blocks into one.", key, first.Start.Line)
			continue
		}
		seen[key] = b.DefRange
		switch b.Type {
		case "server":
			p.server(b, &cfg.Server)
		case "node":
			p.node(b, &cfg.Node)
		case "plugin":
			cfg.Plugins = append(cfg.Plugins, p.plugin(b))
		case "telemetry":
			cfg.Telemetry = p.telemetry(b)
		}
	}
	p.resolveAuth(cfg)
	p.resolveTLS(cfg)
	return cfg
}

// abs resolves path against the config file's directory.
func (p *parser) abs(path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(p.dir, path)
}

func absOr(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// startOf is the first position of filename, the subject of diagnostics
// about the file as a whole.
func startOf(filename string) hcl.Range {
	pos := hcl.Pos{Line: 1, Column: 1}
	return hcl.Range{Filename: filename, Start: pos, End: pos}
}
