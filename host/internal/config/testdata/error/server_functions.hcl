server {
  functions {
    max_module_bytes = 67108864  # ERROR: Invalid max_module_bytes
    max_input_bytes  = 0         # ERROR: Invalid max_input_bytes
    invoke_timeout   = "soon"    # ERROR: Invalid duration
    deploy_timeout   = "0s"      # ERROR: Invalid duration
    max_functions    = 5         # ERROR: Unsupported argument
  }
  functions {                    # ERROR: Duplicate functions block
  }
}
