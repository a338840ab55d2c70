package client

import (
	"math/rand/v2"
	"time"
)

// backoff is the wait before reconnection attempt n (from 0): lo doubled
// n times, at most hi, jittered to a random value in [d/2, d].
func backoff(lo, hi time.Duration, n int) time.Duration {
	d := hi
	if n < 62 && lo<<n > 0 && lo<<n < hi {
		d = lo << n
	}
	return d/2 + rand.N(d/2+1)
}
