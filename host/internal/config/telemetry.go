package config

import (
	"net"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Telemetry is the top-level telemetry { } block: OpenTelemetry traces
// exported with OTLP/gRPC. Absent, tracing is off.
type Telemetry struct {
	OTLPEndpoint  string  // host:port of an OTLP/gRPC receiver (port 4317 by convention)
	OTLPTLS       bool    // TLS to the receiver; false: plaintext
	SamplingRatio float64 // share of new traces kept (0..1); incoming traceparents keep their sampled flag
}

const defaultSamplingRatio = 1.0

var telemetrySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "otlp_endpoint", Required: true},
		{Name: "otlp_tls"},
		{Name: "sampling_ratio"},
	},
}

// telemetry decodes the telemetry block.
func (p *parser) telemetry(b *hcl.Block) *Telemetry {
	t := &Telemetry{SamplingRatio: defaultSamplingRatio}
	content, diags := b.Body.Content(telemetrySchema)
	p.add(explain(diags, "telemetry block", telemetrySchema)...)
	attrs := content.Attributes
	if a := attrs["otlp_endpoint"]; a != nil {
		if v, ok := p.str(a, `"127.0.0.1:4317"`); ok {
			if host, port, err := net.SplitHostPort(v); err != nil || host == "" || !validPort(port) {
				p.errorf(a.Expr.Range(), "Invalid otlp_endpoint",
					"otlp_endpoint is the host:port of an OTLP/gRPC receiver (an OpenTelemetry Collector, Jaeger or Tempo), such as \"127.0.0.1:4317\"; %q is not one.", v)
			} else {
				t.OTLPEndpoint = v
			}
		}
	}
	if a := attrs["otlp_tls"]; a != nil {
		if v, ok := p.typed(a, cty.Bool, "true or false"); ok {
			t.OTLPTLS = v.True()
		}
	}
	if a := attrs["sampling_ratio"]; a != nil {
		if v, ok := p.typed(a, cty.Number, "a number from 0 to 1, such as 0.1"); ok {
			r, _ := v.AsBigFloat().Float64()
			if r < 0 || r > 1 {
				p.errorf(a.Expr.Range(), "Invalid sampling_ratio",
					"sampling_ratio is the share of new traces kept: a number from 0 (none) to 1 (all), such as 0.1.")
			} else {
				t.SamplingRatio = r
			}
		}
	}
	return t
}

func validPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n > 0 && n < 65536
}
