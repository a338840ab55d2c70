server {
  listen           = "6001"          # ERROR: Invalid listen address
  cors_origins     = "*"             # ERROR: Incorrect attribute value type
  max_body_bytes   = 0               # ERROR: Invalid max_body_bytes
  shutdown_timeout = "15 seconds"    # ERROR: Invalid duration
  upgrade_wait     = "-1s"           # ERROR: Invalid duration
  request_timeout  = 30              # ERROR: Invalid duration
}

node {
  id       = ""                      # ERROR: Invalid node id
  data_dir = upper("data")           # ERROR: Function calls not allowed
}
