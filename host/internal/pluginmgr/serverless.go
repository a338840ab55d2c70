package pluginmgr

import (
	"context"

	"github.com/orama-network/orama/sdk/serverless"
)

// Serverless returns the serverless domain; unavailable while its plugin
// is down.
func (m *Manager) Serverless(ctx context.Context) (serverless.Serverless, error) {
	return domain[serverless.Serverless](ctx, m, serverless.Kind)
}
