package serverlesstest

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
)

// wantSecrets fails unless namespace's secrets are exactly names.
func wantSecrets(t *testing.T, s serverless.Serverless, namespace string, names ...string) {
	t.Helper()
	got, err := s.Secrets(t.Context(), namespace)
	if err != nil {
		t.Errorf("Secrets: %v", err)
		return
	}
	if len(got) != 0 || len(names) != 0 {
		if !slices.Equal(got, names) {
			t.Errorf("Secrets = %q, want %q", got, names)
		}
	}
}

func testSecrets(t *testing.T, s serverless.Serverless) {
	ctx := t.Context()
	ns := plugintest.Unique("ns")
	wantSecrets(t, s, ns)
	value := []byte("s3cret-value\x00\xff")
	for _, name := range []string{"Z_LAST", "API_KEY", "db.password"} {
		if err := s.SetSecret(ctx, ns, name, value); err != nil {
			t.Fatalf("SetSecret(%s): %v", name, err)
		}
	}
	wantSecrets(t, s, ns, "API_KEY", "Z_LAST", "db.password")
	// Replacing keeps one secret of the name.
	if err := s.SetSecret(ctx, ns, "API_KEY", []byte("another")); err != nil {
		t.Fatalf("SetSecret again: %v", err)
	}
	wantSecrets(t, s, ns, "API_KEY", "Z_LAST", "db.password")
	names, _ := s.Secrets(ctx, ns)
	for _, n := range names {
		if strings.Contains(n, "s3cret") || bytes.Contains([]byte(n), []byte("another")) {
			t.Errorf("Secrets returned a value: %q", n)
		}
	}
	if err := s.DeleteSecret(ctx, ns, "Z_LAST"); err != nil {
		t.Fatalf("DeleteSecret: %v", err)
	}
	wantSecrets(t, s, ns, "API_KEY", "db.password")
	plugintest.WantCode(t, s.DeleteSecret(ctx, ns, "Z_LAST"), "DeleteSecret of a deleted secret", sdk.CodeNotFound)
	plugintest.WantCode(t, s.DeleteSecret(ctx, ns, "NEVER_SET"), "DeleteSecret of a secret never set", sdk.CodeNotFound)
}

func testSecretsIsolation(t *testing.T, s serverless.Serverless) {
	ctx := t.Context()
	a, b := plugintest.Unique("ns-a"), plugintest.Unique("ns-b")
	if err := s.SetSecret(ctx, a, "TOKEN", []byte("a's")); err != nil {
		t.Fatalf("SetSecret in a: %v", err)
	}
	wantSecrets(t, s, b)
	plugintest.WantCode(t, s.DeleteSecret(ctx, b, "TOKEN"), "DeleteSecret of another namespace's secret", sdk.CodeNotFound)
	if err := s.SetSecret(ctx, b, "TOKEN", []byte("b's")); err != nil {
		t.Fatalf("SetSecret in b: %v", err)
	}
	if err := s.DeleteSecret(ctx, b, "TOKEN"); err != nil {
		t.Fatalf("DeleteSecret in b: %v", err)
	}
	wantSecrets(t, s, a, "TOKEN")
}

func testSecretsInvalid(t *testing.T, s serverless.Serverless) {
	ctx := t.Context()
	ns := plugintest.Unique("ns")
	for _, name := range []string{"", "has space", "a/b", ".dot", strings.Repeat("k", serverless.MaxSecretNameLen+1)} {
		plugintest.WantCode(t, s.SetSecret(ctx, ns, name, []byte("v")), "SetSecret named "+short(name), sdk.CodeInvalid)
		plugintest.WantCode(t, s.DeleteSecret(ctx, ns, name), "DeleteSecret named "+short(name), sdk.CodeInvalid)
	}
	plugintest.WantCode(t, s.SetSecret(ctx, ns, "K", nil), "SetSecret of an empty value", sdk.CodeInvalid)
	plugintest.WantCode(t, s.SetSecret(ctx, ns, "K", make([]byte, serverless.MaxSecretLen+1)), "SetSecret of a value over MaxSecretLen", sdk.CodeTooLarge)
	plugintest.WantCode(t, s.SetSecret(ctx, "", "K", []byte("v")), "SetSecret without a namespace", sdk.CodeInvalid)
	_, err := s.Secrets(ctx, "")
	plugintest.WantCode(t, err, "Secrets without a namespace", sdk.CodeInvalid)
	wantSecrets(t, s, ns)
}
