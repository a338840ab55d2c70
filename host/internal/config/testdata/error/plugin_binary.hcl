plugin "cache" { # ERROR: Missing plugin path
}

plugin "database" {
  path = "../bin/orama-plugin-database" # ERROR: Plugin binary not found
}

plugin "storage" {
  path = "../bin/not-executable" # ERROR: Plugin binary not executable
}

plugin "pubsub" {
  path = "../bin/a-directory" # ERROR: Plugin path is a directory
}

plugin "auth" {
  path = "" # ERROR: Missing plugin path
}

plugin "serverless" {
  path = ["../bin/orama-plugin-cache"] # ERROR: Incorrect attribute value type
}
