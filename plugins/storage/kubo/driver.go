package kubo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ipfs/kubo/client/rpc"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/orama-network/orama/plugins/storage/cluster"
	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
)

// Options configure a Driver.
type Options struct {
	API        string        // kubo RPC API: multiaddr or http(s) URL
	Cluster    string        // IPFS Cluster REST API URL; "" pins on kubo itself
	CIDVersion int           // 0 or 1
	Timeout    time.Duration // bound of each call, and of a stall in a stream
}

// Driver stores content on a kubo node.
type Driver struct {
	opts    Options
	api     *rpc.HttpApi
	base    string // the API's URL, for the calls made without api
	http    *http.Client
	cluster *cluster.Client // nil without a cluster
	peerID  string          // the kubo node's peer id
}

var _ driver.Driver = (*Driver)(nil)

// ParseAPI checks an API address: a TCP multiaddr such as
// /ip4/127.0.0.1/tcp/5001 or an http(s) URL such as http://127.0.0.1:5001.
func ParseAPI(s string) error {
	_, err := apiURL(s)
	return err
}

func apiURL(s string) (string, error) {
	if strings.HasPrefix(s, "/") {
		m, err := ma.NewMultiaddr(s)
		if err != nil {
			return "", fmt.Errorf("not a valid multiaddr: %v", err)
		}
		host, port := "", ""
		ma.ForEach(m, func(c ma.Component) bool {
			switch c.Protocol().Code {
			case ma.P_IP4, ma.P_DNS, ma.P_DNS4, ma.P_DNS6:
				host = c.Value()
			case ma.P_IP6:
				host = "[" + c.Value() + "]"
			case ma.P_TCP:
				port = c.Value()
			}
			return true
		})
		if host == "" || port == "" {
			return "", errors.New("must be a TCP multiaddr such as /ip4/127.0.0.1/tcp/5001")
		}
		return "http://" + host + ":" + port, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return "", errors.New(`must be a multiaddr such as "/ip4/127.0.0.1/tcp/5001" or a URL such as "http://127.0.0.1:5001"`)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// Open connects to kubo (and the cluster) and checks that they answer
// within the timeout. Errors: unavailable.
func Open(ctx context.Context, opts Options) (*Driver, error) {
	base, err := apiURL(opts.API)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: opts.Timeout}).DialContext,
		ResponseHeaderTimeout: opts.Timeout,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
	}}
	api, err := rpc.NewURLApiWithClient(base, hc)
	if err != nil {
		return nil, err
	}
	d := &Driver{opts: opts, api: api, base: base, http: hc}
	if opts.Cluster != "" {
		if d.cluster, err = cluster.New(opts.Cluster, opts.Timeout); err != nil {
			return nil, err
		}
	}
	id, err := d.id(ctx)
	if err != nil {
		return nil, err
	}
	d.peerID = id.ID
	if d.cluster != nil {
		if _, err := d.cluster.ID(ctx); err != nil {
			return nil, err
		}
	}
	return d, nil
}

type kuboID struct {
	ID           string
	AgentVersion string
}

func (d *Driver) id(ctx context.Context) (kuboID, error) {
	ctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	var id kuboID
	if err := d.api.Request("id").Exec(ctx, &id); err != nil {
		return kuboID{}, sdk.Errorf(sdk.CodeUnavailable, "kubo at %s: %v", d.opts.API, err)
	}
	return id, nil
}

// Hold is a no-op: kubo runs its own GC.
func (d *Driver) Hold() (release func()) { return func() {} }

// Health asks kubo (and the cluster) who they are.
func (d *Driver) Health(ctx context.Context) plugin.Health {
	h := plugin.Health{Driver: "kubo"}
	id, err := d.id(ctx)
	if err != nil {
		h.Detail = err.Error()
		return h
	}
	h.Detail = fmt.Sprintf("%s peer %s at %s", id.AgentVersion, id.ID, d.opts.API)
	if d.cluster != nil {
		h.Driver = "kubo+cluster"
		cid, err := d.cluster.ID(ctx)
		if err != nil {
			h.Detail += "; " + err.Error()
			return h
		}
		h.Detail += fmt.Sprintf("; ipfs-cluster %s peer %s (%d peers) at %s", cid.Version, cid.ID, len(cid.ClusterPeers), d.cluster.URL())
	}
	h.OK = true
	return h
}

// Close releases idle connections.
func (d *Driver) Close(context.Context) error {
	d.http.CloseIdleConnections()
	return nil
}
