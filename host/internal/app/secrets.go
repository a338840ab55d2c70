package app

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
	"unicode/utf8"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
	"github.com/orama-network/orama/sdk/serverless"
)

const secretsUsage = `usage: orama secrets set NAME [-value V | -file F]   (else standard input)
       orama secrets list
       orama secrets delete NAME

  set     set or replace a secret of the namespace; its functions read it
          with get_secret. From -file or standard input, one trailing
          newline is dropped
  list    the names of the namespace's secrets (values are never shown)
  delete  remove a secret

The gateway is -gateway ($ORAMA_GATEWAY, default http://localhost:6001).
The API key is -api-key ($ORAMA_API_KEY), else the one orama auth login
saved for that gateway in ~/.orama/credentials.json.
`

var secretsOps = []string{"set", "list", "delete"}

// secretsFlags are the parsed flags of orama secrets.
type secretsFlags struct {
	gatewayFlags
	op, name, value, file string
	valueSet              bool
}

// secretsCommand runs `orama secrets …`.
func secretsCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, code := parseSecretsFlags(args, stdout, stderr)
	if code >= 0 {
		return code
	}
	return runGateway(ctx, stderr, "secrets", o.op, o.client, func(ctx context.Context, c *client.Client) error {
		return runSecrets(ctx, c.Serverless(), o, stdin, stdout)
	}, describe)
}

func parseSecretsFlags(args []string, stdout, stderr io.Writer) (secretsFlags, int) {
	var o secretsFlags
	var code int
	if o.op, args, code = subcommand("secrets", secretsUsage, secretsOps, args, stdout, stderr); code >= 0 {
		return o, code
	}
	fs := flag.NewFlagSet("orama secrets "+o.op, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\nflags of orama secrets %s:\n", secretsUsage, o.op)
		fs.PrintDefaults()
	}
	o.register(fs, 30*time.Second)
	var problem string
	if o.op == "list" {
		problem, code = parsePlain(fs, args)
	} else {
		fs.StringVar(&o.name, "name", "", "the secret's name")
		if o.op == "set" {
			fs.Func("value", "the secret's `value`", func(s string) error { o.value, o.valueSet = s, true; return nil })
			fs.StringVar(&o.file, "file", "", "a file holding the value")
		}
		problem, code = parseNamed(fs, args, &o.name)
	}
	if code >= 0 && problem == "" {
		return o, code
	}
	switch {
	case problem != "":
	case o.op != "list" && o.name == "":
		problem = "name the secret: orama secrets " + o.op + " NAME"
	case o.op != "list" && serverless.CheckSecretName(o.name) != nil:
		problem = describe(serverless.CheckSecretName(o.name))
	case o.valueSet && o.file != "":
		problem = "give -value or -file, not both"
	default:
		problem = o.check()
	}
	if problem != "" {
		fmt.Fprintf(stderr, "orama secrets %s: %s\n", o.op, problem)
		return o, 2
	}
	return o, -1
}

func runSecrets(ctx context.Context, s *client.Serverless, o secretsFlags, stdin io.Reader, stdout io.Writer) error {
	switch o.op {
	case "set":
		value, err := secretValue(o, stdin)
		if err != nil {
			return err
		}
		if err := s.SetSecret(ctx, o.name, value); err != nil {
			return err
		}
		if o.json {
			return writeJSON(stdout, map[string]string{"status": "ok", "name": o.name})
		}
		_, err = fmt.Fprintf(stdout, "Secret %s set.\n", o.name)
		return err
	case "list":
		names, err := s.Secrets(ctx)
		if err != nil {
			return err
		}
		if o.json {
			return writeJSON(stdout, map[string]any{"secrets": orEmpty(names), "count": len(names)})
		}
		for _, n := range names {
			if _, err := fmt.Fprintln(stdout, n); err != nil {
				return err
			}
		}
		return nil
	case "delete":
		if err := s.DeleteSecret(ctx, o.name); err != nil {
			return err
		}
		if o.json {
			return writeJSON(stdout, map[string]string{"status": "ok", "name": o.name})
		}
		_, err := fmt.Fprintf(stdout, "Secret %s deleted.\n", o.name)
		return err
	}
	return fmt.Errorf("unknown subcommand %q", o.op)
}

// secretValue is the value of -value, or of -file or stdin without one
// trailing newline; it must be UTF-8 and at most serverless.MaxSecretLen
// bytes.
func secretValue(o secretsFlags, stdin io.Reader) (string, error) {
	if o.valueSet {
		return o.value, nil
	}
	src, what := stdin, "standard input"
	if o.file != "" {
		f, err := os.Open(o.file)
		if err != nil {
			return "", err
		}
		defer f.Close()
		src, what = f, o.file
	}
	b, err := io.ReadAll(io.LimitReader(src, serverless.MaxSecretLen+2))
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	b = bytes.TrimSuffix(b, []byte("\n"))
	b = bytes.TrimSuffix(b, []byte("\r"))
	switch {
	case len(b) > serverless.MaxSecretLen:
		return "", sdk.Errorf(sdk.CodeTooLarge, "%s: the value is larger than %d bytes", what, serverless.MaxSecretLen)
	case !utf8.Valid(b):
		return "", sdk.Errorf(sdk.CodeInvalid, "%s: the value is not UTF-8", what)
	}
	return string(b), nil
}
