;; fetch_stdin: http_fetch("GET", <stdin>, "", ""), its JSON result on
;; stdout ("<0>" for a 0 result). Imports from env; orama_alloc.
(module
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "env" "http_fetch" (func $http_fetch (param i32 i32 i32 i32 i32 i32 i32 i32) (result i64)))
  (memory (export "memory") 2)
  ;; 0..15: iovec and count; 16: "<0>"; 1024: "GET"; 2048..3071: the URL;
  ;; 32768..: the allocator's heap.
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
    (local $n i32) (local $r i64)
    (i32.store (i32.const 0) (i32.const 2048))
    (i32.store (i32.const 4) (i32.const 1024))
    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (local.set $n (i32.load (i32.const 8)))
    (local.set $r (call $http_fetch (i32.const 1024) (i32.const 3) (i32.const 2048) (local.get $n)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
    (if (i64.eqz (local.get $r))
      (then (call $write (i32.const 16) (i32.const 3)))
      (else (call $write
        (i32.wrap_i64 (i64.shr_u (local.get $r) (i64.const 32)))
        (i32.wrap_i64 (local.get $r)))))))
