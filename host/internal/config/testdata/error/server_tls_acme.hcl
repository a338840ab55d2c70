server {
  tls {
    acme {
      email         = "not an address"        # ERROR: Invalid email
      domains       = ["*.example.com"]        # ERROR: Invalid domain
      directory_url = "http://ca.example/dir"  # ERROR: Invalid directory_url
      challenge     = "http-01"                # ERROR: HTTP-01 needs http_listen
      ca_root_file  = "../bin/not-executable"  # ERROR: Invalid ca_root_file
      storage_dir   = ""                       # ERROR: Invalid storage_dir
      dns_provider  = "x"                      # ERROR: Unsupported argument
    }
  }
}
