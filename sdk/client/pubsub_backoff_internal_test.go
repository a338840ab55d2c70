package client

import (
	"testing"
	"time"
)

// TestBackoffBounded: every wait is within [d/2, d] of min doubled n
// times and never above max, even for attempt numbers that would
// overflow a shift.
func TestBackoffBounded(t *testing.T) {
	lo, hi := 100*time.Millisecond, 10*time.Second
	for n := range 200 {
		want := hi
		if n < 7 {
			want = lo << n // 100ms … 6.4s
		}
		for range 50 {
			d := backoff(lo, hi, n)
			if d < want/2 || d > want {
				t.Fatalf("attempt %d: wait %s, want within [%s, %s]", n, d, want/2, want)
			}
		}
	}
	if d := backoff(time.Hour, time.Hour, 100); d > time.Hour || d < 30*time.Minute {
		t.Errorf("huge bounds: %s", d)
	}
}

func TestSubscribeConfigKeepsDefaultsForBadBackoff(t *testing.T) {
	for _, o := range []SubscribeOption{WithReconnectBackoff(0, time.Second), WithReconnectBackoff(time.Second, time.Millisecond)} {
		c := newSubscribeConfig([]SubscribeOption{o})
		if c.min != DefaultReconnectMin || c.max != DefaultReconnectMax {
			t.Errorf("bounds %s..%s, want the defaults", c.min, c.max)
		}
	}
	c := newSubscribeConfig([]SubscribeOption{WithReconnectBackoff(time.Millisecond, 5*time.Millisecond), WithBuffer(3), WithMaxReconnectAttempts(2)})
	if c.min != time.Millisecond || c.max != 5*time.Millisecond || c.buffer != 3 || c.maxAttempts != 2 {
		t.Errorf("config %+v", c)
	}
}
