package telemetry

import (
	"fmt"
	"os"
	"strconv"
)

// Config is where spans go and how many are kept. The zero Config (no
// Endpoint) is tracing off.
type Config struct {
	// Endpoint is the host:port of an OTLP/gRPC receiver (an
	// OpenTelemetry Collector, Jaeger, Tempo …), usually port 4317.
	Endpoint string
	// TLS connects to Endpoint with TLS (the system's roots); false
	// sends plaintext, as to a collector on the same host.
	TLS bool
	// SamplingRatio is the share of new traces kept, from 0 to 1. A
	// request that arrives with a traceparent follows its sampled flag.
	SamplingRatio float64
}

// Enabled reports whether c turns tracing on.
func (c Config) Enabled() bool { return c.Endpoint != "" }

// Environment variables that carry a Config from the host to the plugins
// it launches.
const (
	EnvEndpoint = "ORAMA_OTLP_ENDPOINT"
	EnvTLS      = "ORAMA_OTLP_TLS"
	EnvRatio    = "ORAMA_TRACE_SAMPLING_RATIO"
)

// Environ returns c as environment variables for a plugin's process; none
// when tracing is off.
func (c Config) Environ() []string {
	if !c.Enabled() {
		return nil
	}
	return []string{
		EnvEndpoint + "=" + c.Endpoint,
		EnvTLS + "=" + strconv.FormatBool(c.TLS),
		EnvRatio + "=" + strconv.FormatFloat(c.SamplingRatio, 'g', -1, 64),
	}
}

// FromEnv reads the Config Environ wrote. Without EnvEndpoint it is the
// zero Config (tracing off); a malformed value is an error.
func FromEnv() (Config, error) {
	c := Config{Endpoint: os.Getenv(EnvEndpoint), SamplingRatio: 1}
	if !c.Enabled() {
		return Config{}, nil
	}
	if v := os.Getenv(EnvTLS); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return Config{}, fmt.Errorf("%s=%q: want true or false", EnvTLS, v)
		}
		c.TLS = b
	}
	if v := os.Getenv(EnvRatio); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r < 0 || r > 1 {
			return Config{}, fmt.Errorf("%s=%q: want a number from 0 to 1", EnvRatio, v)
		}
		c.SamplingRatio = r
	}
	return c, nil
}
