server {
  listen = ":6001"
}

server { # ERROR: Duplicate server block
  listen = ":6002"
}

node {}
node {} # ERROR: Duplicate node block

plugin "cache" {
  path = "../bin/orama-plugin-cache"
  config {
    mode = "embedded"
  }
  config { # ERROR: Duplicate config block
    mode = "client"
  }
}

plugin "cache" { # ERROR: Duplicate plugin block
  path = "../bin/orama-plugin-cache"
}
