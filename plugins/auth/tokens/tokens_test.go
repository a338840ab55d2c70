package tokens_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/auth/tokens"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/jwtverify"
)

const secret = "0123456789abcdef0123456789abcdef-test"

// TestThumbprintRFC8037 checks the kid against RFC 8037, appendix A.3.
func TestThumbprintRFC8037(t *testing.T) {
	x, _ := base64.RawURLEncoding.DecodeString("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
	if got, want := tokens.Thumbprint(ed25519.PublicKey(x)), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"; got != want {
		t.Errorf("Thumbprint = %s, want %s", got, want)
	}
}

func TestSchedule(t *testing.T) {
	s := tokens.Schedule{Every: time.Hour, TokenTTL: 15 * time.Minute, Skew: time.Minute}
	at := time.Date(2030, 1, 1, 10, 59, 59, 0, time.UTC)
	slot := s.Slot(at)
	if s.Slot(at.Add(time.Second)) != slot+1 {
		t.Error("the slot does not change on the hour")
	}
	if end := s.SlotEnd(slot); !end.Equal(at.Add(time.Second)) {
		t.Errorf("SlotEnd = %v", end)
	}
	if na := s.NotAfter(s.SlotEnd(slot)); !na.Equal(time.Date(2030, 1, 1, 11, 16, 0, 0, time.UTC)) {
		t.Errorf("NotAfter = %v", na)
	}
}

func TestAccessTokenVerifies(t *testing.T) {
	s := tokens.Schedule{Every: time.Hour, TokenTTL: 15 * time.Minute, Skew: time.Minute}
	now := time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC)
	k, err := tokens.NewSigningKey(s, s.Slot(now), now)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := k.PublicKey(s, true)
	if err != nil {
		t.Fatal(err)
	}
	a := tokens.Access{Issuer: "orama", Audience: "orama-gateway", TTL: 15 * time.Minute}
	tok, err := a.Sign(k, "0xabc", "ns1", now)
	if err != nil {
		t.Fatal(err)
	}
	v := &jwtverify.Verifier{
		Keys:   func(context.Context) ([]auth.PublicKey, error) { return []auth.PublicKey{pk}, nil },
		Issuer: "orama", Audience: "orama-gateway",
		Now: func() time.Time { return now.Add(time.Minute) },
	}
	p, c, err := v.Verify(t.Context(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "0xabc" || p.Namespace != "ns1" || c.KeyID != k.Kid || !c.ExpiresAt.Equal(now.Add(15*time.Minute)) {
		t.Errorf("principal %+v claims %+v", p, c)
	}
	// One second after exp plus skew, it is refused.
	v2 := &jwtverify.Verifier{Keys: v.Keys, Issuer: v.Issuer, Audience: v.Audience,
		Now: func() time.Time { return now.Add(16*time.Minute + time.Second) }}
	if _, _, err := v2.Verify(t.Context(), tok); err == nil {
		t.Error("token verified after exp + skew")
	}
}

func TestSecrets(t *testing.T) {
	s, h := tokens.NewAPIKeySecret()
	if _, ns, err := auth.ParseAPIKey(auth.FormatAPIKey(s, "ns")); err != nil || ns != "ns" {
		t.Errorf("NewAPIKeySecret %q does not parse: %v", s, err)
	}
	if h != tokens.Hash(s) || len(h) != 64 || strings.Contains(h, s) {
		t.Errorf("hash %q of %q", h, s)
	}
	r1, h1 := tokens.NewRefreshToken()
	r2, _ := tokens.NewRefreshToken()
	if r1 == r2 || h1 != tokens.Hash(r1) {
		t.Error("refresh tokens repeat or hash wrongly")
	}
	if raw, err := base64.RawURLEncoding.DecodeString(tokens.NewNonce()); err != nil || len(raw) != 32 {
		t.Errorf("nonce: %d bytes, %v", len(raw), err)
	}
	if id := tokens.NewID("app_"); !strings.HasPrefix(id, "app_") || len(id) != 20 {
		t.Errorf("NewID = %q", id)
	}
}
