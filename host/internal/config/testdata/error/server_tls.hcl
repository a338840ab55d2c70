server {
  tls {
    min_version = "1.1"            # ERROR: Invalid min_version
    http_listen = "80"             # ERROR: Invalid listen address
    cert_file   = "missing.pem"    # ERROR: Cannot read TLS certificate file
    key_file    = "../bin"         # ERROR: Cannot read TLS key file
    ciphers     = ["x"]            # ERROR: Unsupported argument
  }
  tls {                            # ERROR: Duplicate tls block
  }
}
