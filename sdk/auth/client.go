package auth

import (
	"context"

	authv1 "github.com/orama-network/orama/sdk/gen/orama/auth/v1"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
)

// Client is the host side of an auth plugin: Base plus Auth over gRPC.
// Calls fail fast with unavailable once the plugin connection is gone.
type Client struct {
	*plugin.BaseClient
	api authv1.AuthClient
}

var _ Backend = (*Client)(nil)

// NewClient returns an Auth over any connection serving the Auth service,
// e.g. a plugin's host API connection (hostapi.Client.Conn). life bounds
// the client: calls fail fast once it is done.
func NewClient(life context.Context, conn grpc.ClientConnInterface) *Client {
	return newClient(plugin.NewBaseClient(life, nil, conn), conn)
}

func newClient(base *plugin.BaseClient, conn grpc.ClientConnInterface) *Client {
	return &Client{BaseClient: base, api: authv1.NewAuthClient(conn)}
}

func (c *Client) Challenge(ctx context.Context, wallet, purpose, namespace, clientIP string) (Challenge, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Challenge, &authv1.ChallengeRequest{Wallet: wallet, Purpose: purpose, Namespace: namespace, ClientIp: clientIP})
	if err != nil {
		return Challenge{}, err
	}
	return challengeFromProto(resp.GetChallenge()), nil
}

func (c *Client) Verify(ctx context.Context, p Proof) (Session, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Verify, &authv1.VerifyRequest{Proof: proofToProto(p)})
	if err != nil {
		return Session{}, err
	}
	return sessionFromProto(resp.GetSession()), nil
}

func (c *Client) CreateAPIKey(ctx context.Context, p Proof, plan string) (APIKey, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.CreateAPIKey, &authv1.CreateAPIKeyRequest{Proof: proofToProto(p), Plan: plan})
	if err != nil {
		return APIKey{}, err
	}
	return apiKeyFromProto(resp.GetKey()), nil
}

func (c *Client) SimpleKey(ctx context.Context, wallet, namespace string) (APIKey, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.SimpleKey, &authv1.SimpleKeyRequest{Wallet: wallet, Namespace: namespace})
	if err != nil {
		return APIKey{}, err
	}
	return apiKeyFromProto(resp.GetKey()), nil
}

func (c *Client) TokenForKey(ctx context.Context, key string) (Token, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.TokenForKey, &authv1.TokenForKeyRequest{Key: key})
	if err != nil {
		return Token{}, err
	}
	return tokenFromProto(resp.GetToken()), nil
}

func (c *Client) Register(ctx context.Context, p Proof, name string) (App, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Register, &authv1.RegisterRequest{Proof: proofToProto(p), Name: name})
	if err != nil {
		return App{}, err
	}
	return appFromProto(resp.GetApp()), nil
}

func (c *Client) Refresh(ctx context.Context, refreshToken, namespace string) (Session, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Refresh, &authv1.RefreshRequest{RefreshToken: refreshToken, Namespace: namespace})
	if err != nil {
		return Session{}, err
	}
	return sessionFromProto(resp.GetSession()), nil
}

func (c *Client) Logout(ctx context.Context, refreshToken, namespace string, all bool, subject string) error {
	_, err := plugin.Call(ctx, c.BaseClient, c.api.Logout, &authv1.LogoutRequest{RefreshToken: refreshToken, Namespace: namespace, All: all, Subject: subject})
	return err
}

func (c *Client) ValidateAPIKey(ctx context.Context, key string) (Principal, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.ValidateAPIKey, &authv1.ValidateAPIKeyRequest{Key: key})
	if err != nil {
		return Principal{}, err
	}
	return principalFromProto(resp.GetPrincipal()), nil
}

func (c *Client) Keys(ctx context.Context) ([]PublicKey, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Keys, &authv1.KeysRequest{})
	if err != nil {
		return nil, err
	}
	out := make([]PublicKey, len(resp.GetKeys()))
	for i, k := range resp.GetKeys() {
		out[i] = publicKeyFromProto(k)
	}
	return out, nil
}

func (c *Client) CreateKey(ctx context.Context, namespace, name, plan string) (APIKey, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.CreateKey, &authv1.CreateKeyRequest{Namespace: namespace, Name: name, Plan: plan})
	if err != nil {
		return APIKey{}, err
	}
	return apiKeyFromProto(resp.GetKey()), nil
}

func (c *Client) ListKeys(ctx context.Context, namespace string) ([]APIKey, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.ListKeys, &authv1.ListKeysRequest{Namespace: namespace})
	if err != nil {
		return nil, err
	}
	out := make([]APIKey, len(resp.GetKeys()))
	for i, k := range resp.GetKeys() {
		out[i] = apiKeyFromProto(k)
	}
	return out, nil
}

func (c *Client) RevokeKey(ctx context.Context, namespace, id string) error {
	_, err := plugin.Call(ctx, c.BaseClient, c.api.RevokeKey, &authv1.RevokeKeyRequest{Namespace: namespace, Id: id})
	return err
}

func (c *Client) ValidateKeyID(ctx context.Context, id string) (Principal, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.ValidateKeyID, &authv1.ValidateKeyIDRequest{Id: id})
	if err != nil {
		return Principal{}, err
	}
	return principalFromProto(resp.GetPrincipal()), nil
}

func (c *Client) AddMember(ctx context.Context, actor, namespace, wallet, role string) (Member, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.AddMember, &authv1.AddMemberRequest{Actor: actor, Namespace: namespace, Wallet: wallet, Role: role})
	if err != nil {
		return Member{}, err
	}
	return memberFromProto(resp.GetMember()), nil
}

func (c *Client) RemoveMember(ctx context.Context, actor, namespace, wallet string) error {
	_, err := plugin.Call(ctx, c.BaseClient, c.api.RemoveMember, &authv1.RemoveMemberRequest{Actor: actor, Namespace: namespace, Wallet: wallet})
	return err
}

func (c *Client) Members(ctx context.Context, actor, namespace string) (Membership, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Members, &authv1.MembersRequest{Actor: actor, Namespace: namespace})
	if err != nil {
		return Membership{}, err
	}
	return membershipFromProto(resp.GetMembership()), nil
}

// Health asks the Auth service (not Base), so it also works over the host
// API connection.
func (c *Client) Health(ctx context.Context) (plugin.Health, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Health, &authv1.HealthRequest{})
	if err != nil {
		return plugin.Health{}, err
	}
	return plugin.Health{OK: resp.GetOk(), Driver: resp.GetDriver(), Detail: resp.GetDetail()}, nil
}
