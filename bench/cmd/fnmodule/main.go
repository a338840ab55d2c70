// Command fnmodule prepares the WASM modules of the functions part of
// scripts/bench.sh (bench/functions.sh):
//
//	fnmodule greeting-source
//	    prints serverlesstest.GreetingSource, the Go wasip1 JSON greeting
//	    the serverless tests and the engine's benchmarks build, for
//	    `GOOS=wasip1 GOARCH=wasm go build`
//	fnmodule tag -in echo.wasm -out DIR -n 50 [-prefix echo]
//	    writes DIR/PREFIX-1.wasm … DIR/PREFIX-N.wasm: the module with a
//	    custom section "orama-bench" holding the copy's number appended, so
//	    each copy has different bytes (another sha256, another compiled
//	    module) and the same code
//
// A custom section is ignored by the runtime (WebAssembly core spec
// 5.5.3), so the copies behave exactly like the original.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	switch os.Args[1] {
	case "greeting-source":
		fmt.Print(serverlesstest.GreetingSource)
	case "tag":
		fs := flag.NewFlagSet("tag", flag.ExitOnError)
		in := fs.String("in", "", "the module to copy")
		out := fs.String("out", "", "the directory for the copies")
		n := fs.Int("n", 1, "how many copies")
		prefix := fs.String("prefix", "echo", "file name prefix of the copies")
		_ = fs.Parse(os.Args[2:])
		if err := tag(*in, *out, *prefix, *n); err != nil {
			fmt.Fprintln(os.Stderr, "fnmodule:", err)
			os.Exit(1)
		}
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: fnmodule greeting-source | fnmodule tag -in M.wasm -out DIR -n N [-prefix P]")
	os.Exit(2)
}

// wasmMagic opens every binary module: "\0asm" and version 1.
var wasmMagic = []byte{0, 'a', 's', 'm', 1, 0, 0, 0}

func tag(in, out, prefix string, n int) error {
	if in == "" || out == "" || n < 1 {
		return fmt.Errorf("tag needs -in, -out and -n >= 1")
	}
	mod, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(mod, wasmMagic) {
		return fmt.Errorf("%s is not a binary WebAssembly module", in)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for i := 1; i <= n; i++ {
		b := append(append([]byte(nil), mod...), customSection("orama-bench", []byte(strconv.Itoa(i)))...)
		if err := os.WriteFile(filepath.Join(out, fmt.Sprintf("%s-%d.wasm", prefix, i)), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// customSection encodes a custom section (id 0): its size, the name (a
// vector of bytes) and the payload, sizes in unsigned LEB128.
func customSection(name string, payload []byte) []byte {
	body := append(uleb(uint32(len(name))), name...)
	body = append(body, payload...)
	return append(append([]byte{0}, uleb(uint32(len(body)))...), body...)
}

func uleb(v uint32) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}
