;; missing_import: imports env.no_such_function, which no host provides;
;; deploying it must fail naming that import.
(module
  (import "env" "no_such_function" (func $nope))
  (memory (export "memory") 1)
  (func (export "_start") (call $nope)))
