package engine

import (
	"errors"
	"strings"

	"github.com/orama-network/orama/sdk"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// provided is what a module may import: module name → function name →
// its definition (WASI's and the host functions').
type provided map[string]map[string]api.FunctionDefinition

// checkImports reads the import section of module and refuses an import
// the host does not provide, naming it. A module too malformed to read is
// left to the compiler, which says why.
func checkImports(module []byte, p provided) error {
	imps, err := readImports(module)
	if err != nil {
		return nil
	}
	for _, imp := range imps {
		if imp.kind != kindFunc {
			return sdk.Errorf(sdk.CodeInvalid, "module imports %s.%s (a %s), which the host does not provide", imp.module, imp.name, kindNames[imp.kind])
		}
		if _, ok := p[imp.module][imp.name]; !ok {
			return sdk.Errorf(sdk.CodeInvalid, "module imports %s.%s, which the host does not provide", imp.module, imp.name)
		}
	}
	return nil
}

// checkCompiled checks a compiled module is a WASI command module whose
// imported functions have the host's signatures, and returns the bytes of
// its declared minimum memory.
func checkCompiled(mod wazero.CompiledModule, p provided) (uint64, error) {
	for _, def := range mod.ImportedFunctions() {
		m, n, _ := def.Import()
		have, ok := p[m][n]
		if !ok {
			return 0, sdk.Errorf(sdk.CodeInvalid, "module imports %s.%s, which the host does not provide", m, n)
		}
		if sig(def) != sig(have) {
			return 0, sdk.Errorf(sdk.CodeInvalid, "module imports %s.%s as %s, but the host provides %s", m, n, sig(def), sig(have))
		}
	}
	if len(mod.ImportedMemories()) > 0 {
		return 0, sdk.Errorf(sdk.CodeInvalid, "module imports a memory, which the host does not provide")
	}
	start, ok := mod.ExportedFunctions()["_start"]
	if !ok {
		return 0, sdk.Errorf(sdk.CodeInvalid, "module does not export _start: not a WASI command module")
	}
	if len(start.ParamTypes()) != 0 || len(start.ResultTypes()) != 0 {
		return 0, sdk.Errorf(sdk.CodeInvalid, "module exports _start as %s, want func()", sig(start))
	}
	mem, ok := mod.ExportedMemories()["memory"]
	if !ok {
		return 0, sdk.Errorf(sdk.CodeInvalid, "module does not export its memory as \"memory\"")
	}
	return uint64(mem.Min()) * pageSize, nil
}

const pageSize = 65536

// sig formats a function signature, e.g. "(i32, i32) -> i64".
func sig(def api.FunctionDefinition) string {
	names := func(ts []api.ValueType) string {
		s := make([]string, len(ts))
		for i, t := range ts {
			s[i] = api.ValueTypeName(t)
		}
		return "(" + strings.Join(s, ", ") + ")"
	}
	return names(def.ParamTypes()) + " -> " + names(def.ResultTypes())
}

// Import kinds of the binary format.
const (
	kindFunc   = 0
	kindTable  = 1
	kindMemory = 2
	kindGlobal = 3
	kindTag    = 4
)

var kindNames = map[byte]string{kindFunc: "function", kindTable: "table", kindMemory: "memory", kindGlobal: "global", kindTag: "tag"}

// wasmImport is one entry of a module's import section.
type wasmImport struct {
	module, name string
	kind         byte
}

var errMalformed = errors.New("malformed module")

// readImports returns the import section of a binary module.
func readImports(b []byte) ([]wasmImport, error) {
	r := &reader{b: b}
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, errMalformed
	}
	r.i = 8
	for r.i < len(r.b) {
		id := r.byte()
		size := r.u32()
		if r.err != nil || size > uint32(len(r.b)-r.i) {
			return nil, errMalformed
		}
		if id != 2 {
			r.i += int(size)
			continue
		}
		s := &reader{b: r.b[r.i : r.i+int(size)]}
		n := s.u32()
		var imps []wasmImport
		for k := uint32(0); k < n && s.err == nil; k++ {
			imp := wasmImport{module: s.name(), name: s.name(), kind: s.byte()}
			switch imp.kind {
			case kindFunc:
				s.u32()
			case kindTable:
				s.byte()
				s.limits()
			case kindMemory:
				s.limits()
			case kindGlobal:
				s.byte()
				s.byte()
			case kindTag:
				s.byte()
				s.u32()
			default:
				return nil, errMalformed
			}
			imps = append(imps, imp)
		}
		if s.err != nil {
			return nil, s.err
		}
		return imps, nil
	}
	return nil, nil
}

// reader reads the binary format; the first error sticks.
type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) byte() byte {
	if r.err != nil || r.i >= len(r.b) {
		r.err = errMalformed
		return 0
	}
	c := r.b[r.i]
	r.i++
	return c
}

func (r *reader) u32() uint32 {
	var v uint32
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		v |= uint32(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	r.err = errMalformed
	return 0
}

func (r *reader) u64() {
	for shift := 0; shift < 70; shift += 7 {
		if r.byte()&0x80 == 0 {
			return
		}
	}
	r.err = errMalformed
}

func (r *reader) name() string {
	n := r.u32()
	if r.err != nil || n > uint32(len(r.b)-r.i) {
		r.err = errMalformed
		return ""
	}
	s := string(r.b[r.i : r.i+int(n)])
	r.i += int(n)
	return s
}

func (r *reader) limits() {
	flags := r.byte()
	r.u64()
	if flags&1 != 0 {
		r.u64()
	}
}
