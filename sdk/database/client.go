package database

import (
	"context"

	"github.com/orama-network/orama/sdk"
	databasev1 "github.com/orama-network/orama/sdk/gen/orama/database/v1"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
)

// Client is the host side of a database plugin: Base plus Database over
// gRPC. Calls fail fast with unavailable once the plugin connection is
// gone. Arguments that are not Values (see NormalizeValue) are refused as
// invalid before anything is sent. Results come back with Columns and Rows
// never nil.
type Client struct {
	*plugin.BaseClient
	api databasev1.DatabaseClient
}

var _ Backend = (*Client)(nil)

// NewClient returns a Database over any connection serving the Database
// service, e.g. a plugin's host API connection (hostapi.Client.Conn). life
// bounds the client: calls fail fast once it is done.
func NewClient(life context.Context, conn grpc.ClientConnInterface) *Client {
	return newClient(plugin.NewBaseClient(life, nil, conn), conn)
}

func newClient(base *plugin.BaseClient, conn grpc.ClientConnInterface) *Client {
	return &Client{BaseClient: base, api: databasev1.NewDatabaseClient(conn)}
}

func (c *Client) Query(ctx context.Context, namespace string, stmt Statement) (*Rows, error) {
	if err := c.Alive(); err != nil {
		return nil, err
	}
	ps, err := statementToProto(stmt)
	if err != nil {
		return nil, err
	}
	resp, err := c.api.Query(ctx, &databasev1.QueryRequest{Namespace: namespace, Statement: ps})
	if err != nil {
		return nil, sdk.FromGRPC(err)
	}
	return rowsFromProto(resp.GetRows())
}

func (c *Client) Exec(ctx context.Context, namespace string, stmt Statement) (ExecResult, error) {
	if err := c.Alive(); err != nil {
		return ExecResult{}, err
	}
	ps, err := statementToProto(stmt)
	if err != nil {
		return ExecResult{}, err
	}
	resp, err := c.api.Exec(ctx, &databasev1.ExecRequest{Namespace: namespace, Statement: ps})
	if err != nil {
		return ExecResult{}, sdk.FromGRPC(err)
	}
	return execFromProto(resp.GetResult()), nil
}

func (c *Client) Transaction(ctx context.Context, namespace string, ops []Op, returnResults bool) ([]OpResult, error) {
	if err := c.Alive(); err != nil {
		return nil, err
	}
	pops, err := opsToProto(ops)
	if err != nil {
		return nil, err
	}
	resp, err := c.api.Transaction(ctx, &databasev1.TransactionRequest{Namespace: namespace, Ops: pops, ReturnResults: returnResults})
	if err != nil {
		return nil, sdk.FromGRPC(err)
	}
	return resultsFromProto(resp.GetResults())
}

func (c *Client) Schema(ctx context.Context, namespace string) ([]Table, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Schema, &databasev1.SchemaRequest{Namespace: namespace})
	if err != nil {
		return nil, err
	}
	return tablesFromProto(resp.GetTables()), nil
}

func (c *Client) CreateTable(ctx context.Context, namespace, ddl string) error {
	_, err := plugin.Call(ctx, c.BaseClient, c.api.CreateTable, &databasev1.CreateTableRequest{Namespace: namespace, Ddl: ddl})
	return err
}

func (c *Client) DropTable(ctx context.Context, namespace, table string) error {
	_, err := plugin.Call(ctx, c.BaseClient, c.api.DropTable, &databasev1.DropTableRequest{Namespace: namespace, Table: table})
	return err
}

// Health asks the Database service (not Base), so it also works over the
// host API connection.
func (c *Client) Health(ctx context.Context) (plugin.Health, error) {
	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Health, &databasev1.HealthRequest{})
	if err != nil {
		return plugin.Health{}, err
	}
	return plugin.Health{OK: resp.GetOk(), Driver: resp.GetDriver(), Detail: resp.GetDetail()}, nil
}
