package rqlite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk"
)

// call is one HTTP request to rqlite.
type call struct {
	path  string // "/db/query", "/db/execute" or "/db/request"
	query string // raw query string
	body  []byte // statements
	write bool   // it may change the database (see the package doc)
	modes func(int) mode
}

// attempt is the outcome of trying a call on one node.
type attempt struct {
	resp  *response
	err   error
	retry bool // safe to try again on another node
}

// backoff is the pause before retry n (1-based): 100ms, 200ms, 400ms, …
// up to 1s, so a few retries span a leader election.
func backoff(n int) time.Duration {
	return min(100*time.Millisecond<<(n-1), time.Second)
}

// do sends c to the nodes, first choice first, retrying on the next node
// when that is safe; c's rows are counted against col (reset for every
// attempt). The returned error is an *sdk.Error or the context's error.
func (d *Driver) do(ctx context.Context, c call, col *driver.Collector) (*response, error) {
	saved := *col
	var last attempt
	tried := map[string]bool{}
	for n := 0; n <= d.retries; n++ {
		if n > 0 {
			select {
			case <-time.After(backoff(n)):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			*col = saved
		}
		node := next(d.nodes.snapshot(), tried, n)
		tried[node] = true
		last = d.try(ctx, node, c, col)
		if last.err == nil {
			return last.resp, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !last.retry {
			return nil, last.err
		}
		d.log.Debug("rqlite: retrying on another node", "node", node, "error", last.err)
		d.nodes.failed(node)
	}
	return nil, last.err
}

// next picks the node for attempt n: the first choice not tried yet in
// this call, or, when every node was tried, the next one in turn.
func next(list []string, tried map[string]bool, n int) string {
	for _, node := range list {
		if !tried[node] {
			return node
		}
	}
	return list[n%len(list)]
}

// try sends c to one node and classifies what happened.
func (d *Driver) try(ctx context.Context, node string, c call, col *driver.Collector) attempt {
	if d.life.Err() != nil {
		return attempt{err: sdk.Errorf(sdk.CodeUnavailable, "the rqlite driver is closed")}
	}
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	defer context.AfterFunc(d.life, cancel)()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, node+c.path+"?"+c.query, bytes.NewReader(c.body))
	if err != nil {
		return attempt{err: sdk.Errorf(sdk.CodeInternal, "rqlite request: %v", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	if d.nodes.user != nil {
		pw, _ := d.nodes.user.Password()
		req.SetBasicAuth(d.nodes.user.Username(), pw)
	}
	res, err := d.hc.Do(req)
	if err != nil {
		var op *net.OpError
		sent := !(errors.As(err, &op) && op.Op == "dial")
		return d.failure(node, c, err.Error(), !sent || !c.write)
	}
	defer res.Body.Close()
	switch res.StatusCode {
	case http.StatusOK:
	case http.StatusServiceUnavailable:
		text := shortBody(res.Body)
		return d.failure(node, c, "503 "+text, !c.write || strings.Contains(text, "leader not found"))
	case http.StatusUnauthorized, http.StatusForbidden:
		return attempt{err: sdk.Errorf(sdk.CodeUnavailable, "rqlite %s refused the credentials (%s): check the user and password in hosts", node, res.Status)}
	case http.StatusBadRequest:
		return attempt{err: sdk.Errorf(sdk.CodeInternal, "rqlite %s rejected the request: %s", node, shortBody(res.Body))}
	default:
		return d.failure(node, c, res.Status+" "+shortBody(res.Body), !c.write)
	}
	r := &capReader{r: res.Body, n: d.maxBody}
	resp, err := decodeResponse(r, c.modes, col)
	switch {
	case err == nil:
	case errors.Is(err, errTooLong):
		return attempt{err: sdk.Errorf(sdk.CodeTooLarge, "the rqlite response is longer than %d bytes, the bound max_result_bytes sets on it; select fewer rows or columns", d.maxBody)}
	case sdk.AsError(err).Code == sdk.CodeTooLarge:
		return attempt{err: err}
	default:
		return d.failure(node, c, "reading the response: "+err.Error(), !c.write)
	}
	if resp.err != "" {
		return d.failure(node, c, resp.err, !c.write || safeToResend(resp.err))
	}
	return attempt{resp: resp}
}

// failure is an attempt that failed outside SQL. For a write that was
// not retried, the message says it may have been applied.
func (d *Driver) failure(node string, c call, what string, retry bool) attempt {
	msg := fmt.Sprintf("rqlite %s: %s", node, what)
	if c.write && !retry {
		msg += " (the write may or may not have been applied)"
	}
	return attempt{err: sdk.Errorf(sdk.CodeUnavailable, "%s", msg), retry: retry}
}

// safeToResend reports whether a request-level error of rqlite means the
// write was not applied: there was no leader, the node was not the leader
// (raft refuses before appending), or forwarding failed to connect.
func safeToResend(msg string) bool {
	return msg == "leader not found" || msg == "not leader" || strings.HasPrefix(msg, "pool get: ")
}

func shortBody(r io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(r, 512))
	return strings.TrimSpace(string(b))
}
