servers { # ERROR: Unsupported block type
}

listen = ":6001" # ERROR: Unsupported argument

server {
  lisen = ":6001" # ERROR: Unsupported argument
  ssl {           # ERROR: Unsupported block type
  }
}

node {
  name = "node-1" # ERROR: Unsupported argument
}

plugin "cache" {
  path     = "../bin/orama-plugin-cache"
  checksum = "29841f8b316a79b3bf6f683dad57697f9376a6dcc4cec996405aacc976831142" # ERROR: Unsupported argument
  configs { # ERROR: Unsupported block type
  }
}
