package plugin

import (
	"context"
	"sync"
	"time"

	pluginv1 "github.com/orama-network/orama/sdk/gen/orama/plugin/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// The plugin side of the mux (mux.proto): every unary method of the
// domain services a GRPCPlugin registers is also callable through one
// long-lived Mux stream, by the same handler the unary path runs. The
// stream is bounded: MuxMaxInFlight calls run at once (the reader waits
// for a free slot, so the host's further frames wait in gRPC's flow
// control), and a response larger than muxMaxPayload fails its call as a
// unary call over the limit would. An error fails its call alone.

// MuxMaxInFlight is how many calls one mux stream runs at once. The host
// holds at most this many calls outstanding per stream.
const MuxMaxInFlight = 256

// muxMaxPayload bounds the response carried by one frame, as
// MaxMessageSize bounds a unary response; frames may be muxFrameOverhead
// larger (newGRPCServer, openMux).
const muxMaxPayload = MaxMessageSize

// muxMethod is one unary method as its generated ServiceDesc has it.
type muxMethod struct {
	srv     any
	handler grpc.MethodHandler
}

// muxRegistrar registers services on s and records their unary methods
// for the mux, keyed by full method name ("/orama.cache.v1.Cache/Get").
type muxRegistrar struct {
	s       grpc.ServiceRegistrar
	methods map[string]muxMethod
}

func newMuxRegistrar(s grpc.ServiceRegistrar) *muxRegistrar {
	return &muxRegistrar{s: s, methods: map[string]muxMethod{}}
}

func (r *muxRegistrar) RegisterService(sd *grpc.ServiceDesc, impl any) {
	r.s.RegisterService(sd, impl)
	for _, m := range sd.Methods {
		r.methods["/"+sd.ServiceName+"/"+m.MethodName] = muxMethod{srv: impl, handler: m.Handler}
	}
}

// registerMux serves the Mux service on s for the methods r recorded.
func registerMux(s grpc.ServiceRegistrar, r *muxRegistrar) {
	pluginv1.RegisterMuxServer(s, &muxServer{methods: r.methods, intercept: muxInterceptor()})
}

type muxServer struct {
	pluginv1.UnimplementedMuxServer
	methods   map[string]muxMethod
	intercept grpc.UnaryServerInterceptor // the unary path's interceptor (tracing); nil: none
}

// Mux serves one stream until the host closes it or it breaks. Calls
// still running then see their context cancelled, as unary calls do when
// their connection ends.
func (s *muxServer) Mux(stream pluginv1.Mux_MuxServer) error {
	c := &muxServerStream{srv: s, stream: stream, slots: make(chan struct{}, MuxMaxInFlight),
		work: make(chan *muxServerCall), calls: map[uint64]context.CancelFunc{}}
	defer c.stop()
	if err := c.send(&pluginv1.MuxFrame{MaxInFlight: MuxMaxInFlight}); err != nil {
		return err
	}
	ctx := stream.Context()
	for {
		f := new(pluginv1.MuxFrame)
		if err := stream.RecvMsg(f); err != nil {
			return nil // the host closed the stream or the connection ended
		}
		if f.Cancel {
			c.cancel(f.Id)
			continue
		}
		select {
		case c.slots <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		c.dispatch(ctx, f)
	}
}

// muxServerStream is the state of one Mux stream.
type muxServerStream struct {
	srv    *muxServer
	stream pluginv1.Mux_MuxServer
	slots  chan struct{}       // one per call running
	work   chan *muxServerCall // idle workers take calls here
	wg     sync.WaitGroup      // workers and calls running
	sendMu sync.Mutex          // Send is not safe for concurrent use
	mu     sync.Mutex          // guards calls
	calls  map[uint64]context.CancelFunc
}

type muxServerCall struct {
	ctx    context.Context
	cancel context.CancelFunc
	f      *pluginv1.MuxFrame
}

// dispatch starts f's call: on an idle worker when there is one (its
// stack has already grown to what a call needs), else on a new worker.
// Workers live as long as the stream; there are at most MuxMaxInFlight.
func (c *muxServerStream) dispatch(streamCtx context.Context, f *pluginv1.MuxFrame) {
	var ctx context.Context
	var cancel context.CancelFunc
	if f.TimeoutNs > 0 {
		ctx, cancel = context.WithTimeout(streamCtx, time.Duration(f.TimeoutNs))
	} else {
		ctx, cancel = context.WithCancel(streamCtx)
	}
	c.mu.Lock()
	c.calls[f.Id] = cancel
	c.mu.Unlock()
	call := &muxServerCall{ctx: ctx, cancel: cancel, f: f}
	select {
	case c.work <- call:
	default:
		c.wg.Add(1)
		go c.worker(call)
	}
}

func (c *muxServerStream) worker(call *muxServerCall) {
	defer c.wg.Done()
	for ; call != nil; call = <-c.work {
		c.run(call)
	}
}

// stop ends the workers once the calls running have answered (their
// contexts end with the stream's).
func (c *muxServerStream) stop() {
	close(c.work)
	c.wg.Wait()
}

func (c *muxServerStream) cancel(id uint64) {
	c.mu.Lock()
	cancel := c.calls[id]
	c.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// run answers one call and frees its slot.
func (c *muxServerStream) run(call *muxServerCall) {
	resp := c.srv.call(call.ctx, call.f)
	c.mu.Lock()
	delete(c.calls, call.f.Id)
	c.mu.Unlock()
	call.cancel()
	_ = c.send(resp) // a failed send means the stream is gone
	<-c.slots
}

func (c *muxServerStream) send(f *pluginv1.MuxFrame) error {
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	return c.stream.Send(f)
}

// call runs the unary handler of f's method and returns the response
// frame: the marshalled response, or the status the unary path would have
// sent in its trailers.
//
// A handler that panics is not recovered: the plugin process dies, as it
// does when a unary handler panics, its calls in flight fail as
// unavailable and the host relaunches it (README: a plugin dies → 503 +
// Retry-After; TestPanicInPluginHandler).
func (s *muxServer) call(ctx context.Context, f *pluginv1.MuxFrame) *pluginv1.MuxFrame {
	out := &pluginv1.MuxFrame{Id: f.Id}
	m, ok := s.methods[f.Method]
	if !ok {
		out.Status = marshalStatus(status.Newf(codes.Unimplemented, "unknown method %s", f.Method))
		return out
	}
	if len(f.Metadata) > 0 {
		md := make(metadata.MD, len(f.Metadata))
		for _, kv := range f.Metadata {
			md[kv.Key] = kv.Values
		}
		ctx = metadata.NewIncomingContext(ctx, md)
	}
	ctx = grpc.NewContextWithServerTransportStream(ctx, muxTransportStream(f.Method))
	dec := func(v any) error {
		msg, ok := v.(proto.Message)
		if !ok {
			return status.Errorf(codes.Internal, "mux: %T is not a proto message", v)
		}
		if err := proto.Unmarshal(f.Payload, msg); err != nil {
			return status.Errorf(codes.Internal, "grpc: error unmarshalling request: %v", err)
		}
		return nil
	}
	resp, err := m.handler(m.srv, ctx, dec, s.intercept)
	if err != nil {
		out.Status = marshalStatus(serverStatus(err))
		return out
	}
	b, err := proto.Marshal(resp.(proto.Message))
	switch {
	case err != nil:
		out.Status = marshalStatus(status.Newf(codes.Internal, "grpc: error while marshaling: %v", err))
	case len(b) > muxMaxPayload:
		out.Status = marshalStatus(status.Newf(codes.ResourceExhausted,
			"grpc: trying to send message larger than max (%d vs. %d)", len(b), muxMaxPayload))
	default:
		out.Payload = b
	}
	return out
}

// serverStatus is the status a gRPC server sends for a handler's error:
// its own status, a context error's code, else Unknown.
func serverStatus(err error) *status.Status {
	if st, ok := status.FromError(err); ok {
		return st
	}
	return status.FromContextError(err)
}

func marshalStatus(st *status.Status) []byte {
	b, err := proto.Marshal(st.Proto())
	if err != nil { // details that cannot be marshalled: keep code and message
		b, _ = proto.Marshal(status.New(st.Code(), st.Message()).Proto())
	}
	return b
}

// muxTransportStream lets a handler ask grpc.Method(ctx) as on the unary
// path. Headers and trailers are not carried by the mux; no sdk server
// sets them.
type muxTransportStream string

func (m muxTransportStream) Method() string { return string(m) }

func (m muxTransportStream) SetHeader(metadata.MD) error {
	return status.Error(codes.Unimplemented, "mux: headers are not carried")
}

func (m muxTransportStream) SendHeader(metadata.MD) error {
	return status.Error(codes.Unimplemented, "mux: headers are not carried")
}

func (m muxTransportStream) SetTrailer(metadata.MD) error {
	return status.Error(codes.Unimplemented, "mux: trailers are not carried")
}
