# HTTPS with a certificate from an ACME CA, and a :80 listener for HTTP-01
# challenges and redirects.
server {
  listen = ":443"
  tls {
    min_version = "1.2"
    http_listen = ":80"
    acme {
      email         = "ops@example.com"
      domains       = ["gw.example.com", "api.example.com"]
      directory_url = "https://acme-staging-v02.api.letsencrypt.org/directory"
      challenge     = "http-01"
      storage_dir   = "/mnt/shared/orama-tls"
    }
  }
}
