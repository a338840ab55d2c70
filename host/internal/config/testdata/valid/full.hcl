# Every attribute set, every plugin field used.
server {
  listen           = "127.0.0.1:6001"
  cors_origins     = ["https://app.example.com", "http://localhost:3000"]
  max_body_bytes   = 1048576
  max_upload_bytes = 2 * 1024 * 1024 * 1024
  shutdown_timeout = "20s"
  upgrade_wait     = "1m30s"
  request_timeout  = "500ms"
  read_header_timeout    = "5s"
  read_body_timeout      = "1m"
  idle_timeout           = "90s"
  max_connections        = 2048
  max_connections_per_ip = 64
}

node {
  id       = "node-7"
  data_dir = "/var/lib/orama"
}

plugin "cache" {
  path   = "../bin/orama-plugin-cache"
  sha256 = "29841f8b316a79b3bf6f683dad57697f9376a6dcc4cec996405aacc976831142"
  config {
    mode    = "embedded"
    peers   = ["10.0.0.2:3322", "10.0.0.3:3322"]
    size_mb = 64
    ratio   = 0.5 * 2
    tls     = { enabled = true, "ca file" = "ca.pem" }
    note    = <<-EOT
      Heredocs are literals too.
    EOT
    empty   = null
  }
}
