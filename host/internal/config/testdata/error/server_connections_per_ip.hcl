server {
  max_connections        = 100
  max_connections_per_ip = 200        # ERROR: Invalid max_connections_per_ip
}
