package driver

import (
	"errors"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
)

func TestCollector(t *testing.T) {
	c := NewCollector(Limits{MaxRows: 2, MaxBytes: 20})
	for _, step := range []func() error{
		func() error { return c.Columns([]string{"ab", "c"}) }, // 3
		c.Row, func() error { return c.Cell(int64(1)) }, func() error { return c.Cell("hello") }, // 16
		c.Row, func() error { return c.Cell(nil) }, func() error { return c.Cell([]byte{1, 2, 3}) }, // 20
	} {
		if err := step(); err != nil {
			t.Fatalf("within the limits: %v", err)
		}
	}
	var e *sdk.Error
	if err := c.Cell(""); err != nil {
		t.Errorf("an empty text costs nothing: %v", err)
	}
	if err := c.Cell(1.5); !errors.As(err, &e) || e.Code != sdk.CodeTooLarge {
		t.Errorf("past max bytes: %v", err)
	}
	if err := c.Row(); !errors.As(err, &e) || e.Code != sdk.CodeTooLarge {
		t.Errorf("past max rows: %v", err)
	}
	if c.Rows() != 3 || c.Limits().MaxRows != 2 {
		t.Errorf("Rows %d, Limits %+v", c.Rows(), c.Limits())
	}
}

func TestClassify(t *testing.T) {
	for msg, want := range map[string]sdk.Code{
		"UNIQUE constraint failed: t.id":              sdk.CodeConflict,
		"FOREIGN KEY constraint failed":               sdk.CodeConflict,
		"table t already exists":                      sdk.CodeConflict,
		"database is locked":                          sdk.CodeUnavailable,
		"query timeout":                               sdk.CodeUnavailable,
		"execute timeout":                             sdk.CodeUnavailable,
		"interrupted":                                 sdk.CodeUnavailable,
		"disk I/O error":                              sdk.CodeUnavailable,
		"string or blob too big":                      sdk.CodeTooLarge,
		"attempt to write a readonly database":        sdk.CodeInternal,
		`near "SELEC": syntax error`:                  sdk.CodeInvalid,
		"no such table: t":                            sdk.CodeInvalid,
		"datatype mismatch":                           sdk.CodeInvalid,
		"wrong number of arguments to function abs()": sdk.CodeInvalid,
	} {
		if got := Classify(msg); got != want {
			t.Errorf("Classify(%q) = %s, want %s", msg, got, want)
		}
	}
	if e := EngineError(3, "no such table: t"); e.Op != 3 || e.Code != sdk.CodeInvalid || e.Error() != "ops[3]: no such table: t" {
		t.Errorf("EngineError = %+v (%s)", e, e)
	}
}

func TestTimeText(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		t    time.Time
		decl string
		want string
	}{
		{utc("2024-01-02T10:00:00Z"), "DATETIME", "2024-01-02 10:00:00"},
		{utc("2024-01-02T00:00:00Z"), "DATE", "2024-01-02"},
		{utc("2024-01-02T00:00:00Z"), "DATETIME", "2024-01-02 00:00:00"},
		{utc("2024-01-02T10:00:00.25Z"), "TIMESTAMP", "2024-01-02 10:00:00.250"},
		{utc("2024-01-02T10:00:00.123456789Z"), "timestamp", "2024-01-02 10:00:00.123456789"},
		{utc("2024-01-02T10:00:00+02:00"), "DATETIME", "2024-01-02 10:00:00+02:00"},
		{utc("2024-01-02T00:00:00-05:00"), "DATE", "2024-01-02 00:00:00-05:00"},
	} {
		if got := TimeText(c.t, c.decl); got != c.want {
			t.Errorf("TimeText(%v, %s) = %q, want %q", c.t, c.decl, got, c.want)
		}
	}
	for decl, want := range map[string]bool{"DATE": true, "datetime": true, "TimeStamp": true, "TEXT": false, "": false, "DATE TIME": false} {
		if IsDateType(decl) != want {
			t.Errorf("IsDateType(%q) = %v", decl, !want)
		}
	}
}

func TestLikePrefix(t *testing.T) {
	for in, want := range map[string]string{"acme$": "acme$%", "a_b$": `a\_b$%`, `a%\$`: `a\%\\$%`, "": "%"} {
		if got := LikePrefix(in); got != want {
			t.Errorf("LikePrefix(%q) = %q, want %q", in, got, want)
		}
	}
}
