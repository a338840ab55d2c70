plugin "cache" {
  path = "../bin/orama-plugin-cache"
  config {
    mode = "embedded"
    olric { # ERROR: Unexpected block in plugin config
      peers = []
    }
    peers   = var.peers                  # ERROR: Variables not allowed
    servers = split(",", "a,b")          # ERROR: Function calls not allowed
    sizes   = [for s in [1, 2] : s * 2]  # ERROR: Expression not allowed
    nested  = { a = 1, b = [1, node.id] } # ERROR: Variables not allowed
    greet   = "hello ${name}"            # ERROR: Variables not allowed
  }
}
