package serverlesstest

import (
	"bytes"
	"testing"
)

var wasmMagic = []byte{0, 'a', 's', 'm', 1, 0, 0, 0}

func TestModules(t *testing.T) {
	for _, name := range []string{"echo", "trap", "loop", "membomb", "exit1", "stderr",
		"missing_import", "not_command", "bigout"} {
		b := Module(t, name)
		if !bytes.HasPrefix(b, wasmMagic) {
			t.Errorf("%s: not a WASM module: % x", name, b[:min(len(b), 8)])
		}
		if again := Module(t, name); &again[0] != &b[0] {
			t.Errorf("%s: compiled twice", name)
		}
	}
}

func TestGoModule(t *testing.T) {
	b := GoModule(t, GreetingSource)
	if !bytes.HasPrefix(b, wasmMagic) {
		t.Fatalf("not a WASM module: % x", b[:min(len(b), 8)])
	}
	if again := GoModule(t, GreetingSource); &again[0] != &b[0] {
		t.Error("built twice")
	}
}
