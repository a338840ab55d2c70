package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/orama-network/orama/sdk"
)

// MaxResponse bounds how much of one response the client reads.
const MaxResponse = 4 << 20

// Client calls one IPFS Cluster peer's REST API.
type Client struct {
	base    *url.URL
	user    *url.Userinfo
	http    *http.Client
	timeout time.Duration
}

// New returns a client of the REST API at rawURL (http or https), each
// call bounded by timeout.
func New(rawURL string, timeout time.Duration) (*Client, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if timeout <= 0 {
		return nil, errors.New("timeout must be positive")
	}
	user := u.User
	u.User = nil
	return &Client{
		base:    u,
		user:    user,
		timeout: timeout,
		http: &http.Client{
			Timeout:       timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}, nil
}

// ParseURL checks that rawURL is an http(s) URL with a host.
func ParseURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("must be an http(s) URL such as %q", "http://127.0.0.1:9094")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("must not have a query or fragment")
	}
	return u, nil
}

// URL returns the API's URL without credentials.
func (c *Client) URL() string { return c.base.String() }

// Pin pins cid on the cluster (POST /pins/ipfs/{cid}); pinning again
// updates the options. Errors: invalid for a CID the cluster refuses.
func (c *Client) Pin(ctx context.Context, cid string, opts PinOptions) (Pin, error) {
	q := url.Values{}
	if opts.ReplicationMin != 0 {
		q.Set("replication-min", strconv.Itoa(opts.ReplicationMin))
	}
	if opts.ReplicationMax != 0 {
		q.Set("replication-max", strconv.Itoa(opts.ReplicationMax))
	}
	if opts.Name != "" {
		q.Set("name", opts.Name)
	}
	var p Pin
	return p, c.call(ctx, http.MethodPost, "pins/ipfs/"+url.PathEscape(cid), q, &p)
}

// Unpin removes cid's pin (DELETE /pins/ipfs/{cid}). Errors: not_found
// when the cluster has no such pin.
func (c *Client) Unpin(ctx context.Context, cid string) (Pin, error) {
	var p Pin
	return p, c.call(ctx, http.MethodDelete, "pins/ipfs/"+url.PathEscape(cid), nil, &p)
}

// Status returns cid's state on every peer (GET /pins/{cid}).
func (c *Client) Status(ctx context.Context, cid string) (GlobalPinInfo, error) {
	var g GlobalPinInfo
	return g, c.call(ctx, http.MethodGet, "pins/"+url.PathEscape(cid), nil, &g)
}

// ID describes the peer the client talks to (GET /id).
func (c *Client) ID(ctx context.Context) (ID, error) {
	var id ID
	return id, c.call(ctx, http.MethodGet, "id", nil, &id)
}

// Peers lists the cluster's peers (GET /peers, a stream of objects).
func (c *Client) Peers(ctx context.Context) ([]ID, error) {
	var peers []ID
	err := c.stream(ctx, http.MethodGet, "peers", nil, func(dec *json.Decoder) error {
		var id ID
		if err := dec.Decode(&id); err != nil {
			return err
		}
		peers = append(peers, id)
		return nil
	})
	return peers, err
}

// call sends one request and decodes the one JSON object it answers.
func (c *Client) call(ctx context.Context, method, path string, q url.Values, out any) error {
	return c.stream(ctx, method, path, q, func(dec *json.Decoder) error {
		if err := dec.Decode(out); err != nil {
			return err
		}
		return io.EOF // one object only
	})
}

// stream sends one request and calls next until the body ends (io.EOF).
func (c *Client) stream(ctx context.Context, method, path string, q url.Values, next func(*json.Decoder) error) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	u := c.base.JoinPath(path)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return sdk.Errorf(sdk.CodeInternal, "ipfs cluster request: %v", err)
	}
	if c.user != nil {
		pass, _ := c.user.Password()
		req.SetBasicAuth(c.user.Username(), pass)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return sdk.Errorf(sdk.CodeUnavailable, "ipfs cluster %s %s: %v", method, u.Path, err)
	}
	defer resp.Body.Close()
	body := &boundedReader{r: resp.Body, left: MaxResponse}
	if resp.StatusCode/100 != 2 {
		return statusError(method, u.Path, resp.StatusCode, body)
	}
	dec := json.NewDecoder(body)
	for {
		err := next(dec)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return c.readError(method, u.Path, body, err)
		}
	}
	if body.over {
		return sdk.Errorf(sdk.CodeUnavailable, "ipfs cluster %s %s: response over %d bytes", method, u.Path, MaxResponse)
	}
	// Streamed answers report a late failure in a trailer, readable once
	// the body is consumed.
	_, _ = io.Copy(io.Discard, body)
	if msg := resp.Trailer.Get("X-Stream-Error"); msg != "" {
		return sdk.Errorf(sdk.CodeUnavailable, "ipfs cluster %s %s: %s", method, u.Path, msg)
	}
	return nil
}

func (c *Client) readError(method, path string, body *boundedReader, err error) error {
	if body.over {
		return sdk.Errorf(sdk.CodeUnavailable, "ipfs cluster %s %s: response over %d bytes", method, path, MaxResponse)
	}
	return sdk.Errorf(sdk.CodeUnavailable, "ipfs cluster %s %s: reading the answer: %v", method, path, err)
}

// statusError maps an error answer ({"code", "message"}) to an sdk code.
func statusError(method, path string, status int, body io.Reader) error {
	raw, _ := io.ReadAll(body)
	var e struct {
		Message string `json:"message"`
	}
	msg := strings.TrimSpace(string(raw))
	if json.Unmarshal(raw, &e) == nil && e.Message != "" {
		msg = e.Message
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	code := sdk.CodeUnavailable
	switch {
	case status == http.StatusNotFound:
		code = sdk.CodeNotFound
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		code = sdk.CodeUnavailable // our credentials, not the caller's
	case status/100 == 4:
		code = sdk.CodeInvalid
	}
	return sdk.Errorf(code, "ipfs cluster %s %s: %d %s", method, path, status, msg)
}

// boundedReader reads at most left bytes and records an overrun.
type boundedReader struct {
	r    io.Reader
	left int64
	over bool
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		if n, _ := b.r.Read(one[:]); n > 0 {
			b.over = true
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}
