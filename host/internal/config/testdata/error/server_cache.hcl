server {
  cache {
    near_cache         = "yes"   # ERROR: Incorrect attribute value type
    near_cache_bytes   = 1024    # ERROR: Invalid near_cache_bytes
    near_cache_max_age = "2m"    # ERROR: Invalid near_cache_max_age
    near_cache_entries = 5       # ERROR: Unsupported argument
    handoff_timeout    = "2h"    # ERROR: Invalid handoff_timeout
  }
  cache {                        # ERROR: Duplicate cache block
  }
}
