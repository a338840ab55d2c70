telemetry {                                # ERROR: Missing required argument
  sampling_ratio = 0.5
}
