package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

const statusUsage = `usage: orama status [-gateway URL] [-json] [-timeout D]

Prints a gateway's node (its id and the peers it sees), its plugins (state,
pid, restarts, version) and their backends (driver, ok, detail) as a
table, from GET /v1/status and /v1/health (public routes: no API key). It
exits 1 when the gateway cannot be reached or answers something else, 3
when it answers but is degraded (a plugin down), 0 otherwise.

flags:
`

// statusDoc is the part of /v1/status and /v1/health orama status shows.
type statusDoc struct {
	Health string `json:"health"` // /v1/health's status: ok or degraded
	Server struct {
		StartedAt time.Time `json:"started_at"`
		Uptime    string    `json:"uptime"`
	} `json:"server"`
	Node struct {
		ID    string   `json:"id"`
		Peers []string `json:"peers"`
	} `json:"node"`
	Plugins map[string]struct {
		Status   string `json:"status"`
		PID      int    `json:"pid"`
		Restarts int    `json:"restarts"`
		Version  string `json:"version"`
	} `json:"plugins"`
	Backends map[string]struct {
		Driver string `json:"driver"`
		OK     bool   `json:"ok"`
		Detail string `json:"detail"`
	} `json:"backends"`
}

// statusCommand runs orama status.
func statusCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && slicesHelp(args[0]) {
		fmt.Fprint(stdout, statusUsage)
		return 0
	}
	fs := flag.NewFlagSet("orama status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, statusUsage); fs.PrintDefaults() }
	gw := os.Getenv("ORAMA_GATEWAY")
	if gw == "" {
		gw = defaultGateway
	}
	gateway := fs.String("gateway", gw, "the gateway's URL ($ORAMA_GATEWAY)")
	asJSON := fs.Bool("json", false, "print the documents as JSON instead of a table")
	timeout := fs.Duration("timeout", 10*time.Second, "bound on each HTTP call")
	if problem, code := parsePlain(fs, args); code >= 0 {
		if problem != "" {
			fmt.Fprintf(stderr, "orama status: %s\n", problem)
		}
		return code
	}
	url, err := normalizeGateway(*gateway)
	if err == nil && *timeout <= 0 {
		err = errors.New("-timeout must be positive")
	}
	if err != nil {
		fmt.Fprintf(stderr, "orama status: %v\n", err)
		return 2
	}
	doc, err := fetchStatus(ctx, &http.Client{Timeout: *timeout}, url)
	if err != nil {
		fmt.Fprintf(stderr, "orama status: %v\n", err)
		return 1
	}
	if *asJSON {
		err = writeJSONTo(stdout, doc)
	} else {
		err = statusTable(stdout, url, doc)
	}
	if err != nil {
		fmt.Fprintf(stderr, "orama status: %v\n", err)
		return 1
	}
	if doc.Health != "ok" {
		return 3
	}
	return 0
}

// fetchStatus reads /v1/status and /v1/health of the gateway at url.
func fetchStatus(ctx context.Context, hc *http.Client, url string) (*statusDoc, error) {
	var doc statusDoc
	if err := getJSON(ctx, hc, url+"/v1/status", &doc, http.StatusOK); err != nil {
		return nil, err
	}
	var health struct {
		Status string `json:"status"`
	}
	// 503 with status "degraded" is an answer, not a failure.
	if err := getJSON(ctx, hc, url+"/v1/health", &health, http.StatusOK, http.StatusServiceUnavailable); err != nil {
		return nil, err
	}
	doc.Health = health.Status
	return &doc, nil
}

func getJSON(ctx context.Context, hc *http.Client, url string, v any, codes ...int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach the gateway: %v (is it running? `systemctl status orama`, or give -gateway)", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("GET %s: %v", url, err)
	}
	if !slices.Contains(codes, resp.StatusCode) {
		return fmt.Errorf("GET %s answered %s: %s", url, resp.Status, strings.TrimSpace(string(body[:min(len(body), 200)])))
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("GET %s: not a gateway's answer (%v)", url, err)
	}
	return nil
}

// statusTable prints doc: the node, then one row per plugin with its
// backend.
func statusTable(w io.Writer, url string, doc *statusDoc) error {
	fmt.Fprintf(w, "Gateway %s: %s, up %s\n\n", url, doc.Health, doc.Server.Uptime)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tROLE")
	fmt.Fprintf(tw, "%s\tthis node\n", dash(doc.Node.ID))
	for _, p := range doc.Node.Peers {
		fmt.Fprintf(tw, "%s\tpeer (seen in the last minute)\n", p)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	kinds := make([]string, 0, len(doc.Plugins))
	for k := range doc.Plugins {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	if len(kinds) == 0 {
		_, err := fmt.Fprintln(w, "No plugins configured.")
		return err
	}
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PLUGIN\tSTATE\tPID\tRESTARTS\tVERSION\tBACKEND\tOK\tDETAIL")
	for _, k := range kinds {
		p, b := doc.Plugins[k], doc.Backends[k]
		pid, ok := "-", "no"
		if p.PID > 0 {
			pid = fmt.Sprint(p.PID)
		}
		if b.OK {
			ok = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", k, dash(p.Status), pid, p.Restarts,
			dash(p.Version), dash(b.Driver), ok, dash(oneLine(b.Detail)))
	}
	return tw.Flush()
}

// oneLine keeps a detail on its table row.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}
