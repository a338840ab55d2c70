package rqlite

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk"
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
	Logger      hclog.Logger
}

// Driver is the rqlite engine.
type Driver struct {
	log     hclog.Logger
	hc      *http.Client
	nodes   *nodes
	level   string
	timeout time.Duration
	retries int
	maxBody int64
	shapes  shapes

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
	d.life, d.stop = context.WithCancel(context.Background())
	discovery := &http.Client{Transport: tr, Timeout: o.Timeout}
	n, err := discover(ctx, o.Hosts, discovery, log)
	if err != nil {
		d.stop()
		tr.CloseIdleConnections()
		return nil, err
	}
	d.nodes = n
	return d, nil
}

// Health asks the nodes, first choice first, whether they are ready
// (/readyz: the node serves and knows a leader).
func (d *Driver) Health(ctx context.Context) (string, error) {
	list := d.nodes.snapshot()
	var errs []string
	for _, node := range list {
		err := d.ready(ctx, node)
		if err == nil {
			return fmt.Sprintf("rqlite %s ready; %d node(s) known; reads %s", node, len(list), d.level), nil
		}
		errs = append(errs, err.Error())
	}
	return "", sdk.Errorf(sdk.CodeUnavailable, "no rqlite node is ready: %s", strings.Join(errs, "; "))
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
	res, err := d.hc.Do(req)
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
	return nil
}
