package serverless

import (
	"context"

	"github.com/orama-network/orama/sdk"
	serverlessv1 "github.com/orama-network/orama/sdk/gen/orama/serverless/v1"
	"google.golang.org/grpc"
)

// Register serves impl as the Serverless service on s.
func Register(s grpc.ServiceRegistrar, impl Serverless) {
	serverlessv1.RegisterServerlessServer(s, &server{impl: impl})
}

type server struct {
	serverlessv1.UnimplementedServerlessServer
	impl Serverless
}

func (s *server) Deploy(ctx context.Context, req *serverlessv1.DeployRequest) (*serverlessv1.DeployResponse, error) {
	f, err := s.impl.Deploy(ctx, definitionFromProto(req.GetDefinition()), req.GetModule())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &serverlessv1.DeployResponse{Function: functionToProto(f)}, nil
}

func (s *server) Get(ctx context.Context, req *serverlessv1.GetRequest) (*serverlessv1.GetResponse, error) {
	f, err := s.impl.Get(ctx, req.Namespace, req.Name, int(req.Version))
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &serverlessv1.GetResponse{Function: functionToProto(f)}, nil
}

func (s *server) List(ctx context.Context, req *serverlessv1.ListRequest) (*serverlessv1.ListResponse, error) {
	fs, err := s.impl.List(ctx, req.Namespace)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &serverlessv1.ListResponse{Functions: functionsToProto(fs)}, nil
}

func (s *server) Versions(ctx context.Context, req *serverlessv1.VersionsRequest) (*serverlessv1.VersionsResponse, error) {
	fs, err := s.impl.Versions(ctx, req.Namespace, req.Name)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &serverlessv1.VersionsResponse{Versions: functionsToProto(fs)}, nil
}

func (s *server) Delete(ctx context.Context, req *serverlessv1.DeleteRequest) (*serverlessv1.DeleteResponse, error) {
	n, err := s.impl.Delete(ctx, req.Namespace, req.Name, int(req.Version))
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &serverlessv1.DeleteResponse{Deleted: int32(n)}, nil
}

func (s *server) Invoke(ctx context.Context, req *serverlessv1.InvokeRequest) (*serverlessv1.InvokeResponse, error) {
	r, err := s.impl.Invoke(ctx, invocationFromProto(req))
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return resultToProto(r), nil
}

func (s *server) Logs(ctx context.Context, req *serverlessv1.LogsRequest) (*serverlessv1.LogsResponse, error) {
	ls, err := s.impl.Logs(ctx, req.Namespace, req.Name, int(req.Limit))
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &serverlessv1.LogsResponse{Logs: logsToProto(ls)}, nil
}

func (s *server) SetSecret(ctx context.Context, req *serverlessv1.SetSecretRequest) (*serverlessv1.SetSecretResponse, error) {
	if err := s.impl.SetSecret(ctx, req.Namespace, req.Name, req.Value); err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &serverlessv1.SetSecretResponse{}, nil
}

func (s *server) DeleteSecret(ctx context.Context, req *serverlessv1.DeleteSecretRequest) (*serverlessv1.DeleteSecretResponse, error) {
	if err := s.impl.DeleteSecret(ctx, req.Namespace, req.Name); err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &serverlessv1.DeleteSecretResponse{}, nil
}

func (s *server) Secrets(ctx context.Context, req *serverlessv1.SecretsRequest) (*serverlessv1.SecretsResponse, error) {
	names, err := s.impl.Secrets(ctx, req.Namespace)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &serverlessv1.SecretsResponse{Names: names}, nil
}

func (s *server) Health(ctx context.Context, _ *serverlessv1.HealthRequest) (*serverlessv1.HealthResponse, error) {
	h, err := s.impl.Health(ctx)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &serverlessv1.HealthResponse{Ok: h.OK, Driver: h.Driver, Detail: h.Detail}, nil
}
