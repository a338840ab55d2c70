package database

import (
	"context"

	"github.com/orama-network/orama/sdk"
	databasev1 "github.com/orama-network/orama/sdk/gen/orama/database/v1"
	"google.golang.org/grpc"
)

// Register serves impl as the Database service on s. The host also uses it
// to offer the database domain to other plugins through the host API.
func Register(s grpc.ServiceRegistrar, impl Database) {
	databasev1.RegisterDatabaseServer(s, &server{impl: impl})
}

type server struct {
	databasev1.UnimplementedDatabaseServer
	impl Database
}

func (s *server) Query(ctx context.Context, req *databasev1.QueryRequest) (*databasev1.QueryResponse, error) {
	stmt, err := statementFromProto(req.GetStatement())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	rows, err := s.impl.Query(ctx, req.GetNamespace(), stmt)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	pr, err := rowsToProto(rows)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &databasev1.QueryResponse{Rows: pr}, nil
}

func (s *server) Exec(ctx context.Context, req *databasev1.ExecRequest) (*databasev1.ExecResponse, error) {
	stmt, err := statementFromProto(req.GetStatement())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	res, err := s.impl.Exec(ctx, req.GetNamespace(), stmt)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &databasev1.ExecResponse{Result: execToProto(res)}, nil
}

func (s *server) Transaction(ctx context.Context, req *databasev1.TransactionRequest) (*databasev1.TransactionResponse, error) {
	ops, err := opsFromProto(req.GetOps())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	results, err := s.impl.Transaction(ctx, req.GetNamespace(), ops, req.GetReturnResults())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	prs, err := resultsToProto(results)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &databasev1.TransactionResponse{Results: prs}, nil
}

func (s *server) Schema(ctx context.Context, req *databasev1.SchemaRequest) (*databasev1.SchemaResponse, error) {
	tables, err := s.impl.Schema(ctx, req.GetNamespace())
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &databasev1.SchemaResponse{Tables: tablesToProto(tables)}, nil
}

func (s *server) CreateTable(ctx context.Context, req *databasev1.CreateTableRequest) (*databasev1.CreateTableResponse, error) {
	if err := s.impl.CreateTable(ctx, req.GetNamespace(), req.GetDdl()); err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &databasev1.CreateTableResponse{}, nil
}

func (s *server) DropTable(ctx context.Context, req *databasev1.DropTableRequest) (*databasev1.DropTableResponse, error) {
	if err := s.impl.DropTable(ctx, req.GetNamespace(), req.GetTable()); err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &databasev1.DropTableResponse{}, nil
}

func (s *server) Health(ctx context.Context, _ *databasev1.HealthRequest) (*databasev1.HealthResponse, error) {
	h, err := s.impl.Health(ctx)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &databasev1.HealthResponse{Ok: h.OK, Driver: h.Driver, Detail: h.Detail}, nil
}
