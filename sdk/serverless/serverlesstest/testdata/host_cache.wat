;; host_cache: the cache host functions, one line each on stdout:
;; cache_set("greeting", "hello", 60), then cache_get("greeting"),
;; cache_get("absent") ("<0>"), cache_incr("counter"),
;; cache_incr_by("counter", 41), cache_incr_by("counter", -50) (numbers).
;; Imports from env; orama_alloc.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "env" "cache_get" (func $cache_get (param i32 i32) (result i64)))
  (import "env" "cache_set" (func $cache_set (param i32 i32 i32 i32 i64)))
  (import "env" "cache_incr" (func $cache_incr (param i32 i32) (result i64)))
  (import "env" "cache_incr_by" (func $cache_incr_by (param i32 i32 i64) (result i64)))
  (memory (export "memory") 2)
  ;; 0..15: iovec and nwritten; 16: "<0>"; 20: "\n"; 24..63: digits;
  ;; 1024..: the strings below; 32768..: the allocator's heap.
  (data (i32.const 16) "<0>")
  (data (i32.const 20) "\n")
  (global $heap (mut i32) (i32.const 32768))
  ;; write(ptr, len): the bytes to stdout
  (func $write (param $p i32) (param $n i32)
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  ;; line(packed): the returned buffer and "\n"; "<0>\n" for 0
  (func $line (param $r i64)
    (if (i64.eqz (local.get $r))
      (then (call $write (i32.const 16) (i32.const 3)))
      (else (call $write
        (i32.wrap_i64 (i64.shr_u (local.get $r) (i64.const 32)))
        (i32.wrap_i64 (local.get $r)))))
    (call $write (i32.const 20) (i32.const 1)))
  ;; num(v): v in decimal and "\n"
  (func $num (param $v i64)
    (local $p i32) (local $neg i32)
    (local.set $p (i32.const 64))
    (if (i64.lt_s (local.get $v) (i64.const 0))
      (then (local.set $neg (i32.const 1))
            (local.set $v (i64.sub (i64.const 0) (local.get $v)))))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $v) (i64.const 0))))
    (if (local.get $neg)
      (then (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (i32.store8 (local.get $p) (i32.const 45))))
    (call $write (local.get $p) (i32.sub (i32.const 64) (local.get $p)))
    (call $write (i32.const 20) (i32.const 1)))
  ;; orama_alloc(n): a bump allocator over the heap
  (func (export "orama_alloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $n)))
    (local.get $p))
  (data (i32.const 1024) "greeting") ;; key: 8 bytes
  (data (i32.const 1088) "hello") ;; val: 5 bytes
  (data (i32.const 1152) "absent") ;; absent: 6 bytes
  (data (i32.const 1216) "counter") ;; counter: 7 bytes
  (func (export "_start")
    (call $cache_set (i32.const 1024) (i32.const 8) (i32.const 1088) (i32.const 5) (i64.const 60))
    (call $line (call $cache_get (i32.const 1024) (i32.const 8)))
    (call $line (call $cache_get (i32.const 1152) (i32.const 6)))
    (call $num (call $cache_incr (i32.const 1216) (i32.const 7)))
    (call $num (call $cache_incr_by (i32.const 1216) (i32.const 7) (i64.const 41)))
    (call $num (call $cache_incr_by (i32.const 1216) (i32.const 7) (i64.const -50)))))
