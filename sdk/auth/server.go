package auth

import (
	"context"

	"github.com/orama-network/orama/sdk"
	authv1 "github.com/orama-network/orama/sdk/gen/orama/auth/v1"
	"google.golang.org/grpc"
)

// Register serves impl as the Auth service on s. The host also uses it to
// offer the auth domain to other plugins through the host API.
func Register(s grpc.ServiceRegistrar, impl Auth) {
	authv1.RegisterAuthServer(s, &server{impl: impl})
}

type server struct {
	authv1.UnimplementedAuthServer
	impl Auth
}

func (s *server) Challenge(ctx context.Context, req *authv1.ChallengeRequest) (*authv1.ChallengeResponse, error) {
	c, err := s.impl.Challenge(ctx, req.GetWallet(), req.GetPurpose(), req.GetNamespace(), req.GetClientIp())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.ChallengeResponse{Challenge: challengeToProto(c)}, nil
}

func (s *server) Verify(ctx context.Context, req *authv1.VerifyRequest) (*authv1.VerifyResponse, error) {
	sess, err := s.impl.Verify(ctx, proofFromProto(req.GetProof()))
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.VerifyResponse{Session: sessionToProto(sess)}, nil
}

func (s *server) CreateAPIKey(ctx context.Context, req *authv1.CreateAPIKeyRequest) (*authv1.CreateAPIKeyResponse, error) {
	k, err := s.impl.CreateAPIKey(ctx, proofFromProto(req.GetProof()), req.GetPlan())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.CreateAPIKeyResponse{Key: apiKeyToProto(k)}, nil
}

func (s *server) SimpleKey(ctx context.Context, req *authv1.SimpleKeyRequest) (*authv1.SimpleKeyResponse, error) {
	k, err := s.impl.SimpleKey(ctx, req.GetWallet(), req.GetNamespace())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.SimpleKeyResponse{Key: apiKeyToProto(k)}, nil
}

func (s *server) TokenForKey(ctx context.Context, req *authv1.TokenForKeyRequest) (*authv1.TokenForKeyResponse, error) {
	t, err := s.impl.TokenForKey(ctx, req.GetKey())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.TokenForKeyResponse{Token: tokenToProto(t)}, nil
}

func (s *server) Register(ctx context.Context, req *authv1.RegisterRequest) (*authv1.RegisterResponse, error) {
	a, err := s.impl.Register(ctx, proofFromProto(req.GetProof()), req.GetName())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.RegisterResponse{App: appToProto(a)}, nil
}

func (s *server) Refresh(ctx context.Context, req *authv1.RefreshRequest) (*authv1.RefreshResponse, error) {
	sess, err := s.impl.Refresh(ctx, req.GetRefreshToken(), req.GetNamespace())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.RefreshResponse{Session: sessionToProto(sess)}, nil
}

func (s *server) Logout(ctx context.Context, req *authv1.LogoutRequest) (*authv1.LogoutResponse, error) {
	if err := s.impl.Logout(ctx, req.GetRefreshToken(), req.GetNamespace(), req.GetAll(), req.GetSubject()); err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.LogoutResponse{}, nil
}

func (s *server) ValidateAPIKey(ctx context.Context, req *authv1.ValidateAPIKeyRequest) (*authv1.ValidateAPIKeyResponse, error) {
	p, err := s.impl.ValidateAPIKey(ctx, req.GetKey())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.ValidateAPIKeyResponse{Principal: principalToProto(p)}, nil
}

func (s *server) Keys(ctx context.Context, _ *authv1.KeysRequest) (*authv1.KeysResponse, error) {
	keys, err := s.impl.Keys(ctx)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	resp := &authv1.KeysResponse{Keys: make([]*authv1.PublicKey, len(keys))}
	for i, k := range keys {
		resp.Keys[i] = publicKeyToProto(k)
	}
	return resp, nil
}

func (s *server) CreateKey(ctx context.Context, req *authv1.CreateKeyRequest) (*authv1.CreateKeyResponse, error) {
	k, err := s.impl.CreateKey(ctx, req.GetNamespace(), req.GetName(), req.GetPlan())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.CreateKeyResponse{Key: apiKeyToProto(k)}, nil
}

func (s *server) ListKeys(ctx context.Context, req *authv1.ListKeysRequest) (*authv1.ListKeysResponse, error) {
	keys, err := s.impl.ListKeys(ctx, req.GetNamespace())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	resp := &authv1.ListKeysResponse{Keys: make([]*authv1.APIKey, len(keys))}
	for i, k := range keys {
		resp.Keys[i] = apiKeyToProto(k)
	}
	return resp, nil
}

func (s *server) RevokeKey(ctx context.Context, req *authv1.RevokeKeyRequest) (*authv1.RevokeKeyResponse, error) {
	if err := s.impl.RevokeKey(ctx, req.GetNamespace(), req.GetId()); err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.RevokeKeyResponse{}, nil
}

func (s *server) ValidateKeyID(ctx context.Context, req *authv1.ValidateKeyIDRequest) (*authv1.ValidateKeyIDResponse, error) {
	p, err := s.impl.ValidateKeyID(ctx, req.GetId())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.ValidateKeyIDResponse{Principal: principalToProto(p)}, nil
}

func (s *server) AddMember(ctx context.Context, req *authv1.AddMemberRequest) (*authv1.AddMemberResponse, error) {
	m, err := s.impl.AddMember(ctx, req.GetActor(), req.GetNamespace(), req.GetWallet(), req.GetRole())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.AddMemberResponse{Member: memberToProto(m)}, nil
}

func (s *server) RemoveMember(ctx context.Context, req *authv1.RemoveMemberRequest) (*authv1.RemoveMemberResponse, error) {
	if err := s.impl.RemoveMember(ctx, req.GetActor(), req.GetNamespace(), req.GetWallet()); err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.RemoveMemberResponse{}, nil
}

func (s *server) Members(ctx context.Context, req *authv1.MembersRequest) (*authv1.MembersResponse, error) {
	m, err := s.impl.Members(ctx, req.GetActor(), req.GetNamespace())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.MembersResponse{Membership: membershipToProto(m)}, nil
}

func (s *server) Health(ctx context.Context, _ *authv1.HealthRequest) (*authv1.HealthResponse, error) {
	h, err := s.impl.Health(ctx)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &authv1.HealthResponse{Ok: h.OK, Driver: h.Driver, Detail: h.Detail}, nil
}
