server {
  read_header_timeout    = "0s"       # ERROR: Invalid duration
  read_body_timeout      = "slow"     # ERROR: Invalid duration
  idle_timeout           = 60         # ERROR: Invalid duration
  max_connections        = 0          # ERROR: Invalid max_connections
}
