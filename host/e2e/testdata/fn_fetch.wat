;; fn_fetch: http_fetch("GET", <stdin>, "", "") — the URL is the whole
;; request body — and its JSON result ({status, headers, body} or
;; {error, status:0}) on stdout; "<0>" for a 0 result. Imports from env;
;; orama_alloc.
(module
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "env" "http_fetch" (func $http_fetch (param i32 i32 i32 i32 i32 i32 i32 i32) (result i64)))
  (memory (export "memory") 2)
  ;; 0..15: iovec and n; 16: "<0>"; 32..47: read iovec and n;
  ;; 1024: "GET"; 4096..8191: the URL; 32768..: the allocator's heap.
  (data (i32.const 16) "<0>")
  (data (i32.const 1024) "GET")
  (global $heap (mut i32) (i32.const 32768))
  (func $write (param $p i32) (param $n i32)
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "orama_alloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $n)))
    (local.get $p))
  (func (export "_start")
    (local $len i32) (local $r i64)
    ;; read stdin into 4096.. until EOF (at most 4096 bytes)
    (loop $more
      (i32.store (i32.const 32) (i32.add (i32.const 4096) (local.get $len)))
      (i32.store (i32.const 36) (i32.sub (i32.const 4096) (local.get $len)))
      (drop (call $fd_read (i32.const 0) (i32.const 32) (i32.const 1) (i32.const 40)))
      (local.set $len (i32.add (local.get $len) (i32.load (i32.const 40))))
      (br_if $more (i32.and
        (i32.ne (i32.load (i32.const 40)) (i32.const 0))
        (i32.lt_u (local.get $len) (i32.const 4096)))))
    (local.set $r (call $http_fetch (i32.const 1024) (i32.const 3) (i32.const 4096) (local.get $len)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
    (if (i64.eqz (local.get $r))
      (then (call $write (i32.const 16) (i32.const 3)))
      (else (call $write
        (i32.wrap_i64 (i64.shr_u (local.get $r) (i64.const 32)))
        (i32.wrap_i64 (local.get $r)))))))
