package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/sdk/client"
)

// pscBin is the pubsub plugin, built once for these tests.
var pscBin struct {
	once sync.Once
	path string
	err  error
}

// pscPlugin builds ./plugins/pubsub (once) and returns its path.
func pscPlugin(t *testing.T) string {
	t.Helper()
	pscBin.once.Do(func() {
		root, err := repoRoot()
		if err != nil {
			pscBin.err = err
			return
		}
		pscBin.path = filepath.Join(bins.dir, "client", "orama-plugin-pubsub")
		cmd := exec.Command("go", "build", "-o", pscBin.path, "./plugins/pubsub")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			pscBin.err = fmt.Errorf("go build ./plugins/pubsub: %v\n%s", err, out)
		}
	})
	if pscBin.err != nil {
		t.Fatal(pscBin.err)
	}
	return pscBin.path
}

// pscStartHost starts a gateway that requires authentication,
// with the SQLite database, auth and pubsub (local driver) plugins, and
// returns it with a new API key of namespace ns.
func pscStartHost(t *testing.T, ns string) (*host, string) {
	t.Helper()
	bin := pscPlugin(t)
	h := startHost(t, func(port int) string {
		return authConfig(port, "e2e", "", sqliteBlock()+authBlock("")+pluginBlock("pubsub", bin, `    driver = "local"`))
	})
	code, out, errs := orama(t, nil, "keys", "create", "-config", h.config, "-namespace", ns, "-json")
	var k cliKey
	if code != 0 || json.Unmarshal([]byte(out), &k) != nil || k.Key == "" {
		t.Fatalf("orama keys create: exit %d\n%s\n%s", code, out, errs)
	}
	return h, k.Key
}

// pscRelaunch stops h and starts a new gateway process on the same port,
// directory and config; it returns once the new one is healthy.
func pscRelaunch(h *host) *host {
	h.t.Helper()
	h.stop()
	n := &host{t: h.t, dir: h.dir, config: h.config, URL: h.URL, logs: &apitest.SyncBuffer{},
		exited: make(chan struct{}), Client: h.Client}
	if err := n.launch(); err != nil {
		h.t.Fatal(err)
	}
	n.waitHealthy(60 * time.Second)
	return n
}

// pscWaitPluginRestarted waits until h's plugin kind runs again under a pid
// other than old.
func pscWaitPluginRestarted(t *testing.T, h *host, kind string, old int) {
	t.Helper()
	waitFor(t, 30*time.Second, kind+" plugin back after kill -9", func() bool {
		code, doc := h.health()
		p := doc.Plugins[kind]
		return code == 200 && p.Status == "running" && p.PID != 0 && p.PID != old
	})
}

// pscAwaitData reads sub until a message whose data is want (presence events
// and other messages are skipped).
func pscAwaitData(t *testing.T, sub *client.Subscription, want string) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case m, ok := <-sub.C():
			if !ok {
				t.Fatalf("subscription ended waiting for %q: %v", want, sub.Err())
			}
			if m.Presence == nil && string(m.Data) == want {
				return
			}
		case <-deadline:
			t.Fatalf("no message %q", want)
		}
	}
}

// pscAwaitPresence reads sub until a presence event typ of member.
func pscAwaitPresence(t *testing.T, sub *client.Subscription, typ, member string) client.Message {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case m, ok := <-sub.C():
			if !ok {
				t.Fatalf("subscription ended waiting for %s of %s: %v", typ, member, sub.Err())
			}
			if p := m.Presence; p != nil && p.Type == typ && p.MemberID == member {
				return m
			}
		case <-deadline:
			t.Fatalf("no %s of %s", typ, member)
		}
	}
}

// pscPublishUntilReceived publishes prefix-1, prefix-2, … every 200 ms (a
// publish may fail while the gateway or plugin is coming back) until sub
// receives one of them.
func pscPublishUntilReceived(t *testing.T, ps *client.PubSub, sub *client.Subscription, topic, prefix string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for i := 1; ; i++ {
		_ = ps.Publish(ctxT(t), topic, fmt.Appendf(nil, "%s-%d", prefix, i))
		for {
			select {
			case m, ok := <-sub.C():
				if !ok {
					t.Fatalf("subscription ended: %v", sub.Err())
				}
				if m.Presence == nil && strings.HasPrefix(string(m.Data), prefix+"-") {
					return string(m.Data)
				}
				continue
			case <-tick.C:
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s-N message received after %d publishes", prefix, i)
		}
	}
}

// TestPubSubClientAndCLI: the Go client and orama pubsub against a real
// gateway with the pubsub plugin: a client subscription receives what the
// CLI and the client publish (over HTTP and over a socket); the CLI's
// subscription prints what the client publishes and ends cleanly on
// SIGINT; presence and topics list both.
func TestPubSubClientAndCLI(t *testing.T) {
	h, key := pscStartHost(t, "psc")
	ctx := ctxT(t)
	ps := client.New(h.URL, client.WithAPIKey(key)).PubSub()
	sub, err := ps.Subscribe(ctx, "room", client.WithPresence("go", json.RawMessage(`{"lang":"go"}`)))
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	code, out, errs := orama(t, nil, "pubsub", "publish", "-gateway", h.URL, "-api-key", key, "-topic", "room", "-data", "from the CLI")
	if code != 0 || !strings.Contains(out, "Published 12 bytes") {
		t.Fatalf("orama pubsub publish: exit %d\n%s\n%s", code, out, errs)
	}
	pscAwaitData(t, sub, "from the CLI")
	if err := ps.Publish(ctx, "room", []byte("from the client")); err != nil {
		t.Fatal(err)
	}
	pscAwaitData(t, sub, "from the client")

	// The CLI subscribes (with presence, so the client sees when it is in).
	cli := exec.Command(bins.orama, "pubsub", "subscribe", "-gateway", h.URL, "-topic", "room",
		"-presence", "-member-id", "cli", "-meta", `{"lang":"sh"}`)
	cli.Env = append(cli.Environ(), "ORAMA_API_KEY="+key)
	stdout, err := cli.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var cliErr apitest.SyncBuffer
	cli.Stderr = &cliErr
	if err := cli.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			lines <- s.Text()
		}
	}()
	join := pscAwaitPresence(t, sub, client.PresenceJoin, "cli")
	if string(join.Presence.Meta) != `{"lang":"sh"}` {
		t.Errorf("join of the CLI: meta %s", join.Presence.Meta)
	}
	if err := sub.Publish(ctx, []byte("over the socket")); err != nil {
		t.Fatal(err)
	}
	pscAwaitData(t, sub, "over the socket") // the publisher's socket receives it too
	pscWaitLine(t, lines, "over the socket")
	if err := ps.Publish(ctx, "room", []byte{0xff, 0x00}); err != nil {
		t.Fatal(err)
	}
	pscWaitLine(t, lines, "base64:/wA=")

	members, err := ps.Presence(ctx, "room")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range members {
		ids = append(ids, m.ID)
		if m.JoinedAt.IsZero() || (m.ID == "go" && string(m.Meta) != `{"lang":"go"}`) {
			t.Errorf("member %+v", m)
		}
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"cli", "go"}) {
		t.Errorf("presence %v, want cli and go", ids)
	}
	topics, err := ps.Topics(ctx)
	if err != nil || !slices.Contains(topics, "room") {
		t.Errorf("topics %v, %v", topics, err)
	}

	// Ctrl-C ends the CLI with 0, and its member leaves.
	if err := cli.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cli.Wait(); err != nil {
		t.Errorf("orama pubsub subscribe after SIGINT: %v\n%s", err, cliErr.String())
	}
	pscAwaitPresence(t, sub, client.PresenceLeave, "cli")

	// A wrong key: both commands say so and exit 1.
	for _, op := range [][]string{{"publish", "-data", "x"}, {"subscribe"}} {
		args := append([]string{"pubsub", op[0], "-gateway", h.URL, "-api-key", "ak_wrong:psc", "-topic", "room"}, op[1:]...)
		if code, _, errs := orama(t, nil, args...); code != 1 || !strings.Contains(errs, "unauthorized") {
			t.Errorf("orama pubsub %s with a wrong key: exit %d, %q", op[0], code, errs)
		}
	}
}

// pscWaitLine waits for the line want among lines (a running CLI's stdout).
func pscWaitLine(t *testing.T, lines <-chan string, want string) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the CLI ended before printing %q", want)
			}
			if l == want {
				return
			}
		case <-deadline:
			t.Fatalf("the CLI did not print %q", want)
		}
	}
}

// TestPubSubClientSurvivesPluginKillAndGatewayRestart: kill -9 of the
// pubsub plugin under a client subscription → the host keeps the socket
// and resubscribes, so the same subscription receives what is published
// once the plugin is back; a gateway restart on the same port (close
// 1001, then connection refused) → the subscription reconnects, joins
// presence again and receives again.
func TestPubSubClientSurvivesPluginKillAndGatewayRestart(t *testing.T) {
	h, key := pscStartHost(t, "psk")
	ctx := ctxT(t)
	ps := client.New(h.URL, client.WithAPIKey(key)).PubSub()
	sub, err := ps.Subscribe(ctx, "news", client.WithPresence("reader", nil),
		client.WithReconnectBackoff(50*time.Millisecond, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := ps.Publish(ctx, "news", []byte("before")); err != nil {
		t.Fatal(err)
	}
	pscAwaitData(t, sub, "before")

	_, doc := h.health()
	pid := doc.Plugins["pubsub"].PID
	if pid == 0 {
		t.Fatalf("no pubsub plugin pid in health: %+v", doc)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	pscWaitPluginRestarted(t, h, "pubsub", pid)
	got := pscPublishUntilReceived(t, ps, sub, "news", "after-kill")
	t.Logf("after the plugin's restart the subscription received %s", got)
	if err := sub.Err(); err != nil {
		t.Fatalf("subscription error: %v", err)
	}
	if n := sub.Reconnects(); n != 0 {
		t.Errorf("the subscription reconnected %d times across the plugin's restart; the host keeps the socket", n)
	}

	h = pscRelaunch(h)
	got = pscPublishUntilReceived(t, ps, sub, "news", "after-restart")
	t.Logf("after the gateway's restart the subscription received %s", got)
	if n := sub.Reconnects(); n < 1 {
		t.Errorf("Reconnects %d after a gateway restart, want at least 1", n)
	}
	waitFor(t, 30*time.Second, "the member joined again", func() bool {
		members, err := ps.Presence(ctx, "news")
		return err == nil && len(members) == 1 && members[0].ID == "reader"
	})
	if err := sub.Err(); err != nil {
		t.Errorf("subscription error: %v", err)
	}
}
