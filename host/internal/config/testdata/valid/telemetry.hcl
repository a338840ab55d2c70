# Tracing on: spans to a local OpenTelemetry Collector, one trace in ten.
telemetry {
  otlp_endpoint  = "127.0.0.1:4317"
  otlp_tls       = false
  sampling_ratio = 0.1
}
