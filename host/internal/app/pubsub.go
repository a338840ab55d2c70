package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
	"github.com/orama-network/orama/sdk/pubsub"
)

const pubsubUsage = `usage: orama pubsub publish -topic T [-data STRING | -file F]   (else standard input)
       orama pubsub subscribe -topic T [-presence -member-id M [-meta JSON]] [-n N] [-json]

  publish    publish one message (up to 1 MiB) to topic T
  subscribe  print T's messages, one line each, until Ctrl-C or -n
             messages: the data as text when it is printable UTF-8 on one
             line, else "base64:" and its base64; a presence event as
             "presence.join|presence.leave MEMBER [META]". -json prints
             each frame as API.md gives it. The subscription reconnects
             when the connection drops (messages in the gap are lost)
             and ends on a refusal (401, 403, 400)

The gateway is -gateway ($ORAMA_GATEWAY, default http://localhost:6001).
The API key is -api-key ($ORAMA_API_KEY), else the one orama auth login
saved for that gateway in ~/.orama/credentials.json; a gateway without
authentication needs none. 'orama pubsub <subcommand> -h' lists the
flags of a subcommand.
`

// pubsubFlags are the parsed flags of orama pubsub.
type pubsubFlags struct {
	op, gateway, apiKey, topic string
	timeout                    time.Duration
	data, file                 string // publish
	dataSet                    bool   // -data given, even empty
	presence                   bool   // subscribe
	memberID, meta             string
	count                      int
	json                       bool
}

var pubsubOps = []string{"publish", "subscribe"}

// pubsubCommand runs `orama pubsub publish|subscribe`.
func pubsubCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, code := parsePubsubFlags(args, stdout, stderr)
	if code >= 0 {
		return code
	}
	newClient := func() (*client.Client, error) { return pubsubClient(o) }
	return runGateway(ctx, stderr, "pubsub", o.op, newClient, func(ctx context.Context, c *client.Client) error {
		if o.op == "publish" {
			return runPublish(ctx, c.PubSub(), o, stdin, stdout)
		}
		return runSubscribe(ctx, c.PubSub(), o, stdout)
	}, describe)
}

// parsePubsubFlags parses args; code is the exit code when the command
// should end now (usage, help, a refused flag), -1 otherwise.
func parsePubsubFlags(args []string, stdout, stderr io.Writer) (pubsubFlags, int) {
	var o pubsubFlags
	if len(args) == 0 || !slices.Contains(pubsubOps, args[0]) {
		switch {
		case len(args) > 0 && slices.Contains([]string{"help", "-h", "-help", "--help"}, args[0]):
			fmt.Fprint(stdout, pubsubUsage)
			return o, 0
		case len(args) == 0 || args[0] == "" || args[0][0] == '-':
			fmt.Fprintf(stderr, "orama pubsub: name a subcommand: %s\n\n%s", orList(pubsubOps), pubsubUsage)
		default:
			fmt.Fprintf(stderr, "orama pubsub: unknown subcommand %q\n\n%s", args[0], pubsubUsage)
		}
		return o, 2
	}
	o.op, args = args[0], args[1:]
	fs := flag.NewFlagSet("orama pubsub "+o.op, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\nflags of orama pubsub %s:\n", pubsubUsage, o.op)
		fs.PrintDefaults()
	}
	gw := os.Getenv("ORAMA_GATEWAY")
	if gw == "" {
		gw = defaultGateway
	}
	fs.StringVar(&o.gateway, "gateway", gw, "the gateway's URL ($ORAMA_GATEWAY)")
	fs.StringVar(&o.apiKey, "api-key", os.Getenv("ORAMA_API_KEY"), "the API key ($ORAMA_API_KEY; default: the saved login of the gateway)")
	fs.StringVar(&o.topic, "topic", "", "the topic (required)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "bound on each HTTP call (a publish, a subscription's handshake)")
	fs.BoolVar(&o.json, "json", false, "print JSON instead of text")
	if o.op == "publish" {
		fs.Func("data", "the message, as `text`", func(s string) error { o.data, o.dataSet = s, true; return nil })
		fs.StringVar(&o.file, "file", "", "a file holding the message")
	} else {
		fs.BoolVar(&o.presence, "presence", false, "join the topic's presence while subscribed")
		fs.StringVar(&o.memberID, "member-id", "", "the member id of -presence")
		fs.StringVar(&o.meta, "meta", "", "the member's meta of -presence, a JSON value")
		fs.IntVar(&o.count, "n", 0, "exit after N lines: messages and presence events (0: until Ctrl-C)")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, 0
		}
		return o, 2
	}
	var problem string
	switch {
	case fs.NArg() > 0:
		problem = fmt.Sprintf("unexpected argument %q (flags go after the subcommand: -topic T)", fs.Arg(0))
	case o.topic == "":
		problem = "-topic is required"
	case len(o.topic) > pubsub.MaxNameLen:
		problem = fmt.Sprintf("-topic is longer than %d bytes", pubsub.MaxNameLen)
	case o.timeout <= 0:
		problem = "-timeout must be positive"
	case o.dataSet && o.file != "":
		problem = "give -data or -file, not both"
	case o.count < 0:
		problem = "-n must not be negative"
	case o.presence && o.memberID == "":
		problem = "-presence needs -member-id"
	case !o.presence && (o.memberID != "" || o.meta != ""):
		problem = "-member-id and -meta go with -presence"
	case o.meta != "" && !json.Valid([]byte(o.meta)):
		problem = "-meta must be a JSON value, such as '{\"name\":\"ann\"}'"
	}
	if problem == "" {
		var err error
		if o.gateway, err = normalizeGateway(o.gateway); err != nil {
			problem = err.Error()
		}
	}
	if problem != "" {
		fmt.Fprintf(stderr, "orama pubsub %s: %s\n", o.op, problem)
		return o, 2
	}
	return o, -1
}

// pubsubClient is a client of o.gateway with o's API key, else the one
// saved for the gateway by orama auth login (if any).
func pubsubClient(o pubsubFlags) (*client.Client, error) {
	return gatewayClient(o.gateway, o.apiKey, o.timeout)
}

// runPublish sends the message of -data, -file or stdin.
func runPublish(ctx context.Context, ps *client.PubSub, o pubsubFlags, stdin io.Reader, stdout io.Writer) error {
	var data []byte
	switch {
	case o.dataSet:
		data = []byte(o.data)
	case o.file != "":
		f, err := os.Open(o.file)
		if err != nil {
			return err
		}
		defer f.Close()
		if data, err = readMessage(f); err != nil {
			return fmt.Errorf("%s: %w", o.file, err)
		}
	default:
		var err error
		if data, err = readMessage(stdin); err != nil {
			return fmt.Errorf("standard input: %w", err)
		}
	}
	if err := ps.Publish(ctx, o.topic, data); err != nil {
		return err
	}
	if o.json {
		return json.NewEncoder(stdout).Encode(map[string]any{"status": "ok", "topic": o.topic, "bytes": len(data)})
	}
	_, err := fmt.Fprintf(stdout, "Published %d bytes to topic %q.\n", len(data), o.topic)
	return err
}

// readMessage reads r whole, refusing more than one message's bytes.
func readMessage(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, pubsub.MaxDataLen+1))
	if err != nil {
		return nil, err
	}
	if len(data) > pubsub.MaxDataLen {
		return nil, sdk.Errorf(sdk.CodeTooLarge, "the message is larger than %d bytes", pubsub.MaxDataLen)
	}
	return data, nil
}
