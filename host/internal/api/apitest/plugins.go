package apitest

import (
	"context"
	"sync"
	"time"

	"github.com/orama-network/orama/host/internal/pluginmgr"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/storage"
)

// Plugins implements the server's Plugins over the fakes. Tests change
// its fields holding Mu once requests may be in flight.
type Plugins struct {
	Mu        sync.Mutex
	CacheFake *FakeCache
	CacheDown bool // Cache answers unavailable
	DBFake    *FakeDB
	DBDown    bool // Database answers unavailable
	AuthFake  *FakeAuth
	AuthDown  bool // Auth answers unavailable
	// PubSubFake is the pubsub domain; PubSubDown makes PubSub answer
	// unavailable (with KillSubscriptions: a plugin that is restarting).
	PubSubFake *FakePubSub
	PubSubDown bool
	// FnFake is the serverless domain; FnDown makes Serverless answer
	// unavailable (a plugin that is gone or restarting).
	FnFake    *FakeServerless
	FnDown    bool
	StatusMap map[string]pluginmgr.Status

	Store storage.Storage // nil: Storage answers unavailable
}

func (p *Plugins) Cache(ctx context.Context) (cache.Cache, error) {
	p.Mu.Lock()
	defer p.Mu.Unlock()
	if p.CacheDown || p.CacheFake == nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "cache plugin is restarting")
	}
	return p.CacheFake, nil
}

func (p *Plugins) Database(ctx context.Context) (database.Database, error) {
	p.Mu.Lock()
	defer p.Mu.Unlock()
	if p.DBDown || p.DBFake == nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "database plugin is restarting")
	}
	return p.DBFake, nil
}

func (p *Plugins) Auth(ctx context.Context) (auth.Auth, error) {
	p.Mu.Lock()
	defer p.Mu.Unlock()
	if p.AuthDown || p.AuthFake == nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "auth plugin is restarting")
	}
	return p.AuthFake, nil
}

func (p *Plugins) Statuses() map[string]pluginmgr.Status {
	p.Mu.Lock()
	defer p.Mu.Unlock()
	out := make(map[string]pluginmgr.Status, len(p.StatusMap))
	for k, v := range p.StatusMap {
		out[k] = v
	}
	return out
}

func RunningCache() pluginmgr.Status {
	return pluginmgr.Status{Name: "cache", Kind: "cache", State: pluginmgr.StateRunning, PID: 4242,
		Restarts: 2, Version: "1.2.3", Driver: "memory", Healthy: true, Since: time.Now()}
}

// Storage returns Store, or unavailable while it is nil.
func (p *Plugins) Storage(ctx context.Context) (storage.Storage, error) {
	p.Mu.Lock()
	defer p.Mu.Unlock()
	if p.Store == nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "storage plugin is restarting")
	}
	return p.Store, nil
}
