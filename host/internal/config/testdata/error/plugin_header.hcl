plugin { # ERROR: Missing plugin kind
  path = "../bin/orama-plugin-cache"
}

plugin "queue" { # ERROR: Unknown plugin kind
  path = "../bin/orama-plugin-cache"
}

plugin "cache" "olric" { # ERROR: Extraneous label for plugin
  path = "../bin/orama-plugin-cache"
}

server "main" { # ERROR: Extraneous label for server
}
