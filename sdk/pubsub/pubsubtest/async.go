package pubsubtest

import "github.com/orama-network/orama/sdk/pubsub"

// NextErr calls sub.Next once in a goroutine and sends its error (nil when
// a message came): for tests that end a subscription while Next waits.
func NextErr(sub pubsub.Subscription) <-chan error {
	errc := make(chan error, 1)
	go func() {
		_, err := sub.Next()
		errc <- err
	}()
	return errc
}

// Count reads sub in a goroutine until n messages came or Next failed,
// then sends how many came: for benchmarks and load tests.
func Count(sub pubsub.Subscription, n int) <-chan int {
	got := make(chan int, 1)
	go func() {
		i := 0
		for i < n {
			if _, err := sub.Next(); err != nil {
				break
			}
			i++
		}
		got <- i
	}()
	return got
}
