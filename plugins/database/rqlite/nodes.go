package rqlite

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/go-hclog"
	"github.com/rqlite/gorqlite"
)

// nodes is the cluster's node list, the node to try first in front. It is
// refreshed from the cluster (through gorqlite) after a node failed.
type nodes struct {
	log    hclog.Logger
	scheme string        // "http" or "https", from hosts
	user   *url.Userinfo // credentials from hosts, sent to every node

	mu   sync.Mutex
	list []string // base URLs: scheme://host:port
	conn *gorqlite.Connection

	refreshing atomic.Bool
	refreshed  chan struct{} // tests: signalled after each refresh
}

// baseURL parses a hosts entry into scheme://host:port and its userinfo.
func baseURL(s string) (base string, user *url.Userinfo, err error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", nil, fmt.Errorf("scheme must be http or https")
	}
	if u.Hostname() == "" || u.Port() == "" {
		return "", nil, fmt.Errorf("needs a host and a port, e.g. http://127.0.0.1:4001")
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return "", nil, fmt.Errorf("must not have a path or query")
	}
	return u.Scheme + "://" + u.Host, u.User, nil
}

// discover tries hosts in turn until gorqlite reaches the cluster through
// one of them; the node list is the cluster's nodes, leader first, then
// the configured hosts gorqlite did not report.
func discover(ctx context.Context, hosts []string, hc *http.Client, log hclog.Logger) (*nodes, error) {
	n := &nodes{log: log, refreshed: make(chan struct{}, 1)}
	var errs []error
	for _, h := range hosts {
		base, user, err := baseURL(h)
		if err != nil {
			return nil, fmt.Errorf("host %q: %w", h, err)
		}
		if n.scheme == "" {
			n.scheme = strings.SplitN(base, "://", 2)[0]
		}
		if n.user == nil && user != nil {
			n.user = user
		}
		n.list = appendNew(n.list, base)
	}
	for _, h := range hosts {
		conn, peers, err := openGorqlite(ctx, h, hc)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", redact(h), err))
			continue
		}
		n.conn = conn
		n.adopt(peers)
		return n, nil
	}
	return nil, fmt.Errorf("no rqlite node answered: %w", errors.Join(errs...))
}

// openGorqlite opens a gorqlite connection (which reads /status and
// /nodes) and lists its peers, within ctx.
func openGorqlite(ctx context.Context, host string, hc *http.Client) (*gorqlite.Connection, []string, error) {
	type result struct {
		conn  *gorqlite.Connection
		peers []string
		err   error
	}
	ch := make(chan result, 1)
	go func() { // gorqlite takes no context; hc.Timeout bounds it
		conn, err := gorqlite.OpenWithClient(strings.TrimSpace(host), hc)
		if err != nil {
			ch <- result{err: err}
			return
		}
		peers, err := conn.Peers()
		ch <- result{conn, peers, err}
	}()
	select {
	case r := <-ch:
		return r.conn, r.peers, r.err
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
}

// adopt puts the cluster's peers ("host:port", leader first) in front of
// the list, keeping the other known nodes behind them.
func (n *nodes) adopt(peers []string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	var list []string
	for _, p := range peers {
		list = appendNew(list, n.scheme+"://"+p)
	}
	for _, b := range n.list {
		list = appendNew(list, b)
	}
	n.list = list
}

// snapshot returns the node list, first choice first.
func (n *nodes) snapshot() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.list...)
}

// failed moves base to the back of the list and refreshes the list from
// the cluster in the background (one refresh at a time).
func (n *nodes) failed(base string) {
	n.mu.Lock()
	if len(n.list) > 1 && n.list[0] == base {
		n.list = append(n.list[1:], base)
	}
	conn := n.conn
	n.mu.Unlock()
	if conn == nil || !n.refreshing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer n.refreshing.Store(false)
		peers, err := conn.Peers() // tries every known peer; bounded by the client's timeout
		if err != nil {
			n.log.Debug("rqlite: refreshing the node list failed", "error", err)
		} else {
			n.adopt(peers)
		}
		select {
		case n.refreshed <- struct{}{}:
		default:
		}
	}()
}

func (n *nodes) close() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.conn != nil {
		n.conn.Close()
	}
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// redact hides a password in a URL for messages.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// CheckHost checks a hosts entry: an http or https URL with a host and a
// port and nothing after them.
func CheckHost(s string) error {
	_, _, err := baseURL(s)
	return err
}
