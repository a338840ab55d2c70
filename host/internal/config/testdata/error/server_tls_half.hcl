server {
  tls {
    min_version = 1.2
    cert_file   = "cert.pem"  # ERROR: Missing key_file
  }
}
