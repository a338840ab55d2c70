package auth

import (
	"context"

	"github.com/orama-network/orama/sdk"
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
	if err := c.Alive(); err != nil {
		return Challenge{}, err
	}
	resp, err := c.api.Challenge(ctx, &authv1.ChallengeRequest{Wallet: wallet, Purpose: purpose, Namespace: namespace, ClientIp: clientIP})
	if err != nil {
		return Challenge{}, sdk.FromGRPC(err)
	}
	return challengeFromProto(resp.GetChallenge()), nil
}

func (c *Client) Verify(ctx context.Context, p Proof) (Session, error) {
	if err := c.Alive(); err != nil {
		return Session{}, err
	}
	resp, err := c.api.Verify(ctx, &authv1.VerifyRequest{Proof: proofToProto(p)})
	if err != nil {
		return Session{}, sdk.FromGRPC(err)
	}
	return sessionFromProto(resp.GetSession()), nil
}

func (c *Client) CreateAPIKey(ctx context.Context, p Proof, plan string) (APIKey, error) {
	if err := c.Alive(); err != nil {
		return APIKey{}, err
	}
	resp, err := c.api.CreateAPIKey(ctx, &authv1.CreateAPIKeyRequest{Proof: proofToProto(p), Plan: plan})
	if err != nil {
		return APIKey{}, sdk.FromGRPC(err)
	}
	return apiKeyFromProto(resp.GetKey()), nil
}

func (c *Client) SimpleKey(ctx context.Context, wallet, namespace string) (APIKey, error) {
	if err := c.Alive(); err != nil {
		return APIKey{}, err
	}
	resp, err := c.api.SimpleKey(ctx, &authv1.SimpleKeyRequest{Wallet: wallet, Namespace: namespace})
	if err != nil {
		return APIKey{}, sdk.FromGRPC(err)
	}
	return apiKeyFromProto(resp.GetKey()), nil
}

func (c *Client) TokenForKey(ctx context.Context, key string) (Token, error) {
	if err := c.Alive(); err != nil {
		return Token{}, err
	}
	resp, err := c.api.TokenForKey(ctx, &authv1.TokenForKeyRequest{Key: key})
	if err != nil {
		return Token{}, sdk.FromGRPC(err)
	}
	return tokenFromProto(resp.GetToken()), nil
}

func (c *Client) Register(ctx context.Context, p Proof, name string) (App, error) {
	if err := c.Alive(); err != nil {
		return App{}, err
	}
	resp, err := c.api.Register(ctx, &authv1.RegisterRequest{Proof: proofToProto(p), Name: name})
	if err != nil {
		return App{}, sdk.FromGRPC(err)
	}
	return appFromProto(resp.GetApp()), nil
}

func (c *Client) Refresh(ctx context.Context, refreshToken, namespace string) (Session, error) {
	if err := c.Alive(); err != nil {
		return Session{}, err
	}
	resp, err := c.api.Refresh(ctx, &authv1.RefreshRequest{RefreshToken: refreshToken, Namespace: namespace})
	if err != nil {
		return Session{}, sdk.FromGRPC(err)
	}
	return sessionFromProto(resp.GetSession()), nil
}

func (c *Client) Logout(ctx context.Context, refreshToken, namespace string, all bool, subject string) error {
	if err := c.Alive(); err != nil {
		return err
	}
	_, err := c.api.Logout(ctx, &authv1.LogoutRequest{RefreshToken: refreshToken, Namespace: namespace, All: all, Subject: subject})
	return sdk.FromGRPC(err)
}

func (c *Client) ValidateAPIKey(ctx context.Context, key string) (Principal, error) {
	if err := c.Alive(); err != nil {
		return Principal{}, err
	}
	resp, err := c.api.ValidateAPIKey(ctx, &authv1.ValidateAPIKeyRequest{Key: key})
	if err != nil {
		return Principal{}, sdk.FromGRPC(err)
	}
	return principalFromProto(resp.GetPrincipal()), nil
}

func (c *Client) Keys(ctx context.Context) ([]PublicKey, error) {
	if err := c.Alive(); err != nil {
		return nil, err
	}
	resp, err := c.api.Keys(ctx, &authv1.KeysRequest{})
	if err != nil {
		return nil, sdk.FromGRPC(err)
	}
	out := make([]PublicKey, len(resp.GetKeys()))
	for i, k := range resp.GetKeys() {
		out[i] = publicKeyFromProto(k)
	}
	return out, nil
}

func (c *Client) CreateKey(ctx context.Context, namespace, name, plan string) (APIKey, error) {
	if err := c.Alive(); err != nil {
		return APIKey{}, err
	}
	resp, err := c.api.CreateKey(ctx, &authv1.CreateKeyRequest{Namespace: namespace, Name: name, Plan: plan})
	if err != nil {
		return APIKey{}, sdk.FromGRPC(err)
	}
	return apiKeyFromProto(resp.GetKey()), nil
}

func (c *Client) ListKeys(ctx context.Context, namespace string) ([]APIKey, error) {
	if err := c.Alive(); err != nil {
		return nil, err
	}
	resp, err := c.api.ListKeys(ctx, &authv1.ListKeysRequest{Namespace: namespace})
	if err != nil {
		return nil, sdk.FromGRPC(err)
	}
	out := make([]APIKey, len(resp.GetKeys()))
	for i, k := range resp.GetKeys() {
		out[i] = apiKeyFromProto(k)
	}
	return out, nil
}

func (c *Client) RevokeKey(ctx context.Context, namespace, id string) error {
	if err := c.Alive(); err != nil {
		return err
	}
	_, err := c.api.RevokeKey(ctx, &authv1.RevokeKeyRequest{Namespace: namespace, Id: id})
	return sdk.FromGRPC(err)
}

func (c *Client) ValidateKeyID(ctx context.Context, id string) (Principal, error) {
	if err := c.Alive(); err != nil {
		return Principal{}, err
	}
	resp, err := c.api.ValidateKeyID(ctx, &authv1.ValidateKeyIDRequest{Id: id})
	if err != nil {
		return Principal{}, sdk.FromGRPC(err)
	}
	return principalFromProto(resp.GetPrincipal()), nil
}

func (c *Client) AddMember(ctx context.Context, actor, namespace, wallet, role string) (Member, error) {
	if err := c.Alive(); err != nil {
		return Member{}, err
	}
	resp, err := c.api.AddMember(ctx, &authv1.AddMemberRequest{Actor: actor, Namespace: namespace, Wallet: wallet, Role: role})
	if err != nil {
		return Member{}, sdk.FromGRPC(err)
	}
	return memberFromProto(resp.GetMember()), nil
}

func (c *Client) RemoveMember(ctx context.Context, actor, namespace, wallet string) error {
	if err := c.Alive(); err != nil {
		return err
	}
	_, err := c.api.RemoveMember(ctx, &authv1.RemoveMemberRequest{Actor: actor, Namespace: namespace, Wallet: wallet})
	return sdk.FromGRPC(err)
}

func (c *Client) Members(ctx context.Context, actor, namespace string) (Membership, error) {
	if err := c.Alive(); err != nil {
		return Membership{}, err
	}
	resp, err := c.api.Members(ctx, &authv1.MembersRequest{Actor: actor, Namespace: namespace})
	if err != nil {
		return Membership{}, sdk.FromGRPC(err)
	}
	return membershipFromProto(resp.GetMembership()), nil
}

// Health asks the Auth service (not Base), so it also works over the host
// API connection.
func (c *Client) Health(ctx context.Context) (plugin.Health, error) {
	if err := c.Alive(); err != nil {
		return plugin.Health{}, err
	}
	resp, err := c.api.Health(ctx, &authv1.HealthRequest{})
	if err != nil {
		return plugin.Health{}, sdk.FromGRPC(err)
	}
	return plugin.Health{OK: resp.GetOk(), Driver: resp.GetDriver(), Detail: resp.GetDetail()}, nil
}
