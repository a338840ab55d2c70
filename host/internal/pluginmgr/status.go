package pluginmgr

import (
	"time"

	"github.com/orama-network/orama/sdk/plugin"
)

// State is where a supervised plugin is in its life.
type State string

// Plugin states.
const (
	StateStarting   State = "starting"   // launching, configuring, first ping
	StateRunning    State = "running"    // healthy and serving
	StateDegraded   State = "degraded"   // serving, but its backend or a dependency is not ok
	StateRestarting State = "restarting" // crashed; waiting for backoff or relaunching
	StateUpgrading  State = "upgrading"  // a new binary is starting beside the old one
	StateStopped    State = "stopped"    // shut down by the host
	StateFailed     State = "failed"     // cannot start (bad binary or config); retried with backoff
)

// Status is what /health, /v1/status and the metrics show of one plugin.
type Status struct {
	Name     string `json:"-"`        // block label in config.hcl
	Kind     string `json:"-"`        // domain
	State    State  `json:"status"`   // see State
	PID      int    `json:"pid"`      // 0 when not running
	Restarts int    `json:"restarts"` // crash restarts since the host started
	// ScrapeErrors counts gatherings of the plugin's metrics that failed
	// or timed out since the host started (orama_plugin_scrape_errors_total).
	ScrapeErrors int       `json:"-"`
	Version      string    `json:"version"` // the plugin's Info().Version
	Driver       string    `json:"driver"`  // backend driver from Health
	Healthy      bool      `json:"healthy"` // the last readiness probe answered OK
	Detail       string    `json:"detail,omitempty"`
	Since        time.Time `json:"since"` // when State last changed
	// Peers are the backend's cluster members from the last readiness
	// probe that answered (for /v1/network).
	Peers []plugin.Peer `json:"-"`
	// Hand-offs of the cache plugin's entries on upgrades (handoff.go).
	Handoffs       int    `json:"handoffs,omitempty"`        // hand-offs finished, whatever their result
	HandoffResult  string `json:"handoff_result,omitempty"`  // the last one's: moved, unsupported, timeout, failed
	HandoffMoved   int64  `json:"handoff_moved,omitempty"`   // entries the last one moved
	HandoffDropped int64  `json:"handoff_dropped,omitempty"` // entries dropped by timeouts and failures, all told
}

// Up reports whether the plugin can take traffic. A degraded plugin does:
// its process answers, only its backend or a dependency is not ok, and its
// calls fail with their own clear errors.
func (s Status) Up() bool {
	return s.State == StateRunning || s.State == StateDegraded || s.State == StateUpgrading
}
