server {
  tls {
    cert_file = "cert.pem"
    key_file  = "key.pem"
    acme {                    # ERROR: Conflicting TLS certificate sources
      domains = ["gw.example.com"]
    }
  }
}
