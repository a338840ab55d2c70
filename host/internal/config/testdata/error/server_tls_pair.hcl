server {
  tls {
    cert_file = "../bin/not-executable"  # ERROR: Invalid TLS key pair
    key_file  = "../bin/not-executable"
  }
}
