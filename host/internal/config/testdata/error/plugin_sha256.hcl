plugin "cache" {
  path   = "../bin/orama-plugin-cache"
  sha256 = "29841f8b316a79b3" # ERROR: Invalid sha256
}

plugin "database" {
  path   = "../bin/orama-plugin-cache"
  sha256 = "zz841f8b316a79b3bf6f683dad57697f9376a6dcc4cec996405aacc976831142" # ERROR: Invalid sha256
}

plugin "storage" {
  path   = "../bin/orama-plugin-cache"
  sha256 = "0000000000000000000000000000000000000000000000000000000000000000" # ERROR: Plugin checksum mismatch
}
