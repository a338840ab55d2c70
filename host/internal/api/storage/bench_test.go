package storage_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/orama-network/orama/host/internal/server"
	"github.com/orama-network/orama/host/internal/server/servertest"
	"github.com/orama-network/orama/sdk/storage"
	"github.com/orama-network/orama/sdk/storage/storagetest"
)

// The handlers' own cost per byte, over real loopback HTTP, with a store
// that only reads (uploads) or produces (downloads) the bytes: no gRPC,
// no plugin, no disk. bench.sh runs these with the host's other
// benchmarks; BENCHMARKS.md has the numbers.

const benchFileSize = 64 << 20

// sinkStore reads uploads to the end and answers a fixed CID; its Get
// serves benchFileSize bytes of a pattern.
type sinkStore struct {
	*storagetest.Memory
	block []byte
}

func newSinkStore() *sinkStore {
	return &sinkStore{Memory: storagetest.NewMemory(), block: pattern(storage.ChunkSize)}
}

func (s *sinkStore) Put(ctx context.Context, ns string, r io.Reader, o storage.PutOptions) (storage.PutResult, error) {
	n, err := io.CopyBuffer(io.Discard, r, make([]byte, storage.ChunkSize))
	if err != nil {
		return storage.PutResult{}, err
	}
	return storage.PutResult{CID: "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", Size: n}, nil
}

func (s *sinkStore) Stat(ctx context.Context, ns, id string) (storage.Stat, error) {
	return storage.Stat{CID: id, Size: benchFileSize}, nil
}

func (s *sinkStore) Get(ctx context.Context, ns, id string, off, n int64) (io.ReadCloser, storage.Stat, error) {
	size := int64(benchFileSize)
	if n < 0 {
		n = size - off
	}
	return io.NopCloser(io.LimitReader(repeatReader{s.block}, n)), storage.Stat{CID: id, Size: size}, nil
}

type repeatReader struct{ b []byte }

func (r repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], r.b)
	}
	return n, nil
}

func benchServer(b *testing.B) (*httptest.Server, *http.Client) {
	e := servertest.New(b, func(o *server.Options) { o.Logger = nil })
	e.Plugins.Store = newSinkStore()
	srv := httptest.NewServer(e.Srv.Handler())
	b.Cleanup(srv.Close)
	return srv, srv.Client()
}

// BenchmarkStorageUploadMultipart: POST /v1/storage/upload of 64 MiB as
// a multipart file.
func BenchmarkStorageUploadMultipart(b *testing.B) {
	body, ct := multipartBody(b, fileParts("bench.bin", pattern(benchFileSize))...)
	benchUpload(b, ct, func() io.Reader { return bytes.NewReader(body) })
}

// BenchmarkStorageUploadJSON: the same 64 MiB as a JSON base64 upload.
func BenchmarkStorageUploadJSON(b *testing.B) {
	body := `{"name":"bench.bin","data":"` + base64.StdEncoding.EncodeToString(pattern(benchFileSize)) + `"}`
	benchUpload(b, "application/json", func() io.Reader { return strings.NewReader(body) })
}

// benchUpload measures POST /v1/storage/upload of benchFileSize bytes, a
// body of Content-Type ct that body returns afresh for each iteration.
func benchUpload(b *testing.B, ct string, body func() io.Reader) {
	srv, hc := benchServer(b)
	b.SetBytes(benchFileSize)
	for b.Loop() {
		resp, err := hc.Post(srv.URL+"/v1/storage/upload", ct, body())
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("upload: %s", resp.Status)
		}
	}
}

// BenchmarkStorageDownload: GET /v1/storage/get/:cid of 64 MiB.
func BenchmarkStorageDownload(b *testing.B) {
	srv, hc := benchServer(b)
	b.SetBytes(benchFileSize)
	buf := make([]byte, storage.ChunkSize)
	for b.Loop() {
		resp, err := hc.Get(srv.URL + "/v1/storage/get/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.CopyBuffer(io.Discard, resp.Body, buf)
		resp.Body.Close()
		if err != nil || n != benchFileSize {
			b.Fatalf("download: %s, %d bytes, %v", resp.Status, n, err)
		}
	}
}
