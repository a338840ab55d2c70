package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/orama-network/orama/sdk/client"
	"github.com/orama-network/orama/sdk/serverless"
)

const functionsUsage = `usage: orama functions deploy NAME -file F.wasm [-public] [-memory MB] [-timeout-seconds S]
                              [-retries N] [-retry-delay S] [-env K=V]...
       orama functions invoke NAME[@V] [-data STRING | -file F] [-namespace NS]   (else standard input)
       orama functions list
       orama functions get NAME[@V]
       orama functions versions NAME
       orama functions logs NAME [-limit N]
       orama functions delete NAME[@V]

  deploy    upload a WASI command module (GOOS=wasip1 GOARCH=wasm, or
            wat2wasm) as the next version of NAME; NAME defaults to the
            file's name without .wasm
  invoke    run a function with the input on its stdin and print its
            output as it is; -namespace runs another namespace's public
            function (/v1/invoke/NS/NAME). A function that fails or runs
            out of time exits 1 with its error on standard error
  list      the latest version of every function of the namespace
  get       one version (the latest without @V)
  versions  every kept version, oldest first
  logs      the latest log lines (stderr, log_info, log_error), oldest first
  delete    one version (NAME@V) or every version (NAME)

The gateway is -gateway ($ORAMA_GATEWAY, default http://localhost:6001).
The API key is -api-key ($ORAMA_API_KEY), else the one orama auth login
saved for that gateway in ~/.orama/credentials.json. -json prints what the
gateway answered as JSON. 'orama functions <subcommand> -h' lists the
flags of a subcommand.
`

var functionsOps = []string{"deploy", "invoke", "list", "get", "versions", "logs", "delete"}

// functionsFlags are the parsed flags of orama functions.
type functionsFlags struct {
	gatewayFlags
	op, name, file string
	data           string // invoke
	dataSet        bool
	namespace      string
	def            serverless.Definition // deploy
	env            envFlag
	limit          int // logs
}

// envFlag collects -env K=V.
type envFlag map[string]string

func (e envFlag) String() string { return "" }

func (e envFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("want NAME=VALUE, not %q", v)
	}
	e[k] = val
	return nil
}

// functionsCommand runs `orama functions …`.
func functionsCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, code := parseFunctionsFlags(args, stdout, stderr)
	if code >= 0 {
		return code
	}
	return runGateway(ctx, stderr, "functions", o.op, o.client, func(ctx context.Context, c *client.Client) error {
		return runFunctions(ctx, c.Serverless(), o, stdin, stdout)
	}, describeInvoke)
}

// parseFunctionsFlags parses args; code is the exit code when the command
// should end now (usage, help, a refused flag), -1 otherwise.
func parseFunctionsFlags(args []string, stdout, stderr io.Writer) (functionsFlags, int) {
	o := functionsFlags{env: envFlag{}}
	var code int
	if o.op, args, code = subcommand("functions", functionsUsage, functionsOps, args, stdout, stderr); code >= 0 {
		return o, code
	}
	fs := flag.NewFlagSet("orama functions "+o.op, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\nflags of orama functions %s:\n", functionsUsage, o.op)
		fs.PrintDefaults()
	}
	timeout := 30 * time.Second
	switch o.op {
	case "deploy":
		timeout = 2 * time.Minute
	case "invoke":
		timeout = (serverless.MaxTimeout + 30) * time.Second
	}
	o.register(fs, timeout)
	if o.op != "list" {
		fs.StringVar(&o.name, "name", "", "the function (NAME, or NAME@V where a version may be named)")
	}
	switch o.op {
	case "deploy":
		fs.StringVar(&o.file, "file", "", "the .wasm module (required)")
		fs.BoolVar(&o.def.IsPublic, "public", false, "invocable by anyone, without a key of the namespace")
		fs.IntVar(&o.def.MemoryLimitMB, "memory", 0, fmt.Sprintf("memory limit in MB (0: %d; at most %d)", serverless.DefaultMemoryLimitMB, serverless.MaxMemoryLimitMB))
		fs.IntVar(&o.def.TimeoutSeconds, "timeout-seconds", 0, fmt.Sprintf("the function's time limit (0: %d; at most %d)", serverless.DefaultTimeoutSeconds, serverless.MaxTimeout))
		fs.IntVar(&o.def.RetryCount, "retries", 0, fmt.Sprintf("extra attempts after an error (at most %d)", serverless.MaxRetryCount))
		fs.IntVar(&o.def.RetryDelaySeconds, "retry-delay", 0, fmt.Sprintf("seconds between attempts (at most %d)", serverless.MaxRetryDelay))
		fs.Var(o.env, "env", "an environment variable NAME=VALUE, read with get_env (repeatable)")
	case "invoke":
		fs.Func("data", "the input, as `text`", func(s string) error { o.data, o.dataSet = s, true; return nil })
		fs.StringVar(&o.file, "file", "", "a file holding the input")
		fs.StringVar(&o.namespace, "namespace", "", "run a public function of this namespace (/v1/invoke/NS/NAME)")
	case "logs":
		fs.IntVar(&o.limit, "limit", 0, fmt.Sprintf("at most this many lines (0: %d; at most %d)", serverless.DefaultLogLimit, serverless.MaxLogLimit))
	}
	var problem string
	if o.op == "list" {
		problem, code = parsePlain(fs, args)
	} else {
		problem, code = parseNamed(fs, args, &o.name)
	}
	if code >= 0 && problem == "" {
		return o, code
	}
	if problem == "" {
		problem = o.check()
	}
	if problem != "" {
		fmt.Fprintf(stderr, "orama functions %s: %s\n", o.op, problem)
		return o, 2
	}
	return o, -1
}

// check returns what is wrong with the flags, or "".
func (o *functionsFlags) check() string {
	if o.op == "deploy" && o.name == "" && o.file != "" {
		o.name = strings.TrimSuffix(filepath.Base(o.file), ".wasm")
	}
	if o.op != "list" {
		if o.name == "" {
			return "name the function: orama functions " + o.op + " NAME"
		}
		_, version, err := serverless.ParseRef(o.name)
		switch {
		case err != nil:
			return describe(err)
		case version != 0 && (o.op == "deploy" || o.op == "versions" || o.op == "logs"):
			return fmt.Sprintf("%s takes a name without @version", o.op)
		}
	}
	switch {
	case o.op == "deploy" && o.file == "":
		return "-file is required (the .wasm module)"
	case o.op == "invoke" && o.dataSet && o.file != "":
		return "give -data or -file, not both"
	case o.namespace != "" && serverless.CheckNamespace(o.namespace) != nil:
		return describe(serverless.CheckNamespace(o.namespace))
	case o.limit < 0:
		return "-limit must not be negative"
	}
	if len(o.env) > 0 {
		o.def.EnvVars = o.env
	}
	o.def.Name = o.name
	if o.op == "deploy" {
		if _, err := serverless.Normalize(withNamespace(o.def)); err != nil {
			return describe(err)
		}
	}
	return o.gatewayFlags.check()
}

// withNamespace gives def a placeholder namespace, so that Normalize
// checks everything else (the gateway sets the key's namespace).
func withNamespace(def serverless.Definition) serverless.Definition {
	def.Namespace = "-"
	return def
}
