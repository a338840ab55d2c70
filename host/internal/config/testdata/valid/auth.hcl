# Authentication with an auth plugin, trusted proxies and rate limits.
server {
  auth            = "required"
  key_cache_ttl   = "2s"
  trusted_proxies = ["10.0.0.0/8", "192.0.2.1", "fd00::/8"]

  rate_limit "default" {
    requests_per_second = 100
    burst               = 200
  }
  rate_limit "auth" {
    requests_per_second    = 5
    ip_requests_per_second = 0.5
    ip_burst               = 3
  }
  rate_limit "functions" {
    requests_per_second = 0 # no per-credential limit
    burst               = null
  }
}

plugin "auth" {
  path = "../bin/orama-plugin-cache"
  config {
    issuer   = "orama"
    audience = "orama-gateway"
  }
}
