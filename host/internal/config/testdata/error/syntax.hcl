server {
  listen = ":6001" cors_origins = ["*"] # ERROR: Missing newline after argument
}
