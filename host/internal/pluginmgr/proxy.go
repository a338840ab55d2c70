package pluginmgr

import (
	"errors"
	"io"
	"strings"

	"github.com/orama-network/orama/sdk"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// proxy forwards a plugin's call to another domain ("/orama.<kind>.v1.…")
// to the plugin serving that domain now, frame by frame, without decoding
// it: one mechanism for every domain, unary and streaming alike. Calls are
// counted on the target instance like any other, so upgrades drain them.
func (m *Manager) proxy(_ any, in grpc.ServerStream) error {
	method, ok := grpc.MethodFromServerStream(in)
	if !ok {
		return status.Error(codes.Internal, "no method in stream")
	}
	kind := domainOf(method)
	if _, known := kinds[kind]; !known {
		return status.Errorf(codes.Unimplemented, "the host offers no service for %s", method)
	}
	ctx := in.Context()
	inst, err := m.current(ctx, kind)
	if err != nil {
		return sdk.ToGRPC(err)
	}
	desc := &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}
	out, err := inst.conn.NewStream(ctx, desc, method, grpc.ForceCodec(frameCodec{}))
	if err != nil {
		return err
	}
	sent := make(chan error, 1)
	go func() { sent <- forwardRequests(in, out) }()
	if err := forwardResponses(out, in); err != nil {
		return err
	}
	return <-sent
}

// domainOf maps "/orama.cache.v1.Cache/Get" to "cache".
func domainOf(method string) string {
	rest, ok := strings.CutPrefix(method, "/orama.")
	if !ok {
		return ""
	}
	kind, _, _ := strings.Cut(rest, ".")
	return kind
}

func forwardRequests(in grpc.ServerStream, out grpc.ClientStream) error {
	for {
		f := new(frame)
		if err := in.RecvMsg(f); err != nil {
			if errors.Is(err, io.EOF) {
				return out.CloseSend()
			}
			return err
		}
		if err := out.SendMsg(f); err != nil {
			if errors.Is(err, io.EOF) {
				return nil // the target ended the call; its status comes through RecvMsg
			}
			return err
		}
	}
}

func forwardResponses(out grpc.ClientStream, in grpc.ServerStream) error {
	for first := true; ; first = false {
		f := new(frame)
		err := out.RecvMsg(f)
		if first {
			if md, herr := out.Header(); herr == nil {
				_ = in.SendHeader(md)
			}
		}
		if err != nil {
			in.SetTrailer(out.Trailer())
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if err := in.SendMsg(f); err != nil {
			return err
		}
	}
}

// frame is one message in wire form.
type frame struct{ b []byte }

// frameCodec passes frames through untouched and encodes anything else as
// protobuf, so the proxy and the host's own services share one server.
type frameCodec struct{}

func (frameCodec) Name() string { return "proto" }

func (frameCodec) Marshal(v any) ([]byte, error) {
	if f, ok := v.(*frame); ok {
		return f.b, nil
	}
	m, ok := v.(proto.Message)
	if !ok {
		return nil, status.Errorf(codes.Internal, "cannot encode %T", v)
	}
	return proto.Marshal(m)
}

func (frameCodec) Unmarshal(data []byte, v any) error {
	if f, ok := v.(*frame); ok {
		f.b = append(f.b[:0], data...)
		return nil
	}
	m, ok := v.(proto.Message)
	if !ok {
		return status.Errorf(codes.Internal, "cannot decode into %T", v)
	}
	return proto.Unmarshal(data, m)
}
