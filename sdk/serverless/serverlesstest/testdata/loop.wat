;; loop: a busy loop that never ends; only the timeout stops it.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $forever (br $forever))))
