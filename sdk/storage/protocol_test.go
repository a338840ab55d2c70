package storage_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	storagev1 "github.com/orama-network/orama/sdk/gen/orama/storage/v1"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
	"github.com/orama-network/orama/sdk/storage/storagetest"
	"google.golang.org/grpc"
)

func header(ns string) *storagev1.PutRequest {
	return &storagev1.PutRequest{Msg: &storagev1.PutRequest_Header{Header: &storagev1.PutHeader{Namespace: ns}}}
}

func chunk(b []byte) *storagev1.PutRequest {
	return &storagev1.PutRequest{Msg: &storagev1.PutRequest_Chunk{Chunk: b}}
}

// The server refuses put streams that break the protocol, whatever the
// implementation does with them.
func TestServerRefusesMalformedPutStreams(t *testing.T) {
	cases := []struct {
		name string
		msgs []*storagev1.PutRequest
	}{
		{"no message", nil},
		{"chunk before the header", []*storagev1.PutRequest{chunk([]byte("data")), header("ns")}},
		{"second header", []*storagev1.PutRequest{header("ns"), chunk([]byte("data")), header("ns")}},
		{"chunk larger than ChunkSize", []*storagev1.PutRequest{header("ns"), chunk(make([]byte, storage.ChunkSize+1))}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := storagetest.NewMemory()
			_, conn := dial(t, t.Context(), mem)
			stream, err := storagev1.NewStorageClient(conn).Put(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range tc.msgs {
				if err := stream.Send(m); err != nil {
					break // the server ended the stream; CloseAndRecv has why
				}
			}
			_, err = stream.CloseAndRecv()
			if code := plugintest.Code(sdk.FromGRPC(err)); code != sdk.CodeInvalid {
				t.Errorf("got %v, want invalid", err)
			}
			if pins, _ := mem.Pins(t.Context(), "ns"); len(pins) != 0 {
				t.Errorf("a malformed stream left pins: %+v", pins)
			}
		})
	}

	// Empty chunks are allowed and carry nothing.
	_, conn := dial(t, t.Context(), storagetest.NewMemory())
	stream, err := storagev1.NewStorageClient(conn).Put(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []*storagev1.PutRequest{header("ns"), chunk(nil), chunk([]byte("hello world\n")), chunk(nil)} {
		if err := stream.Send(m); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := stream.CloseAndRecv()
	if err != nil || resp.Size != 12 || resp.Cid != "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4" {
		t.Errorf("Put with empty chunks = %v, %v", resp, err)
	}
}

// earlyReturn reads a little of the upload and claims success.
type earlyReturn struct{ failing }

func (earlyReturn) Put(_ context.Context, _ string, r io.Reader, _ storage.PutOptions) (storage.PutResult, error) {
	_, _ = io.ReadFull(r, make([]byte, 5))
	return storage.PutResult{CID: "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4", Size: 5}, nil
}

func TestServerRefusesAResultForPartOfTheUpload(t *testing.T) {
	c, _ := dial(t, t.Context(), earlyReturn{})
	_, err := c.Put(t.Context(), "ns", payload(5, 1<<20), storage.PutOptions{})
	if plugintest.Code(err) != sdk.CodeInternal {
		t.Errorf("Put whose implementation stopped reading early: %v, want internal", err)
	}
	// Exactly the bytes it read, with the stream ending there, is fine.
	res, err := c.Put(t.Context(), "ns", strings.NewReader("12345"), storage.PutOptions{})
	if err != nil || res.Size != 5 {
		t.Errorf("Put of exactly what the implementation read = %+v, %v", res, err)
	}
}

// rawGet is a Storage server whose Get sends the given messages as they are.
type rawGet struct {
	storagev1.UnimplementedStorageServer
	msgs []*storagev1.GetResponse
}

func (r rawGet) Get(_ *storagev1.GetRequest, stream storagev1.Storage_GetServer) error {
	for _, m := range r.msgs {
		if err := stream.Send(m); err != nil {
			return err
		}
	}
	return nil
}

func getHeader(size int64) *storagev1.GetResponse {
	return &storagev1.GetResponse{Msg: &storagev1.GetResponse_Header{Header: &storagev1.Stat{Cid: "x", Size: size}}}
}

func getChunk(b []byte) *storagev1.GetResponse {
	return &storagev1.GetResponse{Msg: &storagev1.GetResponse_Chunk{Chunk: b}}
}

// The client refuses get streams that break the protocol.
func TestClientRefusesMalformedGetStreams(t *testing.T) {
	cases := []struct {
		name      string
		msgs      []*storagev1.GetResponse
		atGet     bool // the error comes from Get, not from Read
		wantBytes int64
	}{
		{"no message", nil, true, 0},
		{"chunk before the header", []*storagev1.GetResponse{getChunk([]byte("data"))}, true, 0},
		{"second header", []*storagev1.GetResponse{getHeader(8), getChunk([]byte("data")), getHeader(8)}, false, 4},
		{"chunk larger than ChunkSize", []*storagev1.GetResponse{getHeader(storage.ChunkSize + 1), getChunk(make([]byte, storage.ChunkSize+1))}, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := dialRaw(t, rawGet{msgs: tc.msgs})
			rc, _, err := c.Get(t.Context(), "ns", "x", 0, -1)
			if tc.atGet {
				if plugintest.Code(err) != sdk.CodeInternal {
					t.Errorf("Get: %v, want internal", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			defer rc.Close()
			n, err := io.Copy(io.Discard, rc)
			if plugintest.Code(err) != sdk.CodeInternal || n != tc.wantBytes {
				t.Errorf("read %d bytes, then %v; want %d bytes, then internal", n, err, tc.wantBytes)
			}
		})
	}
}

// dialRaw serves srv as the Storage service and returns a Client of it.
func dialRaw(t *testing.T, srv storagev1.StorageServer) *storage.Client {
	t.Helper()
	return storage.NewClient(t.Context(), plugintest.Dial(t, func(s *grpc.Server) { storagev1.RegisterStorageServer(s, srv) }))
}
