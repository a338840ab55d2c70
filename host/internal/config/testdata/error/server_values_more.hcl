server {
  listen         = ":http"           # ERROR: Invalid listen address
  max_body_bytes = 1.5               # ERROR: Incorrect attribute value type
  cors_origins   = ["*", null]       # ERROR: Invalid list element
}
