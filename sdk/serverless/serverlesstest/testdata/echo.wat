;; echo: copies stdin to stdout (the fast path). A WASI preview1 command
;; module: the smallest function that does real I/O.
(module
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0: iovec {ptr, len}; 8: nread; 12: nwritten; 1024..: the buffer
  (func (export "_start")
    (local $n i32) (local $p i32)
    (block $eof
      (loop $read
        (i32.store (i32.const 0) (i32.const 1024))
        (i32.store (i32.const 4) (i32.const 64512))
        (if (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8))
          (then unreachable))
        (local.set $n (i32.load (i32.const 8)))
        (br_if $eof (i32.eqz (local.get $n)))
        (local.set $p (i32.const 1024))
        (loop $write
          (i32.store (i32.const 0) (local.get $p))
          (i32.store (i32.const 4) (local.get $n))
          (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12))
            (then unreachable))
          (local.set $p (i32.add (local.get $p) (i32.load (i32.const 12))))
          (local.set $n (i32.sub (local.get $n) (i32.load (i32.const 12))))
          (br_if $write (i32.gt_s (local.get $n) (i32.const 0))))
        (br $read)))))
