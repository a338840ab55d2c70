server {
  auth            = "optional"          # ERROR: Invalid auth mode
  key_cache_ttl   = "10m"               # ERROR: Invalid key_cache_ttl
  trusted_proxies = ["10.0.0.0/33"]     # ERROR: Invalid trusted proxy

  rate_limit "everything" {             # ERROR: Unknown rate limit group
    requests_per_second = 1
  }
  rate_limit "cache" {
    requests_per_second = -1            # ERROR: Invalid rate limit
    burst               = 0             # ERROR: Invalid rate limit
    ip_burst            = 1.5           # ERROR: Incorrect attribute value type
    per_ip              = 3             # ERROR: Unsupported argument
  }
  rate_limit "cache" {                  # ERROR: Duplicate rate_limit block
    requests_per_second = 1
  }
  rate_limit "database" {               # ERROR: Missing required argument
    burst = 10
  }
  rate_limit "storage" {
    requests_per_second = "fast"        # ERROR: Incorrect attribute value type
  }
  rate_limit {                          # ERROR: Missing rate limit group
    requests_per_second = 1
  }
}
