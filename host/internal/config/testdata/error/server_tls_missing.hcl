# A tls block needs a certificate: files or acme.
server {
  tls {                       # ERROR: Missing TLS certificate
    min_version = "1.2"
  }
}
