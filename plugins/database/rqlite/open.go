package rqlite

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
)

// Consistency levels of reads (rqlite's "level").
var Levels = []string{"none", "weak", "strong", "linearizable"}

// Options configure the driver.
type Options struct {
	Hosts       []string      // HTTP API URLs, e.g. http://127.0.0.1:4001
	Consistency string        // one of Levels
	Timeout     time.Duration // bound on one HTTP request
	Retries     int           // further nodes to try (see the package doc)
	MaxBody     int64         // bound on one response body, in bytes
	// InFlight is how many requests of one kind (typed reads, plain
	// writes) may be on their way before further single-statement calls
	// queue and are merged into one request (coalesce.go); 0 sends every
	// call alone.
	InFlight int
	// Share is how many statements of one tenant (driver.Stmt.Tenant) may
	// be on their way at once in a lane (coalesce.go); the tenant's others
	// wait for those to come back. 0: no bound.
	Share  int
	Logger hclog.Logger
}

// Driver is the rqlite engine.
type Driver struct {
	log     hclog.Logger
	hc      *http.Client
	health  *http.Client // Health only: its own connections, never queued behind statements
	nodes   *nodes
	level   string
	timeout time.Duration
	retries int
	maxBody int64
	shapes  shapes
	lanes   lanes // merged single-statement calls (coalesce.go)

	foreignKeys bool // the cluster enforces FOREIGN KEY constraints (rqlited -fk)

	life context.Context // ends at Close: requests in flight fail
	stop context.CancelFunc
}

var _ driver.Driver = (*Driver)(nil)

// Open reaches the cluster through one of o.Hosts and learns its nodes.
func Open(ctx context.Context, o Options) (*Driver, error) {
	log := o.Logger
	if log == nil {
		log = hclog.NewNullLogger()
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	d := &Driver{
		log:     log,
		hc:      &http.Client{Transport: tr},
		level:   o.Consistency,
		timeout: o.Timeout,
		retries: o.Retries,
		maxBody: o.MaxBody,
	}
	d.lanes.init(d, o.InFlight, o.Share)
	htr := http.DefaultTransport.(*http.Transport).Clone()
	htr.MaxIdleConnsPerHost = 2
	d.health = &http.Client{Transport: htr}
	d.life, d.stop = context.WithCancel(context.Background())
	discovery := &http.Client{Transport: tr, Timeout: o.Timeout}
	n, err := discover(ctx, o.Hosts, discovery, log)
	if err != nil {
		d.stop()
		tr.CloseIdleConnections()
		htr.CloseIdleConnections()
		return nil, err
	}
	d.nodes = n
	d.foreignKeys = d.checkForeignKeys(ctx)
	go d.watchLeader()
	return d, nil
}

// checkForeignKeys reports whether the cluster enforces FOREIGN KEY
// constraints, as the sqlite driver does. rqlited does only when started
// with -fk; without it, the driver warns (and Health says so).
func (d *Driver) checkForeignKeys(ctx context.Context) bool {
	c := driver.NewCollector(driver.Limits{MaxRows: 1, MaxBytes: 1 << 10})
	resp, err := d.send(ctx, "/db/query", d.readParams(ctx, false), false,
		[]item{{driver.Stmt{SQL: "PRAGMA foreign_keys", ReadOnly: true}, modePlain, -1}}, c)
	if err == nil {
		var res *result
		if res, err = only(resp, 0, 1); err == nil && len(res.rows) == 1 && len(res.rows[0]) == 1 && res.rows[0][0] == int64(1) {
			return true
		}
	}
	d.log.Warn("rqlite does not enforce FOREIGN KEY constraints: start every rqlited with -fk", "error", err)
	return false
}

// Health asks the nodes, first choice first, whether they are ready
// (/readyz: the node serves and knows a leader). It uses an HTTP client
// of its own, so it never waits for a connection that statements hold.
func (d *Driver) Health(ctx context.Context) (string, error) {
	list := d.nodes.snapshot()
	var errs []string
	for _, node := range list {
		err := d.ready(ctx, node)
		if err == nil {
			detail := fmt.Sprintf("rqlite %s ready; %d node(s) known; reads %s", node, len(list), d.level)
			if !d.foreignKeys {
				detail += "; FOREIGN KEY constraints not enforced (start rqlited with -fk)"
			}
			return detail, nil
		}
		errs = append(errs, err.Error())
	}
	return "", sdk.Errorf(sdk.CodeUnavailable, "no rqlite node is ready: %s", strings.Join(errs, "; "))
}

// Peers lists the rqlite nodes the driver knows (the cluster's, as
// discovered and refreshed, then the configured hosts), by address.
func (d *Driver) Peers() []plugin.Peer {
	list := d.nodes.snapshot()
	out := make([]plugin.Peer, 0, len(list))
	for _, node := range list {
		id := node
		if u, err := url.Parse(node); err == nil {
			id = u.Host
		}
		out = append(out, plugin.Peer{ID: id, Addr: node})
	}
	return out
}

func (d *Driver) ready(ctx context.Context, node string) error {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, node+"/readyz", nil)
	if err != nil {
		return err
	}
	if d.nodes.user != nil {
		pw, _ := d.nodes.user.Password()
		req.SetBasicAuth(d.nodes.user.Username(), pw)
	}
	res, err := d.health.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %v", node, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s %s", node, res.Status, shortBody(res.Body))
	}
	return nil
}

// Close forgets the cluster; requests in flight fail.
func (d *Driver) Close() error {
	d.stop()
	d.nodes.close()
	d.hc.CloseIdleConnections()
	d.health.CloseIdleConnections()
	return nil
}
