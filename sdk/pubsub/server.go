package pubsub

import (
	"context"

	"github.com/orama-network/orama/sdk"
	pubsubv1 "github.com/orama-network/orama/sdk/gen/orama/pubsub/v1"
	"google.golang.org/grpc"
)

// Register serves impl as the PubSub service on s. The host also uses it
// to offer the pubsub domain to other plugins through the host API.
func Register(s grpc.ServiceRegistrar, impl PubSub) {
	pubsubv1.RegisterPubSubServer(s, &server{impl: impl})
}

type server struct {
	pubsubv1.UnimplementedPubSubServer
	impl PubSub
}

func (s *server) Publish(ctx context.Context, req *pubsubv1.PublishRequest) (*pubsubv1.PublishResponse, error) {
	if err := s.impl.Publish(ctx, req.Namespace, req.Topic, req.Data); err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &pubsubv1.PublishResponse{}, nil
}

// Subscribe sends the empty ready marker once impl's subscription is in
// place, then every message as it comes, until the client cancels (the
// stream's context ends the subscription) or the subscription ends (its
// error ends the stream with its code).
func (s *server) Subscribe(req *pubsubv1.SubscribeRequest, stream pubsubv1.PubSub_SubscribeServer) error {
	sub, err := s.impl.Subscribe(stream.Context(), req.Namespace, req.Topic)
	if err != nil {
		return sdk.ToGRPC(err)
	}
	defer sub.Close()
	if err := stream.Send(&pubsubv1.Message{}); err != nil {
		return err
	}
	for {
		m, err := sub.Next()
		if err != nil {
			return sdk.ToGRPC(err)
		}
		if err := stream.Send(messageToProto(m)); err != nil {
			return err
		}
	}
}

func (s *server) Topics(ctx context.Context, req *pubsubv1.TopicsRequest) (*pubsubv1.TopicsResponse, error) {
	topics, err := s.impl.Topics(ctx, req.Namespace)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &pubsubv1.TopicsResponse{Topics: topics}, nil
}

func (s *server) Join(ctx context.Context, req *pubsubv1.JoinRequest) (*pubsubv1.JoinResponse, error) {
	err := s.impl.Join(ctx, req.Namespace, req.Topic, memberFromProto(req.GetMember()), ttlFromMs(req.TtlMs))
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &pubsubv1.JoinResponse{}, nil
}

func (s *server) Leave(ctx context.Context, req *pubsubv1.LeaveRequest) (*pubsubv1.LeaveResponse, error) {
	if err := s.impl.Leave(ctx, req.Namespace, req.Topic, req.MemberId); err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &pubsubv1.LeaveResponse{}, nil
}

func (s *server) Members(ctx context.Context, req *pubsubv1.MembersRequest) (*pubsubv1.MembersResponse, error) {
	ms, err := s.impl.Members(ctx, req.Namespace, req.Topic)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	resp := &pubsubv1.MembersResponse{Members: make([]*pubsubv1.Member, len(ms))}
	for i, m := range ms {
		resp.Members[i] = memberToProto(m)
	}
	return resp, nil
}

func (s *server) Health(ctx context.Context, _ *pubsubv1.HealthRequest) (*pubsubv1.HealthResponse, error) {
	h, err := s.impl.Health(ctx)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &pubsubv1.HealthResponse{Ok: h.OK, Driver: h.Driver, Detail: h.Detail}, nil
}
