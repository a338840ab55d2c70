package service

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/pubsub"
)

// Version is the plugin's version, set with -ldflags
// "-X github.com/orama-network/orama/plugins/pubsub/service.Version=…".
var Version = "dev"

// Service is the pubsub.Backend of the plugin. New returns an idle
// Service; Configure starts its driver.
type Service struct {
	log hclog.Logger

	cur plugin.State[running] // nil before Configure and after Close

	dropped     atomic.Uint64 // messages full subscription buffers refused
	lastDropLog atomic.Int64  // Unix ms of the last warning about drops
}

// running is a configured Service.
type running struct {
	name string // the driver's
	d    Driver
}

var _ pubsub.Backend = (*Service)(nil)

// New returns an unconfigured Service that logs to log (nil: no logs).
func New(log hclog.Logger) *Service {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	return &Service{log: log}
}

// Info names the implementation; it works before Configure.
func (s *Service) Info(context.Context) (plugin.Info, error) {
	return plugin.Info{Kind: pubsub.Kind, Name: "orama-pubsub", Version: Version}, nil
}

// ValidateConfig checks cfg without side effects.
func (s *Service) ValidateConfig(_ context.Context, cfg plugin.Config) error {
	_, err := ParseConfig(cfg)
	return err
}

// Configure validates cfg, creates the plugin's data directory and starts
// the driver. Errors: a plugin.ConfigError, unavailable when the driver
// cannot start, conflict when already configured.
func (s *Service) Configure(ctx context.Context, cfg plugin.Config) error {
	c, err := ParseConfig(cfg)
	if err != nil {
		return err
	}
	return s.cur.Configure(pubsub.Kind, func() (*running, error) {
		name := cfg.Name
		if name == "" {
			name = pubsub.Kind
		}
		env := Env{Name: name, NodeID: cfg.NodeID, Log: s.log.Named(c.Driver), OnDrop: s.onDrop}
		if cfg.DataDir != "" {
			env.DataDir = filepath.Join(cfg.DataDir, name)
			if err := os.MkdirAll(env.DataDir, 0o700); err != nil {
				return nil, sdk.Errorf(sdk.CodeUnavailable, "create the plugin's data directory: %v", err)
			}
		}
		d, err := drivers[c.Driver].start(ctx, c, env)
		if err != nil {
			return nil, startError(c.Driver, err)
		}
		s.log.Info("pubsub ready", "driver", c.Driver)
		return &running{name: c.Driver, d: d}, nil
	})
}

// startError keeps a ConfigError and an error with a code other than
// internal; anything else becomes unavailable.
func startError(driver string, err error) error {
	var ce plugin.ConfigError
	if errors.As(err, &ce) {
		return ce
	}
	e := sdk.AsError(err)
	code := e.Code
	if code == sdk.CodeInternal {
		code = sdk.CodeUnavailable
	}
	return sdk.Errorf(code, "start the %s driver: %s", driver, e.Message)
}

// Health reports the driver's health, and how many messages were dropped
// for slow subscribers so far.
func (s *Service) Health(ctx context.Context) (plugin.Health, error) {
	r := s.cur.Load()
	if r == nil {
		return plugin.Health{Detail: "not configured"}, nil
	}
	h, err := r.d.Health(ctx)
	if err != nil {
		return plugin.Health{Driver: r.name, Detail: sdk.AsError(err).Message}, nil
	}
	if n := s.dropped.Load(); n > 0 {
		drops := fmt.Sprintf("%d messages dropped for slow subscribers", n)
		if h.Detail == "" {
			h.Detail = drops
		} else {
			h.Detail += "; " + drops
		}
	}
	return h, nil
}

// Close stops the driver. It is a no-op before Configure, after a failed
// Configure and when called again.
func (s *Service) Close(ctx context.Context) error {
	return s.cur.Close(func(r *running) error { return r.d.Close(ctx) })
}

// dropLogEvery bounds the warnings about drops to one per period.
const dropLogEvery = 10 * time.Second

func (s *Service) onDrop(namespace, topic string) {
	n := s.dropped.Add(1)
	metricDropped.Inc()
	now := time.Now().UnixMilli()
	last := s.lastDropLog.Load()
	if now-last >= dropLogEvery.Milliseconds() && s.lastDropLog.CompareAndSwap(last, now) {
		s.log.Warn("a subscriber does not keep up; dropping messages for it", "namespace", namespace, "topic", topic, "dropped_total", n)
	}
}

// driver returns the running driver. Errors: unavailable before
// Configure and after Close.
func (s *Service) driver() (Driver, error) {
	r, err := s.cur.Current(pubsub.Kind)
	if err != nil {
		return nil, err
	}
	return r.d, nil
}
