package install

import (
	"strings"
	"testing"
)

// valid is a checked-ready Options for one node.
func valid() Options {
	return Options{NodeID: "node-1", Listen: ":6001", DataDir: DefaultData, User: DefaultUser, BinDir: "/opt/orama/bin", CopyBinaries: true}
}

func TestCheckRefusesBadFlags(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(o *Options)
		want string
	}{
		{"listen without port", func(o *Options) { o.Listen = "10.0.0.1" }, "-listen"},
		{"listen port too big", func(o *Options) { o.Listen = ":70000" }, "between 1 and 65535"},
		{"listen port zero", func(o *Options) { o.Listen = ":0" }, "between 1 and 65535"},
		{"listen with a quote", func(o *Options) { o.Listen = `a"b:1` }, "-listen"},
		{"node id", func(o *Options) { o.NodeID = "a b" }, "-node-id"},
		{"relative data dir", func(o *Options) { o.DataDir = "data" }, "-data-dir"},
		{"data dir in /home", func(o *Options) { o.DataDir = "/home/me/orama" }, "ProtectHome"},
		{"data dir in /tmp", func(o *Options) { o.DataDir = "/tmp/orama" }, "PrivateTmp"},
		{"root user", func(o *Options) { o.User = "root" }, "-user"},
		{"bind addr", func(o *Options) { o.BindAddr = "node-a" }, "-bind-addr"},
		{"peer without port", func(o *Options) { o.BindAddr = "10.0.0.2"; o.Peers = []string{"10.0.0.1"} }, `-peers "10.0.0.1"`},
		{"peer port", func(o *Options) { o.BindAddr = "10.0.0.2"; o.Peers = []string{"10.0.0.1:99999"} }, "-peers"},
		{"multiaddr without p2p", func(o *Options) { o.BindAddr = "10.0.0.2"; o.Peers = []string{"/ip4/10.0.0.1/tcp/4101"} }, "/p2p/"},
		{"multiaddr bad ip", func(o *Options) { o.BindAddr = "10.0.0.2"; o.Peers = []string{"/ip4/10.0.0/tcp/4101/p2p/12D3KooWx"} }, "not an ip4"},
		{"multiaddr quic", func(o *Options) {
			o.BindAddr = "10.0.0.2"
			o.Peers = []string{"/ip4/10.0.0.1/udp/4101/quic-v1/x/p2p/x"}
		}, "not supported"},
		{"own address as peer", func(o *Options) { o.BindAddr = "10.0.0.2"; o.Peers = []string{"10.0.0.2:3322"} }, "own cache member"},
		{"peers without bind addr", func(o *Options) { o.Peers = []string{"10.0.0.1:3322"} }, "-bind-addr"},
		{"join not a url", func(o *Options) { o.Join = []string{"ftp://10.0.0.1:4001"} }, "-join"},
		{"join without port", func(o *Options) { o.Join = []string{"http://10.0.0.1"} }, "-join"},
		{"short secret", func(o *Options) { o.ClusterSecret = "short" }, "at least 32"},
		{"secret on two lines", func(o *Options) { o.ClusterSecret = strings.Repeat("a", 40) + "\nb" }, "one line"},
		{"swarm key", func(o *Options) { o.SwarmKey = "abc" }, "-swarm-key"},
		{"relative bin dir", func(o *Options) { o.BinDir = "bin" }, "-bin-dir"},
	} {
		o := valid()
		c.edit(&o)
		err := o.Check()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error naming %q", c.name, err, c.want)
		}
	}
}

func TestCheckSortsPeersAndNormalises(t *testing.T) {
	o := valid()
	o.BindAddr = "10.0.0.2"
	ma := "/ip4/10.0.0.1/tcp/4101/p2p/12D3KooWAbc"
	o.Peers = []string{"10.0.0.1:3322", ma, "[fd00::1]:3322", "/dns4/node-a.example/tcp/4101/p2p/12D3KooWDef"}
	o.Join = []string{"10.0.0.1:4001", "https://db.example:4001/"}
	hex := strings.Repeat("aB", 32)
	o.SwarmKey = hex
	if err := o.Check(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(o.cachePeers, " ") != "10.0.0.1:3322 [fd00::1]:3322" {
		t.Errorf("cache peers %q", o.cachePeers)
	}
	if len(o.pubsubPeers) != 2 || o.pubsubPeers[0] != ma {
		t.Errorf("pubsub peers %q", o.pubsubPeers)
	}
	if strings.Join(o.rqliteHosts, " ") != "http://10.0.0.1:4001 https://db.example:4001" {
		t.Errorf("rqlite hosts %q", o.rqliteHosts)
	}
	want := "/key/swarm/psk/1.0.0/\n/base16/\n" + strings.ToLower(hex) + "\n"
	if o.swarmKeyFile != want || !o.libp2p() {
		t.Errorf("swarm key file %q (libp2p %v)", o.swarmKeyFile, o.libp2p())
	}
	// A whole swarm.key file is taken as well.
	o.SwarmKey = want
	if err := o.Check(); err != nil || o.swarmKeyFile != want {
		t.Errorf("swarm key as a file: %v %q", err, o.swarmKeyFile)
	}
}

func TestHCLStringEscapesTemplates(t *testing.T) {
	if got := hclString(`a"b${c}%{d}`); got != `"a\"b$${c}%%{d}"` {
		t.Errorf("hclString: %s", got)
	}
}
