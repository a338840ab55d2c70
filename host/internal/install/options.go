package install

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Options are what orama install is told: the flags, checked by Check.
type Options struct {
	NodeID   string // node { id }
	Listen   string // server { listen }, host:port
	DataDir  string // node { data_dir }, absolute
	User     string // the service's user and group
	BindAddr string // the IP other nodes reach this one at (cache, libp2p); "" for a single node

	// Peers are cache memberlist members (host:port) and pubsub libp2p
	// peers (multiaddrs with /p2p/<id>), in any order.
	Peers []string
	// Join are the rqlite HTTP API URLs of the cluster the database
	// plugin uses (driver "rqlite"); none: a SQLite file under DataDir.
	Join []string
	// ClusterSecret is the key secret of the auth and serverless plugins
	// (the same on every node); "" keeps the installed one or makes one.
	ClusterSecret string
	// SwarmKey is the pubsub private network key: 64 hex digits or a whole
	// go-libp2p pnet file; "" for none.
	SwarmKey string
	// Libp2p makes pubsub gossip between nodes even without peers (the
	// first node of a cluster); pubsub peers or a swarm key imply it.
	Libp2p bool

	BinDir string // where orama and orama-plugin-* are now, absolute
	// CopyBinaries installs the binaries into BinInstallDir; otherwise
	// the unit and the config reference them in BinDir.
	CopyBinaries bool

	// Derived by Check.
	cachePeers, pubsubPeers, rqliteHosts []string
	swarmKeyFile                         string // the pnet file's content
}

// Fixed places on the installed system.
const (
	ConfigDir     = "/etc/orama"
	UnitPath      = "/etc/systemd/system/orama.service"
	BinInstallDir = "/usr/local/lib/orama"
	DefaultData   = "/var/lib/orama"
	DefaultUser   = "orama"
	ServiceName   = "orama.service"
)

// Ports of a node that others join (the Olric and libp2p defaults).
const (
	cachePort      = 3320
	memberlistPort = 3322
	libp2pPort     = 4101
)

var (
	nodeIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	userPattern   = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)
	hexKey        = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
)

// minSecretLen is seal.MinSecretLen: the plugins refuse shorter secrets.
const minSecretLen = 32

// Check validates o and derives what the files need; the error says which
// flag is wrong and how to fix it.
func (o *Options) Check() error {
	if !nodeIDPattern.MatchString(o.NodeID) {
		return fmt.Errorf("-node-id %q: use 1 to 64 letters, digits, '.', '_' or '-', unique in the cluster", o.NodeID)
	}
	if err := checkListen(o.Listen); err != nil {
		return err
	}
	if !strings.HasPrefix(o.DataDir, "/") || strings.ContainsAny(o.DataDir, "\"\\$%\n") {
		return fmt.Errorf("-data-dir %q: give an absolute path, such as %s", o.DataDir, DefaultData)
	}
	for _, hidden := range []string{"/home", "/root", "/run/user", "/tmp", "/var/tmp"} {
		if o.DataDir == hidden || strings.HasPrefix(o.DataDir, hidden+"/") {
			return fmt.Errorf("-data-dir %s: the unit hides %s from the service (ProtectHome, PrivateTmp); use a directory such as %s", o.DataDir, hidden, DefaultData)
		}
	}
	if !userPattern.MatchString(o.User) || o.User == "root" {
		return fmt.Errorf("-user %q: give the name of a dedicated system user (not root), such as %q", o.User, DefaultUser)
	}
	if o.BindAddr != "" {
		if _, err := netip.ParseAddr(o.BindAddr); err != nil {
			return fmt.Errorf("-bind-addr %q: give this node's IP address that the other nodes reach, such as 10.0.0.1", o.BindAddr)
		}
	}
	if !strings.HasPrefix(o.BinDir, "/") {
		return fmt.Errorf("-bin-dir %q: give an absolute path", o.BinDir)
	}
	o.cachePeers, o.pubsubPeers, o.rqliteHosts = nil, nil, nil
	for _, p := range o.Peers {
		switch {
		case strings.HasPrefix(p, "/"):
			if err := checkMultiaddr(p); err != nil {
				return fmt.Errorf("-peers %q: %v", p, err)
			}
			o.pubsubPeers = append(o.pubsubPeers, p)
		default:
			if err := checkHostPort(p); err != nil {
				return fmt.Errorf("-peers %q: %v; a cache member is host:port (its memberlist port, e.g. 10.0.0.2:%d), a pubsub peer a multiaddr such as /ip4/10.0.0.2/tcp/%d/p2p/12D3KooW…", p, err, memberlistPort, libp2pPort)
			}
			o.cachePeers = append(o.cachePeers, p)
		}
	}
	if len(o.Peers) > 0 && o.BindAddr == "" {
		return fmt.Errorf("-peers needs -bind-addr: the IP address of this node that the peers reach (the cache and pubsub bind to it)")
	}
	self := net.JoinHostPort(o.BindAddr, strconv.Itoa(memberlistPort))
	for _, p := range o.cachePeers {
		if p == self {
			return fmt.Errorf("-peers %q is this node's own cache member (-bind-addr %s, memberlist port %d): list the other nodes", p, o.BindAddr, memberlistPort)
		}
	}
	for _, j := range o.Join {
		h, err := rqliteURL(j)
		if err != nil {
			return fmt.Errorf("-join %q: %v", j, err)
		}
		o.rqliteHosts = append(o.rqliteHosts, h)
	}
	if s := o.ClusterSecret; s != "" && (len(strings.TrimSpace(s)) < minSecretLen || strings.ContainsAny(s, "\r\n")) {
		return fmt.Errorf("-cluster-secret: give one line of at least %d characters, the same on every node (a first node makes one: `openssl rand -base64 48`)", minSecretLen)
	}
	o.swarmKeyFile = ""
	if o.SwarmKey != "" {
		k, err := swarmKeyFile(o.SwarmKey)
		if err != nil {
			return err
		}
		o.swarmKeyFile = k
	}
	return nil
}

// libp2p reports whether pubsub gossips between nodes.
func (o *Options) libp2p() bool {
	return o.Libp2p || len(o.pubsubPeers) > 0 || o.SwarmKey != ""
}

func checkListen(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err == nil && strings.ContainsAny(host, "\"\\$%") {
		err = fmt.Errorf("bad host")
	}
	if err != nil {
		return fmt.Errorf("-listen %q: give host:port, such as :6001 or 10.0.0.1:6001", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("-listen %q: the port must be a number between 1 and 65535", addr)
	}
	return nil
}

// listenPort is the port of a checked listen address.
func listenPort(addr string) int {
	_, port, _ := net.SplitHostPort(addr)
	n, _ := strconv.Atoi(port)
	return n
}

func checkHostPort(s string) error {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return fmt.Errorf("not host:port")
	}
	if host == "" || strings.ContainsAny(host, "\"\\$%/ ") {
		return fmt.Errorf("no host")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("the port must be a number between 1 and 65535")
	}
	return nil
}

// checkMultiaddr checks the shape the pubsub plugin dials: an address
// (/ip4, /ip6, /dns, /dns4, /dns6), /tcp/<port> and /p2p/<peer id>.
func checkMultiaddr(s string) error {
	parts := strings.Split(strings.TrimPrefix(s, "/"), "/")
	if len(parts)%2 != 0 {
		return fmt.Errorf("not a multiaddr (/ip4/<ip>/tcp/<port>/p2p/<peer id>)")
	}
	seen := map[string]string{}
	for i := 0; i < len(parts); i += 2 {
		proto, val := parts[i], parts[i+1]
		if val == "" || strings.ContainsAny(val, "\"\\$% ") {
			return fmt.Errorf("empty or bad value after /%s", proto)
		}
		switch proto {
		case "ip4", "ip6":
			a, err := netip.ParseAddr(val)
			if err != nil || a.Is4() != (proto == "ip4") {
				return fmt.Errorf("%q is not an %s address", val, proto)
			}
		case "tcp":
			if n, err := strconv.Atoi(val); err != nil || n < 1 || n > 65535 {
				return fmt.Errorf("bad tcp port %q", val)
			}
		case "dns", "dns4", "dns6", "p2p":
		default:
			return fmt.Errorf("/%s is not supported (use /ip4, /ip6 or /dns, /tcp and /p2p)", proto)
		}
		seen[proto] = val
	}
	if seen["tcp"] == "" || seen["p2p"] == "" {
		return fmt.Errorf("needs /tcp/<port> and /p2p/<peer id> (the peer id is in the peer's log: libp2p pubsub node started id=…)")
	}
	return nil
}

// rqliteURL makes a -join value an rqlite HTTP API URL: host:port is
// taken as http://host:port.
func rqliteURL(s string) (string, error) {
	if !strings.Contains(s, "://") {
		if err := checkHostPort(s); err != nil {
			return "", fmt.Errorf("%v; give the HTTP API of an rqlite node, such as http://10.0.0.1:4001", err)
		}
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Port() == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil || strings.ContainsAny(s, "\"\\$%") {
		return "", fmt.Errorf("give the HTTP API of an rqlite node, such as http://10.0.0.1:4001")
	}
	return u.Scheme + "://" + u.Host, nil
}

// swarmKeyFile is the go-libp2p pnet file for key: 64 hex digits, or a
// whole file (/key/swarm/psk/1.0.0/, /base16/, the digits).
func swarmKeyFile(key string) (string, error) {
	lines := strings.Fields(key)
	switch {
	case len(lines) == 1 && hexKey.MatchString(lines[0]):
		return "/key/swarm/psk/1.0.0/\n/base16/\n" + strings.ToLower(lines[0]) + "\n", nil
	case len(lines) == 3 && lines[0] == "/key/swarm/psk/1.0.0/" && lines[1] == "/base16/" && hexKey.MatchString(lines[2]):
		return strings.Join(lines, "\n") + "\n", nil
	}
	return "", fmt.Errorf("-swarm-key: give 64 hex digits (e.g. `openssl rand -hex 32`) or a swarm.key file's content (/key/swarm/psk/1.0.0/, /base16/, the digits)")
}
