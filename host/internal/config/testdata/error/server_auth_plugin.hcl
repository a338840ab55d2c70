# auth = "required" needs an auth plugin to check credentials.
server {
  auth          = "required"            # ERROR: Auth plugin missing
  key_cache_ttl = "0s"                  # ERROR: Invalid duration
}

plugin "cache" {
  path = "../bin/orama-plugin-cache"
}
