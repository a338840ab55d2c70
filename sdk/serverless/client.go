package serverless

import (
	"context"
	"unicode/utf8"

	"github.com/orama-network/orama/sdk"
	serverlessv1 "github.com/orama-network/orama/sdk/gen/orama/serverless/v1"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
)

// Client is the host side of a serverless plugin: Base plus Serverless
// over gRPC. Calls fail fast with unavailable once the plugin connection
// is gone. Arguments that could not cross the wire (strings that are not
// UTF-8, a module above MaxModuleBytes) fail here, with the code the
// plugin would have answered.
type Client struct {
	*plugin.BaseClient
	api serverlessv1.ServerlessClient
}

var _ Backend = (*Client)(nil)

// NewClient returns a Serverless over any connection serving the
// Serverless service. life bounds the client: calls fail fast once it is
// done.
func NewClient(life context.Context, conn grpc.ClientConnInterface) *Client {
	return newClient(plugin.NewBaseClient(life, nil, conn), conn)
}

func newClient(base *plugin.BaseClient, conn grpc.ClientConnInterface) *Client {
	return &Client{BaseClient: base, api: serverlessv1.NewServerlessClient(conn)}
}

func (c *Client) Deploy(ctx context.Context, def Definition, module []byte) (Function, error) {
	if err := CheckFunction(def.Namespace, def.Name); err != nil {
		return Function{}, err
	}
	if err := checkEnv(def.EnvVars); err != nil {
		return Function{}, err
	}
	if len(module) > MaxModuleBytes {
		return Function{}, CheckModule(module, MaxModuleBytes)
	}
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Deploy, &serverlessv1.DeployRequest{Definition: definitionToProto(def), Module: module})
	if err != nil {
		return Function{}, err
	}
	return functionFromProto(resp.GetFunction()), nil
}

func (c *Client) Get(ctx context.Context, namespace, name string, version int) (Function, error) {
	if err := CheckVersion(namespace, name, version); err != nil {
		return Function{}, err
	}
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Get, &serverlessv1.GetRequest{Namespace: namespace, Name: name, Version: int32(version)})
	if err != nil {
		return Function{}, err
	}
	return functionFromProto(resp.GetFunction()), nil
}

func (c *Client) List(ctx context.Context, namespace string) ([]Function, error) {
	if err := CheckNamespace(namespace); err != nil {
		return nil, err
	}
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.List, &serverlessv1.ListRequest{Namespace: namespace})
	if err != nil {
		return nil, err
	}
	return functionsFromProto(resp.GetFunctions()), nil
}

func (c *Client) Versions(ctx context.Context, namespace, name string) ([]Function, error) {
	if err := CheckFunction(namespace, name); err != nil {
		return nil, err
	}
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Versions, &serverlessv1.VersionsRequest{Namespace: namespace, Name: name})
	if err != nil {
		return nil, err
	}
	return functionsFromProto(resp.GetVersions()), nil
}

func (c *Client) Delete(ctx context.Context, namespace, name string, version int) (int, error) {
	if err := CheckVersion(namespace, name, version); err != nil {
		return 0, err
	}
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Delete, &serverlessv1.DeleteRequest{Namespace: namespace, Name: name, Version: int32(version)})
	if err != nil {
		return 0, err
	}
	return int(resp.GetDeleted()), nil
}

func (c *Client) Invoke(ctx context.Context, inv Invocation) (Result, error) {
	if err := CheckVersion(inv.Namespace, inv.Name, inv.Version); err != nil {
		return Result{}, err
	}
	for what, s := range map[string]string{"request id": inv.RequestID, "caller": inv.Caller, "wallet": inv.Wallet} {
		if !utf8.ValidString(s) {
			return Result{}, sdk.Errorf(sdk.CodeInvalid, "invalid UTF-8 in the %s", what)
		}
	}
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Invoke, invocationToProto(inv))
	if err != nil {
		return Result{}, err
	}
	return resultFromProto(resp), nil
}

func (c *Client) Logs(ctx context.Context, namespace, name string, limit int) ([]LogEntry, error) {
	if err := CheckFunction(namespace, name); err != nil {
		return nil, err
	}
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Logs, &serverlessv1.LogsRequest{Namespace: namespace, Name: name, Limit: clampInt32(limit)})
	if err != nil {
		return nil, err
	}
	return logsFromProto(resp.GetLogs()), nil
}

func (c *Client) SetSecret(ctx context.Context, namespace, name string, value []byte) error {
	if err := CheckSecret(namespace, name); err != nil {
		return err
	}
	_, err := plugin.Call(ctx, c.BaseClient, c.api.SetSecret, &serverlessv1.SetSecretRequest{Namespace: namespace, Name: name, Value: value})
	return err
}

func (c *Client) DeleteSecret(ctx context.Context, namespace, name string) error {
	if err := CheckSecret(namespace, name); err != nil {
		return err
	}
	_, err := plugin.Call(ctx, c.BaseClient, c.api.DeleteSecret, &serverlessv1.DeleteSecretRequest{Namespace: namespace, Name: name})
	return err
}

func (c *Client) Secrets(ctx context.Context, namespace string) ([]string, error) {
	if err := CheckNamespace(namespace); err != nil {
		return nil, err
	}
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Secrets, &serverlessv1.SecretsRequest{Namespace: namespace})
	if err != nil {
		return nil, err
	}
	return resp.GetNames(), nil
}

// Health asks the Serverless service (not Base), so it also works over
// the host API connection.
func (c *Client) Health(ctx context.Context) (plugin.Health, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Health, &serverlessv1.HealthRequest{})
	if err != nil {
		return plugin.Health{}, err
	}
	return plugin.Health{OK: resp.Ok, Driver: resp.Driver, Detail: resp.Detail}, nil
}
