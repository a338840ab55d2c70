package config

import (
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/orama-network/orama/sdk/serverless"
)

// Functions is the server's functions { } block: the host's bounds of the
// serverless routes. Every field has a default. (The plugin's own limits
// — concurrency, output, its module size — are in its config block.)
type Functions struct {
	MaxModuleBytes int64         // a deployed module the host reads (at most serverless.MaxModuleBytes); larger: 413
	MaxInputBytes  int64         // an invocation's body or WebSocket frame (at most serverless.MaxInputBytes); larger: 413 / 1009
	InvokeTimeout  time.Duration // how long the host waits for one invocation's answer (the plugin enforces each function's timeout: 504)
	DeployTimeout  time.Duration // how long the host waits for a deploy (the plugin compiles the module)
	WSIdleTimeout  time.Duration // a function WebSocket without a frame for this long is closed
}

const (
	defaultFnInvokeTimeout = time.Duration(serverless.MaxTimeout+30) * time.Second
	defaultFnDeployTimeout = 2 * time.Minute
	defaultFnWSIdle        = 10 * time.Minute
)

func defaultFunctions() Functions {
	return Functions{MaxModuleBytes: serverless.MaxModuleBytes, MaxInputBytes: serverless.MaxInputBytes,
		InvokeTimeout: defaultFnInvokeTimeout, DeployTimeout: defaultFnDeployTimeout, WSIdleTimeout: defaultFnWSIdle}
}

var functionsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "max_module_bytes"},
		{Name: "max_input_bytes"},
		{Name: "invoke_timeout"},
		{Name: "deploy_timeout"},
		{Name: "ws_idle_timeout"},
	},
}

// serverFunctions decodes the server's functions block (at most one).
func (p *parser) serverFunctions(content *hcl.BodyContent, s *Server) {
	if b := p.singleBlock(content, "functions"); b != nil {
		p.functions(b, &s.Functions)
	}
}

// functions decodes one functions block into f, which holds the defaults.
func (p *parser) functions(b *hcl.Block, f *Functions) {
	content, diags := b.Body.Content(functionsSchema)
	p.add(explain(diags, "functions block", functionsSchema)...)
	attrs := content.Attributes
	for _, c := range []struct {
		name, example, what string
		max                 int64
		dst                 *int64
	}{
		{"max_module_bytes", "33554432", "a deployed module", serverless.MaxModuleBytes, &f.MaxModuleBytes},
		{"max_input_bytes", "1048576", "an invocation's input", serverless.MaxInputBytes, &f.MaxInputBytes},
	} {
		a := attrs[c.name]
		if a == nil {
			continue
		}
		if v, ok := p.int64(a, c.example); ok {
			if v <= 0 || v > c.max {
				p.errorf(a.Expr.Range(), "Invalid "+c.name,
					"%s bounds %s; it must be from 1 to %d bytes (the default).", c.name, c.what, c.max)
			} else {
				*c.dst = v
			}
		}
	}
	for _, d := range []struct {
		name, example string
		dst           *time.Duration
	}{
		{"invoke_timeout", "330s", &f.InvokeTimeout},
		{"deploy_timeout", "2m", &f.DeployTimeout},
		{"ws_idle_timeout", "10m", &f.WSIdleTimeout},
	} {
		if a := attrs[d.name]; a != nil {
			if v, ok := p.duration(a, d.example); ok {
				*d.dst = v
			}
		}
	}
}
