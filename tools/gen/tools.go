//go:build tools

// Package gen pins the protoc plugins used by `make proto`.
package gen

import (
	_ "google.golang.org/grpc/cmd/protoc-gen-go-grpc"
	_ "google.golang.org/protobuf/cmd/protoc-gen-go"
)
