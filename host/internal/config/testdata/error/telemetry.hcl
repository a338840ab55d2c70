telemetry {
  otlp_endpoint  = "http://collector:4317" # ERROR: Invalid otlp_endpoint
  otlp_tls       = "yes"                   # ERROR: Incorrect attribute value type
  sampling_ratio = 1.5                     # ERROR: Invalid sampling_ratio
  otlp_headers   = {}                      # ERROR: Unsupported argument
}
telemetry {                                # ERROR: Duplicate telemetry block
}
