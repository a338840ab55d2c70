package app

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

// fakeKeys is the key part of auth.Auth over a slice; any other method
// panics (the embedded interface is nil), so a test notices a stray call.
type fakeKeys struct {
	auth.Auth
	keys []auth.APIKey
	n    int
}

func (f *fakeKeys) CreateKey(_ context.Context, namespace, name, plan string) (auth.APIKey, error) {
	f.n++
	if plan == "" {
		plan = "free"
	}
	k := auth.APIKey{ID: "key_" + strings.Repeat("x", f.n), Key: testKey(namespace, byte(f.n)), Namespace: namespace,
		Plan: plan, Name: name, Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	f.keys = append(f.keys, k)
	return k, nil
}

// ListKeys returns the keys with their secrets, as a broken plugin
// might: the command must not print them.
func (f *fakeKeys) ListKeys(_ context.Context, namespace string) ([]auth.APIKey, error) {
	var out []auth.APIKey
	for _, k := range f.keys {
		if k.Namespace == namespace {
			out = append(out, k)
		}
	}
	return out, nil
}

func (f *fakeKeys) RevokeKey(_ context.Context, namespace, id string) error {
	for i, k := range f.keys {
		if k.ID == id && k.Namespace == namespace {
			f.keys[i].Revoked = true
			return nil
		}
	}
	return sdk.Errorf(sdk.CodeNotFound, "no API key %q in namespace %q", id, namespace)
}

// testKey is a well-formed key of namespace whose secret bytes are all b.
func testKey(namespace string, b byte) string {
	return auth.FormatAPIKey("ak_"+strings.Repeat(string("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[b%26]), 24), namespace)
}

func TestKeysFlags(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string // in stderr
	}{
		{nil, 2, "name a subcommand"},
		{[]string{"-namespace", "a"}, 2, "name a subcommand"},
		{[]string{"rotate"}, 2, `unknown subcommand "rotate"`},
		{[]string{"create"}, 2, "-namespace is required"},
		{[]string{"create", "-namespace", "no spaces"}, 2, "namespace"},
		{[]string{"create", "-namespace", "_system"}, 2, "reserved"},
		{[]string{"revoke", "--namespace", "a"}, 2, "-id is required"},
		{[]string{"list", "-namespace", "a", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"list", "-namespace", "a", "-id", "k"}, 2, "flag provided but not defined: -id"},
		{[]string{"create", "-namespace", "a", "-timeout", "0s"}, 2, "-timeout must be positive"},
	}
	for _, c := range cases {
		code, _, errs := run(append([]string{"keys"}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("orama keys %q: exit %d, stderr %q; want %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
	if code, out, _ := run("keys", "help"); code != 0 || !strings.Contains(out, "revoke") {
		t.Errorf("orama keys help: %d %q", code, out)
	}
	o, code := parseKeysFlags([]string{"create", "--namespace", "team-a", "--name", "ci", "--plan", "pro", "-json"}, &bytes.Buffer{}, &bytes.Buffer{})
	if code != -1 || o.namespace != "team-a" || o.name != "ci" || o.plan != "pro" || !o.json {
		t.Errorf("double-dash flags: %+v, code %d", o, code)
	}
}

// executable writes a stand-in plugin binary: config.Load wants the path
// to be an executable file.
func executable(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "orama-plugin-stub")
	if err := os.WriteFile(path, []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestKeysNeedAuthAndDatabasePlugins(t *testing.T) {
	dir := t.TempDir()
	bin := executable(t, dir)
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	noAuth := write("noauth.hcl", "plugin \"database\" {\n  path = \""+bin+"\"\n}\n")
	noDB := write("nodb.hcl", "plugin \"auth\" {\n  path = \""+bin+"\"\n}\n")
	bad := write("bad.hcl", "server {\n  listne = 1\n}\n")

	if code, _, errs := run("keys", "list", "-config", noAuth, "-namespace", "a"); code != 1 || !strings.Contains(errs, `no plugin "auth" block`) {
		t.Errorf("config without auth: %d %q", code, errs)
	}
	if code, _, errs := run("keys", "list", "-config", noDB, "-namespace", "a"); code != 1 || !strings.Contains(errs, `no plugin "database" block`) {
		t.Errorf("config without database: %d %q", code, errs)
	}
	if code, _, errs := run("keys", "create", "-config", bad, "-namespace", "a"); code != 1 || !strings.Contains(errs, "bad.hcl:2") {
		t.Errorf("bad config: %d %q", code, errs)
	}
	if code, _, errs := run("keys", "list", "-config", filepath.Join(dir, "missing.hcl"), "-namespace", "a"); code != 1 || errs == "" {
		t.Errorf("missing config: %d %q", code, errs)
	}
}

func TestKeysCreateListRevoke(t *testing.T) {
	f := &fakeKeys{}
	ctx := context.Background()
	call := func(o keysOptions) (string, string, error) {
		var out, errs bytes.Buffer
		err := runKeys(ctx, f, o, 5*time.Second, &out, &errs)
		return out.String(), errs.String(), err
	}

	out, errs, err := call(keysOptions{operatorOptions: operatorOptions{op: "create", namespace: "team"}, name: "ci", plan: "pro"})
	key := f.keys[0].Key
	if err != nil || strings.Count(out, key) != 1 || !strings.Contains(out, "cannot be shown again") || errs != "" {
		t.Fatalf("create: %v\nstdout %q\nstderr %q", err, out, errs)
	}
	if !strings.Contains(out, `"team"`) || !strings.Contains(out, `"pro"`) || !strings.Contains(out, `"ci"`) {
		t.Errorf("create does not say namespace, plan and name: %q", out)
	}

	out, errs, err = call(keysOptions{operatorOptions: operatorOptions{op: "create", namespace: "team", json: true}})
	var created keyView
	if err != nil || json.Unmarshal([]byte(out), &created) != nil {
		t.Fatalf("create -json: %v %q", err, out)
	}
	if created.Key != f.keys[1].Key || created.ID != f.keys[1].ID || created.Namespace != "team" || created.Plan != "free" {
		t.Errorf("create -json: %+v, want %+v", created, f.keys[1])
	}
	if !strings.Contains(errs, "cannot be shown again") {
		t.Errorf("create -json: the warning goes to stderr, got %q", errs)
	}

	if _, _, err := call(keysOptions{operatorOptions: operatorOptions{op: "revoke", namespace: "team"}, id: f.keys[0].ID}); err != nil {
		t.Fatal(err)
	}
	out, _, err = call(keysOptions{operatorOptions: operatorOptions{op: "list", namespace: "team"}})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[0], "STATUS") {
		t.Fatalf("list table:\n%s", out)
	}
	if !strings.Contains(lines[1], f.keys[0].ID) || !strings.HasSuffix(lines[1], "revoked") ||
		!strings.Contains(lines[2], f.keys[1].ID) || !strings.HasSuffix(lines[2], "active") {
		t.Errorf("list rows:\n%s", out)
	}
	for _, k := range f.keys {
		secret, _, _ := strings.Cut(k.Key, ":")
		if strings.Contains(out, secret) {
			t.Errorf("list shows a secret:\n%s", out)
		}
	}

	out, _, err = call(keysOptions{operatorOptions: operatorOptions{op: "list", namespace: "team", json: true}})
	var listed struct {
		Keys  []map[string]any `json:"keys"`
		Count int              `json:"count"`
	}
	if err != nil || json.Unmarshal([]byte(out), &listed) != nil || listed.Count != 2 || len(listed.Keys) != 2 {
		t.Fatalf("list -json: %v %q", err, out)
	}
	if _, has := listed.Keys[0]["key"]; has || listed.Keys[0]["revoked"] != true || listed.Keys[1]["revoked"] != false {
		t.Errorf("list -json entries: %v", listed.Keys)
	}

	out, _, err = call(keysOptions{operatorOptions: operatorOptions{op: "list", namespace: "empty"}})
	if err != nil || !strings.Contains(out, "No API keys") {
		t.Errorf("empty list: %v %q", err, out)
	}

	_, _, err = call(keysOptions{operatorOptions: operatorOptions{op: "revoke", namespace: "other"}, id: f.keys[1].ID})
	if err == nil || !strings.Contains(describe(err), "(not_found)") {
		t.Errorf("revoke of another namespace's key: %v", err)
	}
}
