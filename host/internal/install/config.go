package install

import (
	_ "embed"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
	"time"
)

//go:embed config.hcl.tmpl
var configTemplate string

var configTmpl = template.Must(template.New("config.hcl").Parse(configTemplate))

// ShutdownTimeout is the drain limit the rendered config sets; the unit
// gives the service TimeoutStopSec = StopTimeout, above it.
const ShutdownTimeout = 15 * time.Second

// StopTimeout bounds the stop of the service: the drain (ShutdownTimeout),
// then stopping the plugins (bounded by it again), plus a margin.
const StopTimeout = 2*ShutdownTimeout + 15*time.Second

// BinaryNames are the binaries a service needs: the host, then the
// plugins of the rendered config.
var BinaryNames = []string{"orama", "orama-plugin-cache", "orama-plugin-database", "orama-plugin-storage",
	"orama-plugin-auth", "orama-plugin-pubsub", "orama-plugin-serverless"}

// Paths are where the service's files are, on the system or, for
// verification, under a dry run's root.
type Paths struct {
	Config, Unit, DataDir, BinDir, SecretFile, SwarmKeyFile string
}

// PathsOf are the paths of o's install. The binaries are in
// BinInstallDir when copied, else where they are.
func PathsOf(o *Options) Paths {
	bin := o.BinDir
	if o.CopyBinaries {
		bin = BinInstallDir
	}
	p := Paths{Config: filepath.Join(ConfigDir, "config.hcl"), Unit: UnitPath, DataDir: o.DataDir, BinDir: bin,
		SecretFile: filepath.Join(ConfigDir, "cluster_secret")}
	if o.swarmKeyFile != "" {
		p.SwarmKeyFile = filepath.Join(ConfigDir, "swarm.key")
	}
	return p
}

// Under is p with the paths the install creates moved under root (the
// binaries too when copied); referenced binaries stay where they are.
func (p Paths) Under(root string, o *Options) Paths {
	if root == "" || root == "/" {
		return p
	}
	join := func(s string) string {
		if s == "" {
			return ""
		}
		return filepath.Join(root, s)
	}
	q := Paths{Config: join(p.Config), Unit: join(p.Unit), DataDir: join(p.DataDir), BinDir: p.BinDir,
		SecretFile: join(p.SecretFile), SwarmKeyFile: join(p.SwarmKeyFile)}
	if o.CopyBinaries {
		q.BinDir = join(p.BinDir)
	}
	return q
}

// configView is what the template sees: every string already an HCL
// literal.
type configView struct {
	o *Options
	p Paths
}

func (v configView) NodeID() string          { return hclString(v.o.NodeID) }
func (v configView) Listen() string          { return hclString(v.o.Listen) }
func (v configView) ShutdownTimeout() string { return hclString(ShutdownTimeout.String()) }
func (v configView) ConfigPath() string      { return v.p.Config }
func (v configView) DataDir() string         { return hclString(v.p.DataDir) }
func (v configView) Bin(name string) string  { return hclString(filepath.Join(v.p.BinDir, name)) }
func (v configView) BindAddr() string {
	if v.o.BindAddr == "" {
		return ""
	}
	return hclString(v.o.BindAddr)
}
func (v configView) CachePort() int       { return cachePort }
func (v configView) MemberlistPort() int  { return memberlistPort }
func (v configView) CachePeers() string   { return hclList(v.o.cachePeers) }
func (v configView) PubSubPeers() string  { return hclList(v.o.pubsubPeers) }
func (v configView) RqliteHosts() string  { return listOrEmpty(v.o.rqliteHosts) }
func (v configView) SecretFile() string   { return hclString(v.p.SecretFile) }
func (v configView) Libp2p() bool         { return v.o.libp2p() }
func (v configView) SwarmKeyFile() string { return optString(v.p.SwarmKeyFile) }
func (v configView) Libp2pListen() string {
	ip, proto := "0.0.0.0", "ip4"
	if v.o.BindAddr != "" {
		ip = v.o.BindAddr
		if strings.Contains(ip, ":") {
			proto = "ip6"
		}
	}
	return hclList([]string{fmt.Sprintf("/%s/%s/tcp/%d", proto, ip, libp2pPort)})
}

// RenderConfig is the config.hcl of o with the paths p.
func RenderConfig(o *Options, p Paths) ([]byte, error) {
	var b strings.Builder
	if err := configTmpl.Execute(&b, configView{o, p}); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// hclString is s as an HCL string literal (Check refuses control
// characters); template sequences are escaped.
func hclString(s string) string {
	q := strconv.Quote(s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}

func optString(s string) string {
	if s == "" {
		return ""
	}
	return hclString(s)
}

func hclList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = hclString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// listOrEmpty is hclList, or "" for no items (the template's condition).
func listOrEmpty(items []string) string {
	if len(items) == 0 {
		return ""
	}
	return hclList(items)
}
