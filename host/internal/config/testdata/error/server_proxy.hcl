server {
  proxy {
    enabled            = "maybe"       # ERROR: Incorrect attribute value type
    socks5             = "no-port"     # ERROR: Invalid socks5
    allow              = ["nonsense"]  # ERROR: Invalid allow entry
    timeout            = "0s"          # ERROR: Invalid duration
    max_response_bytes = 20971520      # ERROR: Invalid max_response_bytes
    upstream           = "x"           # ERROR: Unsupported argument
  }
  proxy {                              # ERROR: Duplicate proxy block
  }
}
