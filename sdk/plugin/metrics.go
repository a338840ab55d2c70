package plugin

import (
	"bytes"
	"context"
	"fmt"
	"sync"

	"github.com/orama-network/orama/sdk"
	pluginv1 "github.com/orama-network/orama/sdk/gen/orama/plugin/v1"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/encoding/protodelim"
)

// registry holds the plugin process's collectors. One process serves one
// plugin, so one registry per process is the plugin's.
var registry = prometheus.NewRegistry()

// Metrics is where a plugin registers its Prometheus collectors. The host
// gathers them over the plugin connection (the Base service's Metrics) and
// serves them on its own /metrics with the label plugin="<kind>" added, so
// a plugin opens no port of its own. Families whose name the host already
// serves are dropped by the host: prefix names with orama_<domain>_.
//
// Collectors are process-wide: a package registers its metrics once (e.g.
// in a package-level var with MustRegister, or with Register, which
// tolerates a second registration of the same collector in tests).
func Metrics() prometheus.Registerer { return registry }

// Gatherer gathers what was registered on Metrics (for tests).
func Gatherer() prometheus.Gatherer { return registry }

// Register registers c on Metrics and returns it, or the equal collector
// registered before (a second store in the same test process shares the
// first one's metrics). It panics on any other registration error, which
// is a programming error (a name clash).
func Register[C prometheus.Collector](c C) C {
	err := registry.Register(c)
	if err == nil {
		return c
	}
	if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing
		}
	}
	panic("plugin.Register: " + err.Error())
}

var runtimeOnce sync.Once

// registerRuntimeMetrics adds the process and Go runtime collectors of the
// plugin process, as orama_plugin_process_* and orama_plugin_go_* (the
// host serves its own process_* and go_* unprefixed).
func registerRuntimeMetrics() {
	runtimeOnce.Do(func() {
		reg := prometheus.WrapRegistererWithPrefix("orama_plugin_", registry)
		reg.MustRegister(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
			collectors.NewGoCollector())
	})
}

// MaxMetricsBytes bounds the gathered families one plugin sends the host.
const MaxMetricsBytes = 4 << 20

// encodeFamilies writes fams as length-delimited protobuf messages.
func encodeFamilies(fams []*dto.MetricFamily) ([]byte, error) {
	var buf bytes.Buffer
	for _, f := range fams {
		if _, err := protodelim.MarshalTo(&buf, f); err != nil {
			return nil, err
		}
		if buf.Len() > MaxMetricsBytes {
			return nil, fmt.Errorf("metrics exceed %d bytes", MaxMetricsBytes)
		}
	}
	return buf.Bytes(), nil
}

// decodeFamilies reads what encodeFamilies wrote.
func decodeFamilies(b []byte) ([]*dto.MetricFamily, error) {
	r := bytes.NewReader(b)
	var out []*dto.MetricFamily
	for r.Len() > 0 {
		f := &dto.MetricFamily{}
		if err := (protodelim.UnmarshalOptions{MaxSize: MaxMetricsBytes}).UnmarshalFrom(r, f); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func (s *baseServer) Metrics(context.Context, *pluginv1.MetricsRequest) (*pluginv1.MetricsResponse, error) {
	fams, err := registry.Gather()
	if err != nil && len(fams) == 0 {
		return nil, sdk.ToGRPC(sdk.Errorf(sdk.CodeInternal, "gather metrics: %v", err))
	}
	b, err := encodeFamilies(fams)
	if err != nil {
		return nil, sdk.ToGRPC(sdk.Errorf(sdk.CodeInternal, "encode metrics: %v", err))
	}
	return &pluginv1.MetricsResponse{Families: b}, nil
}

// Metrics gathers the plugin's metric families (host side). A plugin
// built before the Metrics call existed answers unimplemented.
func (c *BaseClient) Metrics(ctx context.Context) ([]*dto.MetricFamily, error) {
	if err := c.Alive(); err != nil {
		return nil, err
	}
	resp, err := c.base.Metrics(ctx, &pluginv1.MetricsRequest{})
	if err != nil {
		return nil, sdk.FromGRPC(err)
	}
	fams, err := decodeFamilies(resp.Families)
	if err != nil {
		return nil, sdk.Errorf(sdk.CodeInternal, "decode plugin metrics: %v", err)
	}
	return fams, nil
}
