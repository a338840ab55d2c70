package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/orama-network/orama/sdk/serverless"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// The host functions (API.md "Functions", ABI). Strings and byte strings
// are (ptr, len) i32 pairs in the guest's memory; a pair out of bounds
// fails the call (logged, failure value), it never panics the host. A
// returned buffer is allocated by calling the guest's exported
// orama_alloc(len i32) i32, or malloc when there is no orama_alloc, and
// returned as (ptr<<32)|len; 0 means an error or an empty result.
//
//	get_caller_wallet() i64               the signed-in wallet ("" → 0)
//	get_request_id() i64
//	get_env(key) i64                      the function's env var (unset → 0)
//	get_secret(name) i64                  the namespace's secret (error → 0)
//	db_query(sql, argsJSON) i64           JSON array of row objects (error → 0)
//	db_execute(sql, argsJSON) i32         rows affected (error → 0)
//	cache_get(key) i64                    the value (miss or error → 0)
//	cache_set(key, value, ttl_seconds i64)
//	cache_incr(key) i64                   the new value after adding 1 (a missing key counts from 0); error → 0
//	cache_incr_by(key, delta i64) i64     the new value after adding delta; error → 0
//	http_fetch(method, url, headersJSON, body) i64   JSON {status, headers, body} or {error, status:0}
//	pubsub_publish(topic, data) i32       1 ok, 0 error
//	log_info(msg), log_error(msg)
//
// cache_incr's 0 on error is the ABI's i64 failure value; 0 is also a
// valid count (cache_incr_by with a negative delta), so a function that
// must tell them apart reads its logs: every failure is logged at level
// error with the host's reason.

// hostModules are the module names the host functions are importable from.
var hostModules = []string{"env", "host"}

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

// hostFunc is one host function: its signature and what it does. fn
// reads its parameters from stack and writes its result to stack[0].
type hostFunc struct {
	name    string
	params  []api.ValueType
	results []api.ValueType
	fn      func(ctx context.Context, c *hostCall, stack []uint64)
}

func params(n int) []api.ValueType {
	p := make([]api.ValueType, n)
	for i := range p {
		p[i] = i32
	}
	return p
}

var hostFuncs = []hostFunc{
	{"get_caller_wallet", nil, []api.ValueType{i64}, func(ctx context.Context, c *hostCall, s []uint64) {
		s[0] = c.ret(ctx, []byte(c.host.CallerWallet()))
	}},
	{"get_request_id", nil, []api.ValueType{i64}, func(ctx context.Context, c *hostCall, s []uint64) {
		s[0] = c.ret(ctx, []byte(c.host.RequestID()))
	}},
	{"get_env", params(2), []api.ValueType{i64}, func(ctx context.Context, c *hostCall, s []uint64) {
		key, ok := c.str(s[0], s[1], "key")
		s[0] = 0
		if ok {
			if v, ok := c.host.Env(key); ok {
				s[0] = c.ret(ctx, []byte(v))
			}
		}
	}},
	{"get_secret", params(2), []api.ValueType{i64}, func(ctx context.Context, c *hostCall, s []uint64) {
		name, ok := c.str(s[0], s[1], "name")
		s[0] = 0
		if ok {
			var v []byte
			var err error
			c.wait(func() { v, err = c.host.Secret(ctx, name) })
			if c.ok(err) {
				s[0] = c.ret(ctx, v)
			}
		}
	}},
	{"db_query", params(4), []api.ValueType{i64}, func(ctx context.Context, c *hostCall, s []uint64) {
		sql, ok1 := c.str(s[0], s[1], "sql")
		args, ok2 := c.bytes(s[2], s[3], "args")
		s[0] = 0
		if ok1 && ok2 {
			var rows []byte
			var err error
			c.wait(func() { rows, err = c.host.DBQuery(ctx, sql, args) })
			if c.ok(err) {
				s[0] = c.ret(ctx, rows)
			}
		}
	}},
	{"db_execute", params(4), []api.ValueType{i32}, func(ctx context.Context, c *hostCall, s []uint64) {
		sql, ok1 := c.str(s[0], s[1], "sql")
		args, ok2 := c.bytes(s[2], s[3], "args")
		s[0] = 0
		if ok1 && ok2 {
			var n int64
			var err error
			c.wait(func() { n, err = c.host.DBExecute(ctx, sql, args) })
			if c.ok(err) {
				s[0] = uint64(uint32(n))
			}
		}
	}},
	{"cache_get", params(2), []api.ValueType{i64}, func(ctx context.Context, c *hostCall, s []uint64) {
		key, ok := c.str(s[0], s[1], "key")
		s[0] = 0
		if ok {
			var v []byte
			var found bool
			var err error
			c.wait(func() { v, found, err = c.host.CacheGet(ctx, key) })
			if c.ok(err) && found {
				s[0] = c.ret(ctx, v)
			}
		}
	}},
	{"cache_set", append(params(4), i64), nil, func(ctx context.Context, c *hostCall, s []uint64) {
		key, ok1 := c.str(s[0], s[1], "key")
		val, ok2 := c.bytes(s[2], s[3], "value")
		if ok1 && ok2 {
			ttl := max(int64(s[4]), 0)
			var err error
			c.wait(func() { err = c.host.CacheSet(ctx, key, val, time.Duration(ttl)*time.Second) })
			c.ok(err)
		}
	}},
	{"cache_incr", params(2), []api.ValueType{i64}, func(ctx context.Context, c *hostCall, s []uint64) {
		c.incr(ctx, s, 1)
	}},
	{"cache_incr_by", append(params(2), i64), []api.ValueType{i64}, func(ctx context.Context, c *hostCall, s []uint64) {
		c.incr(ctx, s, int64(s[2]))
	}},
	{"http_fetch", params(8), []api.ValueType{i64}, func(ctx context.Context, c *hostCall, s []uint64) {
		method, ok1 := c.str(s[0], s[1], "method")
		url, ok2 := c.str(s[2], s[3], "url")
		headers, ok3 := c.bytes(s[4], s[5], "headers")
		body, ok4 := c.bytes(s[6], s[7], "body")
		s[0] = 0
		if ok1 && ok2 && ok3 && ok4 {
			var res []byte
			c.wait(func() { res = c.host.HTTPFetch(ctx, method, url, headers, body) })
			s[0] = c.ret(ctx, res)
		}
	}},
	{"pubsub_publish", params(4), []api.ValueType{i32}, func(ctx context.Context, c *hostCall, s []uint64) {
		topic, ok1 := c.str(s[0], s[1], "topic")
		data, ok2 := c.bytes(s[2], s[3], "data")
		s[0] = 0
		var err error
		if ok1 && ok2 {
			c.wait(func() { err = c.host.Publish(ctx, topic, data) })
		}
		if ok1 && ok2 && c.ok(err) {
			s[0] = 1
		}
	}},
	{"log_info", params(2), nil, func(ctx context.Context, c *hostCall, s []uint64) {
		if msg, ok := c.str(s[0], s[1], "message"); ok {
			c.logs.add(serverless.LevelInfo, msg)
		}
	}},
	{"log_error", params(2), nil, func(ctx context.Context, c *hostCall, s []uint64) {
		if msg, ok := c.str(s[0], s[1], "message"); ok {
			c.logs.add(serverless.LevelError, msg)
		}
	}},
}

// hostModule exports every host function on b.
func hostModule(b wazero.HostModuleBuilder) wazero.HostModuleBuilder {
	for _, f := range hostFuncs {
		b = b.NewFunctionBuilder().
			WithGoModuleFunction(api.GoModuleFunc(f.call), f.params, f.results).
			Export(f.name)
	}
	return b
}

// call runs f for the run of ctx. Outside a run, or without a Host, it
// fails with the failure value.
func (f hostFunc) call(ctx context.Context, mod api.Module, stack []uint64) {
	st := stateOf(ctx)
	if st == nil || st.host == nil {
		if st != nil {
			st.logs.add(serverless.LevelError, f.name+": host functions are not available")
		}
		if len(f.results) > 0 {
			stack[0] = 0
		}
		return
	}
	f.fn(ctx, &hostCall{name: f.name, mod: mod, runState: st}, stack)
}

// hostCall is one call of a host function.
type hostCall struct {
	*runState
	name string
	mod  api.Module
}

// fail logs why the call failed.
func (c *hostCall) fail(format string, args ...any) {
	c.logs.add(serverless.LevelError, c.name+": "+fmt.Sprintf(format, args...))
}

// ok logs err, if any, and reports whether there was none.
func (c *hostCall) ok(err error) bool {
	if err != nil {
		c.fail("%v", err)
		return false
	}
	return true
}

// bytes copies the guest's (ptr, len) bytes; out of bounds fails.
func (c *hostCall) bytes(ptr, n uint64, what string) ([]byte, bool) {
	if n == 0 {
		return nil, true
	}
	view, ok := c.mod.Memory().Read(uint32(ptr), uint32(n))
	if !ok {
		c.fail("%s (ptr %d, len %d) is out of bounds of the module's memory", what, uint32(ptr), uint32(n))
		return nil, false
	}
	return append([]byte(nil), view...), true
}

// str is bytes as a string.
func (c *hostCall) str(ptr, n uint64, what string) (string, bool) {
	if n == 0 {
		return "", true
	}
	view, ok := c.mod.Memory().Read(uint32(ptr), uint32(n))
	if !ok {
		c.fail("%s (ptr %d, len %d) is out of bounds of the module's memory", what, uint32(ptr), uint32(n))
		return "", false
	}
	return string(view), true
}

// incr is cache_incr and cache_incr_by: s[0], s[1] are the key.
func (c *hostCall) incr(ctx context.Context, s []uint64, delta int64) {
	key, ok := c.str(s[0], s[1], "key")
	s[0] = 0
	if ok {
		var n int64
		var err error
		c.wait(func() { n, err = c.host.CacheIncr(ctx, key, delta) })
		if c.ok(err) {
			s[0] = uint64(n)
		}
	}
}

// ret copies data into a buffer the guest allocates and returns it packed
// as (ptr<<32)|len; 0 when data is empty or it cannot be returned.
func (c *hostCall) ret(ctx context.Context, data []byte) uint64 {
	if len(data) == 0 {
		return 0
	}
	alloc := c.mod.ExportedFunction("orama_alloc")
	if alloc == nil {
		alloc = c.mod.ExportedFunction("malloc")
	}
	if alloc == nil {
		c.fail("the module exports neither orama_alloc nor malloc, so a result of %d bytes cannot be returned", len(data))
		return 0
	}
	res, err := alloc.Call(ctx, uint64(len(data)))
	if err != nil || len(res) != 1 {
		c.fail("allocating %d bytes in the module: %v", len(data), err)
		return 0
	}
	ptr := uint32(res[0])
	if ptr == 0 || !c.mod.Memory().Write(ptr, data) {
		c.fail("the module's allocator returned %d for %d bytes, not a writable buffer", ptr, len(data))
		return 0
	}
	return uint64(ptr)<<32 | uint64(len(data))
}
