package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
	"github.com/orama-network/orama/sdk/serverless"
)

// runFunctions runs the subcommand o.op.
func runFunctions(ctx context.Context, s *client.Serverless, o functionsFlags, stdin io.Reader, stdout io.Writer) error {
	switch o.op {
	case "deploy":
		return runDeploy(ctx, s, o, stdout)
	case "invoke":
		return runInvoke(ctx, s, o, stdin, stdout)
	case "list":
		fs, err := s.List(ctx)
		if err != nil {
			return err
		}
		if o.json {
			return writeJSON(stdout, map[string]any{"functions": orEmpty(fs), "count": len(fs)})
		}
		return writeFunctions(stdout, fs, true)
	case "get":
		f, err := s.Get(ctx, o.name)
		if err != nil {
			return err
		}
		if o.json {
			return writeJSON(stdout, f)
		}
		return writeFunction(stdout, f)
	case "versions":
		fs, err := s.Versions(ctx, o.name)
		if err != nil {
			return err
		}
		if o.json {
			return writeJSON(stdout, map[string]any{"versions": orEmpty(fs), "count": len(fs)})
		}
		return writeFunctions(stdout, fs, false)
	case "logs":
		logs, err := s.Logs(ctx, o.name, o.limit)
		if err != nil {
			return err
		}
		if o.json {
			return writeJSON(stdout, map[string]any{"name": o.name, "logs": orEmpty(logs), "count": len(logs)})
		}
		for _, l := range logs {
			if _, err := fmt.Fprintf(stdout, "%s %-5s %s\n", l.Timestamp.UTC().Format(time.RFC3339Nano), l.Level, l.Message); err != nil {
				return err
			}
		}
		return nil
	case "delete":
		msg, err := s.Delete(ctx, o.name)
		if err != nil {
			return err
		}
		if o.json {
			return writeJSON(stdout, map[string]string{"message": msg})
		}
		_, err = fmt.Fprintln(stdout, msg)
		return err
	}
	return fmt.Errorf("unknown subcommand %q", o.op)
}

func runDeploy(ctx context.Context, s *client.Serverless, o functionsFlags, stdout io.Writer) error {
	f, err := os.Open(o.file)
	if err != nil {
		return err
	}
	defer f.Close()
	fn, err := s.Deploy(ctx, o.def, f)
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(stdout, fn)
	}
	_, err = fmt.Fprintf(stdout, "Deployed %s version %d (wasm_cid %s).\n", fn.Name, fn.Version, fn.WASMCID)
	return err
}

func runInvoke(ctx context.Context, s *client.Serverless, o functionsFlags, stdin io.Reader, stdout io.Writer) error {
	input, err := invokeInput(o, stdin)
	if err != nil {
		return err
	}
	var res client.InvokeResult
	if o.namespace != "" {
		res, err = s.InvokePublic(ctx, o.namespace, o.name, input)
	} else {
		res, err = s.Invoke(ctx, o.name, input)
	}
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(stdout, map[string]any{"request_id": res.RequestID, "status": res.Status,
			"duration_ms": res.Duration.Milliseconds(), "output": string(res.Output)})
	}
	_, err = stdout.Write(res.Output)
	return err
}

// invokeInput is the input of -data, -file or stdin.
func invokeInput(o functionsFlags, stdin io.Reader) ([]byte, error) {
	switch {
	case o.dataSet:
		return []byte(o.data), nil
	case o.file != "":
		f, err := os.Open(o.file)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		b, err := readInput(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.file, err)
		}
		return b, nil
	}
	b, err := readInput(stdin)
	if err != nil {
		return nil, fmt.Errorf("standard input: %w", err)
	}
	return b, nil
}

// readInput reads r whole, refusing more than one invocation's input.
func readInput(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, serverless.MaxInputBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > serverless.MaxInputBytes {
		return nil, sdk.Errorf(sdk.CodeTooLarge, "the input is larger than %d bytes", serverless.MaxInputBytes)
	}
	return b, nil
}

// writeFunctions prints fs as a table: by name (list) or by version.
func writeFunctions(w io.Writer, fs []client.Function, byName bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if byName {
		fmt.Fprintln(tw, "NAME\tVERSION\tPUBLIC\tMEMORY_MB\tTIMEOUT_S\tUPDATED")
	} else {
		fmt.Fprintln(tw, "VERSION\tWASM_CID\tPUBLIC\tMEMORY_MB\tTIMEOUT_S\tCREATED")
	}
	for _, f := range fs {
		first, at := f.Name, f.UpdatedAt
		if !byName {
			first, at = strconv.Itoa(f.Version), f.CreatedAt
		}
		second := strconv.Itoa(f.Version)
		if !byName {
			second = f.WASMCID
		}
		fmt.Fprintf(tw, "%s\t%s\t%t\t%d\t%d\t%s\n", first, second, f.IsPublic, f.MemoryLimitMB, f.TimeoutSeconds,
			at.UTC().Format(time.RFC3339))
	}
	return tw.Flush()
}

// writeFunction prints one function, a field per line.
func writeFunction(w io.Writer, f client.Function) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	env, _ := json.Marshal(orEmptyMap(f.EnvVars))
	for _, kv := range [][2]string{
		{"name", f.Name}, {"namespace", f.Namespace}, {"version", strconv.Itoa(f.Version)}, {"id", f.ID},
		{"wasm_cid", f.WASMCID}, {"status", f.Status}, {"is_public", strconv.FormatBool(f.IsPublic)},
		{"memory_limit_mb", strconv.Itoa(f.MemoryLimitMB)}, {"timeout_seconds", strconv.Itoa(f.TimeoutSeconds)},
		{"retry_count", strconv.Itoa(f.RetryCount)}, {"retry_delay_seconds", strconv.Itoa(f.RetryDelaySeconds)},
		{"env_vars", string(env)}, {"created_at", f.CreatedAt.UTC().Format(time.RFC3339)},
		{"updated_at", f.UpdatedAt.UTC().Format(time.RFC3339)},
	} {
		fmt.Fprintf(tw, "%s:\t%s\n", kv[0], kv[1])
	}
	return tw.Flush()
}

// describeInvoke describes err; a function's own failure names its
// status and request id.
func describeInvoke(err error) string {
	var fe *client.FunctionError
	if errors.As(err, &fe) {
		msg := fmt.Sprintf("the function failed (%s): %s", fe.Status, fe.Message)
		if fe.RequestID != "" {
			msg += " [request " + fe.RequestID + "]"
		}
		return msg
	}
	return describe(err)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func orEmptyMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
