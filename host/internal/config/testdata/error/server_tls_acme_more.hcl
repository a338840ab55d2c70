server {
  tls {
    acme {                  # ERROR: Missing required argument
      challenge = "dns-01"  # ERROR: Invalid challenge
    }
    acme {                  # ERROR: Duplicate acme block
    }
  }
}
