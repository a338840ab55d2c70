;; not_command: a valid module with no _start export (not a WASI command).
(module
  (memory (export "memory") 1)
  (func (export "run") (result i32) (i32.const 42)))
