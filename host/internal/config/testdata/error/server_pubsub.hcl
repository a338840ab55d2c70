server {
  pubsub {
    max_frame_bytes           = 2097152  # ERROR: Invalid max_frame_bytes
    max_sockets_per_namespace = 0        # ERROR: Invalid max_sockets_per_namespace
    send_queue                = -1       # ERROR: Invalid send_queue
    ping_interval             = "soon"   # ERROR: Invalid duration
    presence_ttl              = "2h"     # ERROR: Invalid presence_ttl
    write_timeout             = "0s"     # ERROR: Invalid duration
    max_topics                = 5        # ERROR: Unsupported argument
  }
  pubsub {                               # ERROR: Duplicate pubsub block
  }
}
