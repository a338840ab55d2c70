package engine

import (
	"bytes"
	"context"
	"testing"

	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

// image applies the data segments of module to a zeroed memory of n bytes.
func image(t *testing.T, module []byte, n int) ([]byte, int) {
	t.Helper()
	r := &reader{b: module, i: 8}
	for r.i < len(r.b) {
		id, size := r.byte(), r.u32()
		if id == 11 {
			segs, ok := readSegments(module[r.i : r.i+int(size)])
			if !ok {
				t.Fatal("data section not readable")
			}
			mem := make([]byte, n)
			for _, s := range segs {
				copy(mem[s.offset:], s.data)
			}
			return mem, len(segs)
		}
		r.i += int(size)
	}
	t.Fatal("no data section")
	return nil, 0
}

// dataWAT has segments out of order, close together and far apart; its
// _start writes memory [0, 12288) to stdout.
const dataWAT = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 9000) "far")
  (data (i32.const 100) "abc")
  (data (i32.const 110) "def")
  (data (i32.const 64) "\00\01")
  (data (i32.const 12000) "end")
  (func (export "_start")
    (i32.store (i32.const 16) (i32.const 0))
    (i32.store (i32.const 20) (i32.const 12288))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))`

func TestCoalesceData(t *testing.T) {
	orig := watModule(t, dataWAT)
	merged := coalesceData(orig)
	a, na := image(t, orig, 65536)
	b, nb := image(t, merged, 65536)
	if !bytes.Equal(a, b) || na != 5 || nb != 2 {
		t.Fatalf("segments %d → %d, images equal %v", na, nb, bytes.Equal(a, b))
	}
	// and through the engine: the memory the guest sees
	e := newEngine(t, Config{})
	if err := e.Compile(context.Background(), "data", orig); err != nil {
		t.Fatal(err)
	}
	o := run(t, e, "data", Call{})
	wantStatus(t, o, serverless.ResultSuccess, "")
	want := make([]byte, 12288)
	for off, s := range map[int]string{100: "abc", 110: "def", 64: "\x00\x01", 9000: "far", 12000: "end"} {
		copy(want[off:], s)
	}
	if !bytes.Equal(o.Stdout[24:], want[24:]) { // 16..24: the iovec written by _start
		t.Fatal("memory differs from the data segments")
	}
}

func TestCoalesceDataGoModule(t *testing.T) {
	orig := serverlesstest.GoModule(t, serverlesstest.GreetingSource)
	merged := coalesceData(orig)
	a, na := image(t, orig, 8<<20)
	b, nb := image(t, merged, 8<<20)
	if !bytes.Equal(a, b) || nb >= na/10 {
		t.Fatalf("segments %d → %d, images equal %v", na, nb, bytes.Equal(a, b))
	}
}

func TestCoalesceDataUnchanged(t *testing.T) {
	for name, wat := range map[string]string{
		"passive":     `(module (memory 1) (data "x") (data (i32.const 0) "y") (data (i32.const 8) "z"))`,
		"overlap":     `(module (memory 1) (data (i32.const 0) "abcd") (data (i32.const 2) "z") (data (i32.const 9) "q"))`,
		"global":      `(module (import "env" "g" (global i32)) (memory 1) (data (global.get 0) "x") (data (i32.const 8) "z"))`,
		"data count":  `(module (memory 1) (data (i32.const 0) "x") (data (i32.const 8) "z") (func (data.drop 0)))`,
		"one segment": `(module (memory 1) (data (i32.const 0) "x"))`,
		"far apart":   `(module (memory 2) (data (i32.const 0) "x") (data (i32.const 65536) "z"))`,
	} {
		orig := watModule(t, wat)
		if got := coalesceData(orig); !bytes.Equal(got, orig) {
			t.Errorf("%s: rewritten", name)
		}
	}
	for _, b := range [][]byte{nil, []byte("junk"), []byte("\x00asm\x01\x00\x00\x00\x0b\xff")} {
		if got := coalesceData(b); !bytes.Equal(got, b) {
			t.Errorf("%q: rewritten", b)
		}
	}
}
