package engine

import (
	"context"
	"testing"

	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

// The in-process floor of `make bench`: a warm invoke is one Run of a
// module already compiled in memory.

func benchRun(b *testing.B, key string, module, input []byte, want string) {
	e := newEngine(b, Config{})
	ctx := context.Background()
	if err := e.Compile(ctx, key, module); err != nil {
		b.Fatal(err)
	}
	c := Call{Stdin: input, Host: newFakeHost()}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		o, err := e.Run(ctx, key, c)
		if err != nil || o.Status != serverless.ResultSuccess || string(o.Stdout) != want {
			b.Fatalf("%v %s %q %q", err, o.Status, o.Error, o.Stdout)
		}
	}
}

// BenchmarkRunEcho: the tiny WAT echo module, warm.
func BenchmarkRunEcho(b *testing.B) {
	benchRun(b, "echo", serverlesstest.Module(b, "echo"), []byte(`{"name":"bench"}`), `{"name":"bench"}`)
}

// BenchmarkRunGoGreeting: the Go wasip1 JSON greeting, warm.
func BenchmarkRunGoGreeting(b *testing.B) {
	benchRun(b, "greeting", serverlesstest.GoModule(b, serverlesstest.GreetingSource),
		[]byte(`{"name":"bench"}`), serverlesstest.GreetingOutput("bench"))
}

// BenchmarkCompile: the first compile of a module (no cache), and its
// compile by a new Engine from the disk cache (a plugin restart).
func BenchmarkCompile(b *testing.B) {
	ctx := context.Background()
	for _, m := range []struct {
		name   string
		module func() []byte
	}{
		{"echo", func() []byte { return serverlesstest.Module(b, "echo") }},
		{"greeting", func() []byte { return serverlesstest.GoModule(b, serverlesstest.GreetingSource) }},
	} {
		module := m.module()
		b.Run(m.name+"/first", func(b *testing.B) {
			for b.Loop() {
				e, err := New(ctx, Config{})
				if err != nil {
					b.Fatal(err)
				}
				if err := e.Compile(ctx, m.name, module); err != nil {
					b.Fatal(err)
				}
				_ = e.Close(ctx)
			}
		})
		b.Run(m.name+"/disk", func(b *testing.B) {
			dir := b.TempDir()
			warm, err := New(ctx, Config{CacheDir: dir})
			if err != nil {
				b.Fatal(err)
			}
			if err := warm.Compile(ctx, m.name, module); err != nil {
				b.Fatal(err)
			}
			_ = warm.Close(ctx)
			for b.Loop() {
				e, err := New(ctx, Config{CacheDir: dir})
				if err != nil {
					b.Fatal(err)
				}
				if err := e.Compile(ctx, m.name, module); err != nil {
					b.Fatal(err)
				}
				_ = e.Close(ctx)
			}
		})
	}
}
