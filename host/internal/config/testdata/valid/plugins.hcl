# Several plugins, one without a config block, one with an empty one; the
# same binary may serve for tests. sha256 = null means unset.
plugin "cache" {
  path = "../bin/orama-plugin-cache"
  config {
    mode  = "embedded"
    peers = []
  }
}

plugin "database" {
  path   = "../bin/orama-plugin-cache"
  sha256 = null
}

plugin "storage" {
  path = "../bin/orama-plugin-cache"
  config {}
}
