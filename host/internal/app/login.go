package app

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/orama-network/orama/sdk/auth"
)

const authUsage = `usage: orama auth login [-gateway URL] [-namespace NS] [-no-browser] [-timeout 5m]

Opens the gateway's sign-in page in a browser; once the wallet has signed,
the page hands the new API key to this command, which keeps it in
~/.orama/credentials.json (one entry per gateway URL).

flags:
`

// defaultGateway is the gateway of orama auth login without -gateway
// (and without $ORAMA_GATEWAY).
const defaultGateway = "http://localhost:6001"

// loginOptions configure a login.
type loginOptions struct {
	gateway   string // normalized
	namespace string // "" lets the page use the gateway's default
	timeout   time.Duration
	credPath  string
	// open shows a URL to the user in a browser; nil opens none.
	open func(url string) error
}

// authCommand runs `orama auth <subcommand>`; login is the only one.
func authCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "login" {
		if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprint(stdout, authUsage)
			return 0
		}
		fmt.Fprint(stderr, "orama auth: the subcommand is login\n\n"+authUsage)
		return 2
	}
	fs := flag.NewFlagSet("orama auth login", flag.ContinueOnError)
	fs.SetOutput(stderr)
	gw := os.Getenv("ORAMA_GATEWAY")
	if gw == "" {
		gw = defaultGateway
	}
	gateway := fs.String("gateway", gw, "the gateway's URL ($ORAMA_GATEWAY)")
	namespace := fs.String("namespace", "", "the namespace to sign in to (default: the gateway's default)")
	noBrowser := fs.Bool("no-browser", false, "only print the URL to open")
	timeout := fs.Duration("timeout", 5*time.Minute, "how long to wait for the browser")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	o := loginOptions{namespace: *namespace, timeout: *timeout, open: openBrowser}
	if *noBrowser {
		o.open = nil
	}
	var err error
	switch {
	case fs.NArg() > 0:
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case *timeout <= 0:
		err = errors.New("-timeout must be positive")
	case o.namespace != "" && auth.CheckNamespace(o.namespace) != nil:
		err = errors.New(describe(auth.CheckNamespace(o.namespace)))
	}
	if err == nil {
		o.gateway, err = normalizeGateway(*gateway)
	}
	if err != nil {
		fmt.Fprintf(stderr, "orama auth login: %v\n", err)
		return 2
	}
	if o.credPath, err = credentialsPath(); err != nil {
		fmt.Fprintf(stderr, "orama auth login: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, err := login(ctx, o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "orama auth login: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "Signed in to %s as %s, namespace %q (plan %q).\nThe API key is saved in %s.\n",
		o.gateway, dash(c.Wallet), c.Namespace, c.Plan, o.credPath)
	return 0
}

// login waits for the browser to come back to a callback listener on
// 127.0.0.1 with an API key, and saves it. The callback URL carries a
// random state that the answer must repeat, so no other page or local
// process can plant a key. It gives up after o.timeout or when ctx ends
// (Ctrl-C).
func login(ctx context.Context, o loginOptions, stderr io.Writer) (Credentials, error) {
	state, err := randomState()
	if err != nil {
		return Credentials{}, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Credentials{}, fmt.Errorf("callback listener: %w", err)
	}
	cb := &callback{state: state, namespace: o.namespace, done: make(chan struct{}),
		save: func(c Credentials) error { return saveCredentials(o.credPath, o.gateway, c) }}
	srv := &http.Server{Handler: cb, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx) // lets the answer to the browser finish
	}()

	callbackURL := fmt.Sprintf("http://%s/callback?state=%s", ln.Addr(), state)
	q := url.Values{"callback": {callbackURL}}
	if o.namespace != "" {
		q.Set("namespace", o.namespace)
	}
	loginURL := o.gateway + "/v1/auth/login?" + q.Encode()
	fmt.Fprintf(stderr, "Sign in with your wallet in a browser at:\n\n    %s\n\n", loginURL)
	if o.open != nil {
		if err := o.open(loginURL); err != nil {
			fmt.Fprintf(stderr, "(no browser could be opened: %v; open the URL above yourself)\n", err)
		}
	}
	fmt.Fprintf(stderr, "Waiting for the browser (up to %s; Ctrl-C aborts)...\n", o.timeout)

	timer := time.NewTimer(o.timeout)
	defer timer.Stop()
	select {
	case <-cb.done:
		return cb.result()
	case <-timer.C:
		return Credentials{}, fmt.Errorf("no answer from the browser within %s; run the command again", o.timeout)
	case <-ctx.Done():
		return Credentials{}, errors.New("aborted")
	}
}

func randomState() (string, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// callback is the handler of the callback listener. The first request
// with the right state ends the login, well or badly; requests without
// it are refused and change nothing.
type callback struct {
	state     string
	namespace string // required namespace, "" for any
	save      func(Credentials) error

	mu       sync.Mutex
	finished bool
	creds    Credentials
	err      error
	done     chan struct{} // closed when finished
}

func (cb *callback) result() (Credentials, error) {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	return cb.creds, cb.err
}

func (cb *callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer") // the URL carries the key
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	if r.URL.Path != "/callback" {
		page(w, http.StatusNotFound, "Not found", "This address only takes the sign-in callback.")
		return
	}
	if r.Method != http.MethodGet {
		h.Set("Allow", http.MethodGet)
		page(w, http.StatusMethodNotAllowed, "Method not allowed", "The sign-in callback is a GET.")
		return
	}
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(cb.state)) != 1 {
		page(w, http.StatusForbidden, "Unknown sign-in",
			"This answer does not belong to the sign-in orama auth login is waiting for. Nothing was saved.")
		return
	}
	cb.mu.Lock()
	defer cb.mu.Unlock()
	if cb.finished {
		page(w, http.StatusGone, "Already done", "This sign-in is already complete. You can close this tab.")
		return
	}
	c, err := cb.parse(q)
	if err == nil {
		err = cb.save(c)
	}
	cb.finished, cb.creds, cb.err = true, c, err
	close(cb.done)
	if err != nil {
		page(w, http.StatusBadRequest, "Sign-in failed", "orama auth login could not use the answer: "+err.Error()+
			". See the terminal, and run the command again.")
		return
	}
	page(w, http.StatusOK, "Signed in", fmt.Sprintf("orama auth login has the API key for namespace %q. You can close this tab.", c.Namespace))
}

// parse checks the callback's query: api_key in the documented format,
// namespace (when present) the key's own and the one asked for.
func (cb *callback) parse(q url.Values) (Credentials, error) {
	key := q.Get("api_key")
	if key == "" {
		return Credentials{}, errors.New("the answer has no api_key")
	}
	_, ns, err := auth.ParseAPIKey(key)
	switch got := q.Get("namespace"); {
	case err != nil:
		return Credentials{}, errors.New("the api_key is not an Orama API key (ak_<24 characters>:<namespace>)")
	case got != "" && got != ns:
		return Credentials{}, fmt.Errorf("the api_key is bound to namespace %q, not %q", ns, got)
	case cb.namespace != "" && ns != cb.namespace:
		return Credentials{}, fmt.Errorf("the api_key is for namespace %q, not %q as asked", ns, cb.namespace)
	}
	c := Credentials{APIKey: key, Namespace: ns, Wallet: q.Get("wallet"), Plan: q.Get("plan"),
		IssuedAt: time.Now().UTC().Truncate(time.Second)}
	if err := auth.CheckText("wallet", c.Wallet, auth.MaxWalletLen, true); err != nil {
		return Credentials{}, errors.New(describe(err))
	}
	if err := auth.CheckText("plan", c.Plan, auth.MaxNameLen, true); err != nil {
		return Credentials{}, errors.New(describe(err))
	}
	return c, nil
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Orama: {{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}</style>
</head><body><h1>{{.Title}}</h1><p>{{.Text}}</p></body></html>
`))

// page answers with a small self-contained HTML page.
func page(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pageTemplate.Execute(w, struct{ Title, Text string }{title, text})
}

// openBrowser opens u in the desktop's browser (open on macOS, xdg-open
// elsewhere) without waiting for it.
func openBrowser(u string) error {
	name := "xdg-open"
	if runtime.GOOS == "darwin" {
		name = "open"
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return fmt.Errorf("%s not found", name)
	}
	cmd := exec.Command(path, u)
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
