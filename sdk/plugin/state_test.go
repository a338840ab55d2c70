package plugin

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
)

func TestState(t *testing.T) {
	var s State[int]
	code := func(err error) sdk.Code { return sdk.AsError(err).Code }
	if _, err := s.Current("test"); code(err) != sdk.CodeUnavailable {
		t.Errorf("Current before Configure = %v, want unavailable", err)
	}
	if err := s.Close(func(*int) error { t.Error("release before Configure"); return nil }); err != nil {
		t.Errorf("Close before Configure = %v", err)
	}
	boom := errors.New("boom")
	if err := s.Configure("test", func() (*int, error) { return nil, boom }); err != boom || s.Load() != nil {
		t.Errorf("failed Configure = %v, left %v", err, s.Load())
	}
	one := 1
	if err := s.Configure("test", func() (*int, error) { return &one, nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.Configure("test", func() (*int, error) { t.Error("open when configured"); return nil, nil }); code(err) != sdk.CodeConflict {
		t.Errorf("second Configure = %v, want conflict", err)
	}
	if v, err := s.Current("test"); v != &one || err != nil {
		t.Errorf("Current = %v, %v", v, err)
	}
	var released *int
	if err := s.Close(func(v *int) error { released = v; return boom }); err != boom || released != &one || s.Load() != nil {
		t.Errorf("Close = %v, released %v, left %v", err, released, s.Load())
	}
	if err := s.Close(func(*int) error { t.Error("release twice"); return nil }); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestWithDefaultTimeout(t *testing.T) {
	ctx, cancel := WithDefaultTimeout(context.Background(), time.Hour)
	defer cancel()
	if d, ok := ctx.Deadline(); !ok || time.Until(d) < 59*time.Minute {
		t.Errorf("no deadline: got %v, %v", d, ok)
	}
	own, cancelOwn := context.WithTimeout(context.Background(), time.Second)
	defer cancelOwn()
	ctx, cancel = WithDefaultTimeout(own, time.Hour)
	defer cancel()
	if ctx != own {
		t.Error("a context with a deadline was bounded again")
	}
}

func TestParse(t *testing.T) {
	type block struct {
		Port int `json:"port"`
	}
	check := func(b *block, errs *ConfigError) {
		if b.Port < 0 {
			errs.Add("port", "must be ≥ 0")
		}
	}
	if b, err := Parse(Config{}, block{Port: 1}, check); err != nil || b.Port != 1 {
		t.Errorf("empty block = %+v, %v; want the defaults", b, err)
	}
	var ce ConfigError
	if b, err := Parse(Config{Raw: []byte(`{"port": -1}`)}, block{Port: 1}, check); !errors.As(err, &ce) || len(ce) != 1 || ce[0].Attribute != "port" || b.Port != 0 {
		t.Errorf("bad port = %+v, %v; want the zero block and a ConfigError naming port", b, err)
	}
	called := false
	_, err := Parse(Config{Raw: []byte(`{"port": "x"}`)}, block{}, func(*block, *ConfigError) { called = true })
	if !errors.As(err, &ce) || ce[0].Attribute != "port" || called {
		t.Errorf("string port = %v (check called: %v), want Decode's ConfigError only", err, called)
	}
}
