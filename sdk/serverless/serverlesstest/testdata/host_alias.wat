;; host_alias: every host function imported from the alias module "host"
;; (so its signatures are all checked under that name); buffers come back
;; through malloc (no orama_alloc). On stdout, one line each:
;; get_request_id, get_env("GREETING"), cache_incr_by("counter", 7),
;; pubsub_publish("events", "hi").
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "host" "get_caller_wallet" (func $get_caller_wallet (result i64)))
  (import "host" "get_request_id" (func $get_request_id (result i64)))
  (import "host" "get_env" (func $get_env (param i32 i32) (result i64)))
  (import "host" "get_secret" (func $get_secret (param i32 i32) (result i64)))
  (import "host" "db_query" (func $db_query (param i32 i32 i32 i32) (result i64)))
  (import "host" "db_execute" (func $db_execute (param i32 i32 i32 i32) (result i32)))
  (import "host" "cache_get" (func $cache_get (param i32 i32) (result i64)))
  (import "host" "cache_set" (func $cache_set (param i32 i32 i32 i32 i64)))
  (import "host" "cache_incr" (func $cache_incr (param i32 i32) (result i64)))
  (import "host" "cache_incr_by" (func $cache_incr_by (param i32 i32 i64) (result i64)))
  (import "host" "http_fetch" (func $http_fetch (param i32 i32 i32 i32 i32 i32 i32 i32) (result i64)))
  (import "host" "pubsub_publish" (func $pubsub_publish (param i32 i32 i32 i32) (result i32)))
  (import "host" "log_info" (func $log_info (param i32 i32)))
  (import "host" "log_error" (func $log_error (param i32 i32)))
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
  ;; malloc(n): a bump allocator over the heap
  (func (export "malloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $n)))
    (local.get $p))
  (data (i32.const 1024) "GREETING") ;; greeting: 8 bytes
  (data (i32.const 1088) "counter") ;; counter: 7 bytes
  (data (i32.const 1152) "events") ;; topic: 6 bytes
  (data (i32.const 1216) "hi") ;; data: 2 bytes
  (func (export "_start")
    (call $line (call $get_request_id))
    (call $line (call $get_env (i32.const 1024) (i32.const 8)))
    (call $num (call $cache_incr_by (i32.const 1088) (i32.const 7) (i64.const 7)))
    (call $num (i64.extend_i32_s (call $pubsub_publish (i32.const 1152) (i32.const 6) (i32.const 1216) (i32.const 2))))))
