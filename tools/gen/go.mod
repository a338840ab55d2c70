module github.com/orama-network/orama/tools/gen

go 1.26

require (
	google.golang.org/grpc/cmd/protoc-gen-go-grpc v1.5.1
	google.golang.org/protobuf v1.36.12
)
