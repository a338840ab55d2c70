package pubsub

import (
	"context"
	"errors"
	"io"
	"sync/atomic"
	"time"

	"github.com/orama-network/orama/sdk"
	pubsubv1 "github.com/orama-network/orama/sdk/gen/orama/pubsub/v1"
)

// Subscribe opens the plugin's stream and waits for its ready marker, so
// the subscription is in place when Subscribe returns: a message
// published after that reaches it. How the returned Subscription's Next
// fails:
//   - ctx ended: ctx's error as an *sdk.Error (unavailable, "context
//     canceled" or "context deadline exceeded");
//   - after Close: unavailable "subscription closed";
//   - the plugin went away (killed, restarted, connection or client
//     lifetime gone): unavailable;
//   - the plugin ended the subscription: its error with its code
//     (unavailable when its backend closed).
func (c *Client) Subscribe(ctx context.Context, namespace, topic string) (Subscription, error) {
	if err := CheckTopic(namespace, topic); err != nil {
		return nil, err
	}
	if err := c.Alive(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, sdk.AsError(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	sub := &clientSub{ctx: ctx, cancel: cancel}
	if done := c.Done(); done != nil {
		// The client's lifetime ends the stream even when the connection
		// itself stays up (a host API connection).
		go func() {
			select {
			case <-done:
				sub.gone.Store(true)
				cancel()
			case <-sctx.Done():
			}
		}()
	}
	stream, err := c.api.Subscribe(sctx, &pubsubv1.SubscribeRequest{Namespace: namespace, Topic: topic})
	if err == nil {
		sub.stream = stream
		var first *pubsubv1.Message
		if first, err = stream.Recv(); err == nil && !isReady(first) {
			err = sdk.Errorf(sdk.CodeInternal, "subscribe stream did not start with the ready marker")
		}
	}
	if err != nil {
		err = sub.fail(err)
		cancel()
		return nil, err
	}
	return sub, nil
}

// clientSub is a Subscription over a Subscribe stream. Next is meant for
// one goroutine; Close may be called from any, also while Next waits.
type clientSub struct {
	ctx    context.Context // the caller's
	cancel context.CancelFunc
	stream pubsubv1.PubSub_SubscribeClient
	closed atomic.Bool
	gone   atomic.Bool // the client's lifetime ended
}

func (s *clientSub) Next() (Message, error) {
	if s.closed.Load() {
		return Message{}, errClosed()
	}
	pm, err := s.stream.Recv()
	if err != nil {
		err = s.fail(err)
		s.cancel() // the stream is over: release its context (and watcher)
		return Message{}, err
	}
	return messageFromProto(pm), nil
}

func (s *clientSub) Close() error {
	s.closed.Store(true)
	s.cancel()
	return nil
}

// fail turns a stream error into the error Next reports (see Subscribe).
func (s *clientSub) fail(err error) error {
	switch {
	case s.closed.Load():
		return errClosed()
	case s.gone.Load():
		return sdk.Errorf(sdk.CodeUnavailable, "plugin connection closed")
	case s.ctx.Err() != nil:
		return sdk.AsError(s.ctx.Err())
	case deadlinePassed(s.ctx):
		// The server saw the deadline (gRPC sends it along) and ended
		// the stream a moment before the caller's timer fired.
		return sdk.AsError(context.DeadlineExceeded)
	case errors.Is(err, io.EOF):
		return sdk.Errorf(sdk.CodeUnavailable, "the plugin ended the subscription")
	}
	return sdk.FromGRPC(err)
}

func deadlinePassed(ctx context.Context) bool {
	d, ok := ctx.Deadline()
	return ok && !time.Now().Before(d)
}

func errClosed() error { return sdk.Errorf(sdk.CodeUnavailable, "subscription closed") }
