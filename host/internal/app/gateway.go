package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/orama-network/orama/sdk/client"
)

// gatewayFlags are the flags of the commands that talk to a gateway over
// HTTP (orama functions, orama secrets): where it is, the API key, the
// bound on each call, and the output format.
type gatewayFlags struct {
	gateway, apiKey string
	timeout         time.Duration
	json            bool
}

// register adds the flags to fs; timeout is -timeout's default.
func (g *gatewayFlags) register(fs *flag.FlagSet, timeout time.Duration) {
	gw := os.Getenv("ORAMA_GATEWAY")
	if gw == "" {
		gw = defaultGateway
	}
	fs.StringVar(&g.gateway, "gateway", gw, "the gateway's URL ($ORAMA_GATEWAY)")
	fs.StringVar(&g.apiKey, "api-key", os.Getenv("ORAMA_API_KEY"), "the API key ($ORAMA_API_KEY; default: the saved login of the gateway)")
	fs.DurationVar(&g.timeout, "timeout", timeout, "bound on the HTTP call")
	fs.BoolVar(&g.json, "json", false, "print JSON instead of text")
}

// check validates the parsed flags and normalises -gateway; it returns
// what is wrong, or "".
func (g *gatewayFlags) check() string {
	if g.timeout <= 0 {
		return "-timeout must be positive"
	}
	var err error
	if g.gateway, err = normalizeGateway(g.gateway); err != nil {
		return err.Error()
	}
	return ""
}

// client returns a client of the gateway with the -api-key, else the one
// saved for the gateway by orama auth login (if any).
func (g *gatewayFlags) client() (*client.Client, error) {
	return gatewayClient(g.gateway, g.apiKey, g.timeout)
}

// gatewayClient is a client of gateway with apiKey, else the key saved
// for gateway by orama auth login (if any), each call bounded by timeout.
func gatewayClient(gateway, apiKey string, timeout time.Duration) (*client.Client, error) {
	key := apiKey
	if key == "" {
		path, err := credentialsPath()
		if err != nil {
			return nil, err
		}
		c, ok, err := loadCredentials(path, gateway)
		if err != nil {
			return nil, fmt.Errorf("reading the saved login: %w", err)
		}
		if ok {
			key = c.APIKey
		}
	}
	opts := []client.Option{client.WithHTTPClient(&http.Client{Timeout: timeout})}
	if key != "" {
		opts = append(opts, client.WithAPIKey(key))
	}
	return client.New(gateway, opts...), nil
}

// runGateway runs `orama <cmd> <op>` against a gateway: it makes the
// client, runs run until it ends or the command is interrupted, and prints
// a failure as "orama <cmd> <op>: <describe(err)>". It returns the exit
// code.
func runGateway(ctx context.Context, stderr io.Writer, cmd, op string, newClient func() (*client.Client, error),
	run func(context.Context, *client.Client) error, describe func(error) string) int {
	c, err := newClient()
	if err != nil {
		fmt.Fprintf(stderr, "orama %s %s: %v\n", cmd, op, err)
		return 1
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c); err != nil {
		fmt.Fprintf(stderr, "orama %s %s: %s\n", cmd, op, describe(err))
		return 1
	}
	return 0
}
