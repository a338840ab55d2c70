;; host_badptr: host functions given (ptr, len) pairs outside memory (which is
;; 2 pages): get_env(0xfffff000, 100), cache_get(131000, 1000),
;; pubsub_publish(10, 0x7fffffff, ...), log_info(200000, 5); results on stdout
;; as lines ("<0>", "<0>", 0), then "done". The host must fail each call
;; (logged), never panic.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "env" "get_env" (func $get_env (param i32 i32) (result i64)))
  (import "env" "cache_get" (func $cache_get (param i32 i32) (result i64)))
  (import "env" "pubsub_publish" (func $pubsub_publish (param i32 i32 i32 i32) (result i32)))
  (import "env" "log_info" (func $log_info (param i32 i32)))
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
  (data (i32.const 1024) "done") ;; done: 4 bytes
  (func (export "_start")
    (call $line (call $get_env (i32.const 0xfffff000) (i32.const 100)))
    (call $line (call $cache_get (i32.const 131000) (i32.const 1000)))
    (call $num (i64.extend_i32_s (call $pubsub_publish (i32.const 10) (i32.const 0x7fffffff) (i32.const 0) (i32.const 0))))
    (call $log_info (i32.const 200000) (i32.const 5))
    (call $write (i32.const 1024) (i32.const 4))))
