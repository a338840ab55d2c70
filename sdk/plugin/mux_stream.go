package plugin

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	pluginv1 "github.com/orama-network/orama/sdk/gen/orama/plugin/v1"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// errMuxUnary tells Intercept to send a call as a plain unary call.
var errMuxUnary = errors.New("mux: call goes unary")

// muxMaxRequest is the largest request the host sends through the mux;
// a larger one goes unary rather than hold the stream's writer while it
// crosses (its per-call overhead is small beside its size).
const muxMaxRequest = 1 << 20

// muxFrameOverhead is room for a frame's fields besides its payload, so a
// response of MaxMessageSize fits in a frame as it fits in a unary call.
const muxFrameOverhead = 64 << 10

// muxStream is the host side of one Mux stream: one reader goroutine
// (run) hands each response frame to the call waiting for it.
type muxStream struct {
	ready chan struct{} // closed when the plugin's hello arrived
	done  chan struct{} // closed when the stream ended; err says why

	// Set before ready or done is closed, read-only after.
	s        pluginv1.Mux_MuxClient
	slots    chan struct{} // one per call outstanding, up to the plugin's max_in_flight
	err      error         // why the stream ended: a gRPC status error
	answered bool          // the plugin sent its hello

	sendMu sync.Mutex // SendMsg is not safe for concurrent use
	mu     sync.Mutex // guards nextID and pending
	nextID uint64
	// pending maps a call id to the channel its response goes to. It is
	// nil once the stream has ended.
	pending map[uint64]chan *pluginv1.MuxFrame
}

func newMuxStream() *muxStream {
	return &muxStream{ready: make(chan struct{}), done: make(chan struct{}),
		pending: map[uint64]chan *pluginv1.MuxFrame{}}
}

func (s *muxStream) broken() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// run opens the stream on cc, waits for the hello, then delivers response
// frames until the stream ends.
func (s *muxStream) run(life context.Context, cc *grpc.ClientConn) {
	st, err := openMux(life, cc)
	if err != nil {
		s.fail(life, err)
		return
	}
	hello := new(pluginv1.MuxFrame)
	if err := st.RecvMsg(hello); err != nil {
		s.fail(life, err)
		return
	}
	n := min(max(hello.MaxInFlight, 1), 4*MuxMaxInFlight)
	s.s, s.slots, s.answered = st, make(chan struct{}, n), true
	close(s.ready)
	for {
		f := new(pluginv1.MuxFrame)
		if err := st.RecvMsg(f); err != nil {
			s.fail(life, err)
			return
		}
		s.mu.Lock()
		ch := s.pending[f.Id]
		delete(s.pending, f.Id)
		s.mu.Unlock()
		if ch != nil {
			<-s.slots
			ch <- f // buffered; nobody reads it if the caller gave up
		}
	}
}

// fail ends the stream: calls waiting on it return s.err.
func (s *muxStream) fail(life context.Context, err error) {
	switch {
	case errors.Is(err, io.EOF):
		err = status.Error(codes.Unavailable, "plugin ended the mux stream")
	case life.Err() != nil:
		err = status.Error(codes.Unavailable, "plugin connection closed")
	}
	s.mu.Lock()
	s.err = status.Convert(err).Err()
	s.pending = nil
	s.mu.Unlock()
	close(s.done)
}

// invoke makes one call over the stream, as cc.Invoke would: the same
// status errors for the plugin's errors, a dead plugin and ctx's end.
func (s *muxStream) invoke(ctx context.Context, method string, req, reply any) error {
	in, ok1 := req.(proto.Message)
	out, ok2 := reply.(proto.Message)
	if !ok1 || !ok2 {
		return errMuxUnary
	}
	payload, err := proto.Marshal(in)
	if err != nil {
		return status.Errorf(codes.Internal, "grpc: error while marshaling: %v", err)
	}
	if len(payload) > muxMaxRequest {
		return errMuxUnary
	}
	f := &pluginv1.MuxFrame{Method: method, Payload: payload, Metadata: outgoingMetadata(ctx)}
	if dl, ok := ctx.Deadline(); ok {
		d := time.Until(dl)
		if d <= 0 {
			return status.Error(codes.DeadlineExceeded, context.DeadlineExceeded.Error())
		}
		f.TimeoutNs = int64(d)
	}
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return status.FromContextError(ctx.Err()).Err()
	case <-s.done:
		return s.err
	}
	ch := make(chan *pluginv1.MuxFrame, 1)
	s.mu.Lock()
	if s.pending == nil {
		s.mu.Unlock()
		return s.err // ended meanwhile (its slots are dropped with it)
	}
	s.nextID++
	f.Id = s.nextID
	s.pending[f.Id] = ch
	s.mu.Unlock()

	s.sendMu.Lock()
	err = s.s.SendMsg(f)
	s.sendMu.Unlock()
	if err != nil {
		return s.sendFailed(ctx, f.Id, err)
	}
	select {
	case r := <-ch:
		return decodeMuxResponse(r, out)
	case <-ctx.Done():
		go s.cancel(f.Id) // its slot is freed when the plugin answers
		return status.FromContextError(ctx.Err()).Err()
	case <-s.done:
		return s.err
	}
}

// sendFailed is the error of a call whose frame could not be sent. io.EOF
// means the stream ended and its reader reports why; any other error left
// the stream as it was and fails this call alone.
func (s *muxStream) sendFailed(ctx context.Context, id uint64, err error) error {
	if errors.Is(err, io.EOF) {
		select {
		case <-s.done:
			return s.err
		case <-ctx.Done():
			return status.FromContextError(ctx.Err()).Err()
		}
	}
	s.mu.Lock()
	_, mine := s.pending[id]
	delete(s.pending, id)
	s.mu.Unlock()
	if mine {
		<-s.slots
	}
	return status.Convert(err).Err()
}

// cancel tells the plugin that the caller of call id gave up.
func (s *muxStream) cancel(id uint64) {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	_ = s.s.SendMsg(&pluginv1.MuxFrame{Id: id, Cancel: true})
}

func decodeMuxResponse(r *pluginv1.MuxFrame, out proto.Message) error {
	if len(r.Status) > 0 {
		sp := new(spb.Status)
		if err := proto.Unmarshal(r.Status, sp); err != nil {
			return status.Errorf(codes.Internal, "mux: bad status from plugin: %v", err)
		}
		if codes.Code(sp.Code) == codes.OK {
			return status.Error(codes.Internal, "mux: plugin sent status OK as an error")
		}
		return status.ErrorProto(sp)
	}
	if err := proto.Unmarshal(r.Payload, out); err != nil {
		return status.Errorf(codes.Internal, "grpc: failed to unmarshal the received message: %v", err)
	}
	return nil
}

// outgoingMetadata is ctx's outgoing gRPC metadata as frame fields (nil
// when it has none, the usual case).
func outgoingMetadata(ctx context.Context) []*pluginv1.MuxMetadata {
	md, ok := metadata.FromOutgoingContext(ctx)
	if !ok || len(md) == 0 {
		return nil
	}
	out := make([]*pluginv1.MuxMetadata, 0, len(md))
	for k, v := range md {
		out = append(out, &pluginv1.MuxMetadata{Key: k, Values: v})
	}
	return out
}
