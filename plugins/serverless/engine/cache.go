package engine

import (
	"context"

	"github.com/orama-network/orama/sdk"
	"github.com/tetratelabs/wazero"
)

// entry is one compiled module in memory. refs counts the runs using it;
// an evicted entry still in use is closed when its last run ends.
type entry struct {
	key     string
	mod     wazero.CompiledModule
	size    int64  // module bytes (what CacheBytes bounds)
	minMem  uint64 // bytes of the module's declared minimum memory
	refs    int
	evicted bool
}

// compileCall is one compilation in flight; concurrent Compiles of the
// same key wait for it rather than compile again.
type compileCall struct {
	done chan struct{}
	err  error
}

// compile is Compile: one compilation per key at a time, the result kept
// in the LRU.
func (e *Engine) compile(ctx context.Context, key string, module []byte) error {
	for {
		e.mu.Lock()
		if e.closed {
			e.mu.Unlock()
			return errClosed()
		}
		if el, ok := e.entries[key]; ok {
			e.lru.MoveToFront(el)
			e.mu.Unlock()
			return nil
		}
		call, ok := e.compiling[key]
		if !ok {
			break // e.mu still held
		}
		e.mu.Unlock()
		select {
		case <-call.done:
			if call.err != nil {
				return call.err
			}
			// compiled (or already evicted again): look once more
		case <-ctx.Done():
			return sdk.Errorf(sdk.CodeUnavailable, "compile %s: %v", key, ctx.Err())
		}
	}
	call := &compileCall{done: make(chan struct{})}
	e.compiling[key] = call
	e.mu.Unlock()

	ent, err := e.build(ctx, key, module)

	e.mu.Lock()
	delete(e.compiling, key)
	call.err = err
	close(call.done)
	if err == nil {
		if e.closed {
			_ = ent.mod.Close(ctx)
			err = errClosed()
		} else {
			e.entries[key] = e.lru.PushFront(ent)
			e.bytes += ent.size
			e.evict(ctx)
		}
	}
	e.mu.Unlock()
	return err
}

// build compiles and checks module.
func (e *Engine) build(ctx context.Context, key string, module []byte) (*entry, error) {
	if err := checkImports(module, e.provided); err != nil {
		return nil, err
	}
	mod, err := e.rt.CompileModule(ctx, coalesceData(module))
	if err != nil {
		return nil, sdk.Errorf(sdk.CodeInvalid, "module does not compile: %v", err)
	}
	minMem, err := checkCompiled(mod, e.provided)
	if err != nil {
		_ = mod.Close(ctx)
		return nil, err
	}
	return &entry{key: key, mod: mod, size: int64(len(module)), minMem: minMem}, nil
}

// evict drops least recently used entries until the cache fits
// CacheBytes, keeping at least the most recent one. Called with e.mu held.
func (e *Engine) evict(ctx context.Context) {
	for e.bytes > e.cfg.CacheBytes && e.lru.Len() > 1 {
		el := e.lru.Back()
		ent := el.Value.(*entry)
		e.lru.Remove(el)
		delete(e.entries, ent.key)
		e.bytes -= ent.size
		ent.evicted = true
		if ent.refs == 0 {
			_ = ent.mod.Close(ctx)
		}
	}
}

// acquire returns key's entry for one run; release must follow.
func (e *Engine) acquire(key string) (*entry, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, errClosed()
	}
	el, ok := e.entries[key]
	if !ok {
		return nil, sdk.Errorf(sdk.CodeNotFound, "module %s is not compiled", key)
	}
	e.lru.MoveToFront(el)
	ent := el.Value.(*entry)
	ent.refs++
	return ent, nil
}

// release ends one run of ent, closing it if it was evicted meanwhile.
func (e *Engine) release(ctx context.Context, ent *entry) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ent.refs--
	if ent.refs == 0 && ent.evicted && !e.closed {
		_ = ent.mod.Close(ctx)
	}
}

func errClosed() error { return sdk.Errorf(sdk.CodeUnavailable, "engine is closed") }
