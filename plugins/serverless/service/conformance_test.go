package service_test

import (
	"testing"

	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

// TestConformance runs the serverless conformance suite against one
// Service over the real SQLite database and embedded storage backends.
func TestConformance(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), nil)
	serverlesstest.Run(t, func(*testing.T) serverless.Serverless { return s })
}
