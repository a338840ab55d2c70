server {
  tls {
    http_listen = ":80"
    acme {
      domains   = []                          # ERROR: Missing domains
      challenge = "http-01"
    }
  }
}
