server {
  listen         = ":http"           # ERROR: Invalid listen address
  max_body_bytes = 1.5               # ERROR: Incorrect attribute value type
  max_upload_bytes = -1              # ERROR: Invalid max_upload_bytes
  cors_origins   = ["*", null]       # ERROR: Invalid list element
}
