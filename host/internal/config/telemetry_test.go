package config

import "testing"

func TestParseTelemetryOffByDefault(t *testing.T) {
	_, file := testDir(t)
	if tel := mustParse(t, file, "server {}\n").Telemetry; tel != nil {
		t.Errorf("telemetry without a block: %+v, want nil (off)", tel)
	}
}

func TestParseTelemetryValues(t *testing.T) {
	_, file := testDir(t)
	tel := mustParse(t, file, `telemetry {
  otlp_endpoint = "collector.internal:4317"
}
`).Telemetry
	want := Telemetry{OTLPEndpoint: "collector.internal:4317", SamplingRatio: 1}
	if tel == nil || *tel != want {
		t.Fatalf("defaults: %+v, want %+v", tel, want)
	}
	tel = mustParse(t, file, `telemetry {
  otlp_endpoint  = "[::1]:4317"
  otlp_tls       = true
  sampling_ratio = 0
}
`).Telemetry
	want = Telemetry{OTLPEndpoint: "[::1]:4317", OTLPTLS: true, SamplingRatio: 0}
	if tel == nil || *tel != want {
		t.Fatalf("values: %+v, want %+v", tel, want)
	}
}
