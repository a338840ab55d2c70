package namespaced

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func TestParseConfigErrorsNameTheAttribute(t *testing.T) {
	rq := func(attrs map[string]any) map[string]any {
		attrs["driver"] = "rqlite"
		if _, ok := attrs["hosts"]; !ok {
			attrs["hosts"] = []string{"http://127.0.0.1:4001"}
		}
		return attrs
	}
	cases := []struct {
		name  string
		attrs map[string]any
		want  string
	}{
		{"bogus driver", map[string]any{"driver": "postgres"}, "driver"},
		{"unknown attribute", map[string]any{"dsn": "x"}, "dsn"},
		{"string max_rows", map[string]any{"max_rows": "10"}, "max_rows"},
		{"zero max_rows", map[string]any{"max_rows": 0}, "max_rows"},
		{"huge max_rows", map[string]any{"max_rows": 100_000_000}, "max_rows"},
		{"zero max_result_bytes", map[string]any{"max_result_bytes": 0}, "max_result_bytes"},
		{"huge max_result_bytes", map[string]any{"max_result_bytes": int64(1) << 31}, "max_result_bytes"},
		{"bad statement_timeout", map[string]any{"statement_timeout": "soon"}, "statement_timeout"},
		{"zero statement_timeout", map[string]any{"statement_timeout": "0s"}, "statement_timeout"},
		{"zero max_concurrent_statements", map[string]any{"max_concurrent_statements": 0}, "max_concurrent_statements"},
		{"huge max_concurrent_statements", map[string]any{"max_concurrent_statements": 100_000}, "max_concurrent_statements"},
		{"negative max_concurrent_statements", map[string]any{"max_concurrent_statements": -1}, "max_concurrent_statements"},
		{"negative busy_timeout", map[string]any{"busy_timeout": "-1s"}, "busy_timeout"},
		{"zero max_open_conns", map[string]any{"max_open_conns": 0}, "max_open_conns"},
		{"memory path", map[string]any{"path": ":memory:"}, "path"},
		{"URI path", map[string]any{"path": "file:x.db?mode=ro"}, "path"},
		{"hosts with sqlite", map[string]any{"hosts": []string{"http://a:1"}}, "hosts"},
		{"retries with sqlite", map[string]any{"retries": 2}, "retries"},
		{"rqlite without hosts", map[string]any{"driver": "rqlite"}, "hosts"},
		{"rqlite empty hosts", rq(map[string]any{"hosts": []string{}}), "hosts"},
		{"host without scheme", rq(map[string]any{"hosts": []string{"127.0.0.1:4001"}}), "hosts"},
		{"host without port", rq(map[string]any{"hosts": []string{"http://db"}}), "hosts"},
		{"hosts not a list", rq(map[string]any{"hosts": "http://a:1"}), "hosts"},
		{"bad consistency", rq(map[string]any{"consistency": "eventual"}), "consistency"},
		{"bad timeout", rq(map[string]any{"timeout": "10"}), "timeout"},
		{"negative retries", rq(map[string]any{"retries": -1}), "retries"},
		{"many retries", rq(map[string]any{"retries": 11}), "retries"},
		{"negative in_flight", rq(map[string]any{"in_flight": -1}), "in_flight"},
		{"huge in_flight", rq(map[string]any{"in_flight": 1000}), "in_flight"},
		{"in_flight with sqlite", map[string]any{"in_flight": 2}, "in_flight"},
		{"path with rqlite", rq(map[string]any{"path": "/x.db"}), "path"},
		{"max_open_conns with rqlite", rq(map[string]any{"max_open_conns": 8}), "max_open_conns"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig(testConfig(t, tc.attrs))
			plugintest.WantConfigError(t, err, "ParseConfig", tc.want)
		})
	}
}

func TestParseConfigReportsEveryBadAttribute(t *testing.T) {
	_, err := ParseConfig(testConfig(t, map[string]any{"max_rows": -1, "statement_timeout": "x", "busy_timeout": "y"}))
	var ce plugin.ConfigError
	if !errors.As(err, &ce) || len(ce) != 3 {
		t.Errorf("got %v, want errors for max_rows, statement_timeout and busy_timeout", err)
	}
}

func TestParseConfigDefaults(t *testing.T) {
	for name, raw := range map[string]string{"no block": "", "empty block": "{}", "nulls": `{"driver": null, "hosts": null}`} {
		cfg := testConfig(t, nil)
		cfg.Raw = []byte(raw)
		c, err := ParseConfig(cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.Driver != DriverSQLite || c.path != filepath.Join(cfg.DataDir, "database", "orama.db") ||
			c.busyTimeout != 5*time.Second || c.MaxOpenConns != 8 || c.MaxRows != 10000 ||
			c.MaxResultBytes != 16<<20 || c.statementTimeout != 5*time.Second || c.MaxConcurrentStatements != 4 {
			t.Errorf("%s: defaults = %+v", name, c)
		}
	}
	c, err := ParseConfig(testConfig(t, map[string]any{"driver": "rqlite", "hosts": []string{"http://10.0.0.1:4001", "https://u:p@db:4443"}}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Consistency != "weak" || c.timeout != 10*time.Second || c.Retries != 3 || c.InFlight != 2 || c.path != "" || c.MaxConcurrentStatements != 8 {
		t.Errorf("rqlite defaults = %+v", c)
	}
}

func TestMaxConcurrentStatementsDefault(t *testing.T) {
	for _, c := range []struct {
		attrs map[string]any
		want  int
	}{
		{nil, 4},
		{map[string]any{"max_open_conns": 1}, 1},
		{map[string]any{"max_open_conns": 4}, 2},
		{map[string]any{"max_open_conns": 16, "max_concurrent_statements": 3}, 3},
		{map[string]any{"max_concurrent_statements": nil}, 4},
		{map[string]any{"driver": "rqlite", "hosts": []string{"http://10.0.0.1:4001"}, "max_concurrent_statements": 20}, 20},
	} {
		got, err := ParseConfig(testConfig(t, c.attrs))
		if err != nil || got.MaxConcurrentStatements != c.want {
			t.Errorf("%v: max_concurrent_statements %d (%v), want %d", c.attrs, got.MaxConcurrentStatements, err, c.want)
		}
	}
}

func TestParseConfigPath(t *testing.T) {
	cfg := testConfig(t, map[string]any{"path": "sub/my.db"})
	cfg.Name = "db2"
	c, err := ParseConfig(cfg)
	if err != nil || c.path != filepath.Join(cfg.DataDir, "db2", "sub", "my.db") {
		t.Errorf("relative path = %q, %v", c.path, err)
	}
	abs := filepath.Join(t.TempDir(), "x", "..", "abs.db")
	c, err = ParseConfig(testConfig(t, map[string]any{"path": abs}))
	if err != nil || c.path != filepath.Clean(abs) {
		t.Errorf("absolute path = %q, %v", c.path, err)
	}
	cfg = testConfig(t, nil)
	cfg.DataDir = ""
	var ce plugin.ConfigError
	if _, err := ParseConfig(cfg); !errors.As(err, &ce) || ce[0].Attribute != "path" {
		t.Errorf("no data_dir and no path = %v, want an error naming path", err)
	}
}

func TestValidateConfigHasNoSideEffects(t *testing.T) {
	b := New(nil)
	cfg := testConfig(t, nil)
	if err := b.ValidateConfig(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(filepath.Join(cfg.DataDir, "*")); len(m) != 0 {
		t.Errorf("ValidateConfig created %v", m)
	}
	if b.cur.Load() != nil {
		t.Error("ValidateConfig configured the backend")
	}
}
