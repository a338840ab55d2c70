package storage

import (
	"context"
	"errors"
	"io"
	"sync/atomic"

	"github.com/orama-network/orama/sdk"
	storagev1 "github.com/orama-network/orama/sdk/gen/orama/storage/v1"
)

// Put streams r to the plugin in chunks of ChunkSize as fast as the
// plugin reads them. An error of r comes back unchanged, and the plugin
// sees the upload broken off (never a shorter upload that ended well); an
// error of the plugin, also one raised halfway through (too_large), comes
// back with its code.
func (c *Client) Put(ctx context.Context, namespace string, r io.Reader, opts PutOptions) (PutResult, error) {
	if err := c.Alive(); err != nil {
		return PutResult{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.api.Put(ctx)
	if err != nil {
		return PutResult{}, sdk.FromGRPC(err)
	}
	header := &storagev1.PutHeader{Namespace: namespace, Name: opts.Name, Pin: opts.Pin, MaxSize: opts.MaxSize}
	sendErr := stream.Send(&storagev1.PutRequest{Msg: &storagev1.PutRequest_Header{Header: header}})
	var readErr error
	if sendErr == nil {
		sendErr, readErr = copyChunks(r, func(b []byte) error {
			return stream.Send(&storagev1.PutRequest{Msg: &storagev1.PutRequest_Chunk{Chunk: b}})
		})
	}
	if readErr != nil {
		cancel() // before CloseSend could tell the plugin the upload is complete
		return PutResult{}, readErr
	}
	// io.EOF from Send means the plugin ended the stream: its status
	// comes from CloseAndRecv.
	if sendErr != nil && !errors.Is(sendErr, io.EOF) {
		return PutResult{}, sdk.FromGRPC(sendErr)
	}
	resp, err := stream.CloseAndRecv()
	if err != nil {
		return PutResult{}, sdk.FromGRPC(err)
	}
	return PutResult{CID: resp.Cid, Size: resp.Size}, nil
}

// Get opens the content stream and waits for its header, so a missing or
// malformed CID fails here, not at the first Read. The reader pulls one
// chunk at a time as the caller reads; Close cancels the stream, also
// when the caller stops early. An error in the middle of the stream comes
// from Read with its code.
func (c *Client) Get(ctx context.Context, namespace, cid string, offset, length int64) (io.ReadCloser, Stat, error) {
	if err := c.Alive(); err != nil {
		return nil, Stat{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	stream, err := c.api.Get(ctx, &storagev1.GetRequest{Namespace: namespace, Cid: cid, Offset: offset, Length: length})
	if err != nil {
		cancel()
		return nil, Stat{}, sdk.FromGRPC(err)
	}
	first, err := stream.Recv()
	if err != nil {
		cancel()
		if errors.Is(err, io.EOF) {
			return nil, Stat{}, sdk.Errorf(sdk.CodeInternal, "get stream ended without a header")
		}
		return nil, Stat{}, sdk.FromGRPC(err)
	}
	h := first.GetHeader()
	if h == nil {
		cancel()
		return nil, Stat{}, sdk.Errorf(sdk.CodeInternal, "get stream did not start with a header")
	}
	body := &getReader{cancel: cancel}
	body.r.next = func() ([]byte, error) { return recvGetChunk(stream) }
	return body, statFromProto(h), nil
}

func recvGetChunk(stream storagev1.Storage_GetClient) ([]byte, error) {
	m, err := stream.Recv()
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if err != nil {
		return nil, sdk.FromGRPC(err)
	}
	if m.GetHeader() != nil {
		return nil, sdk.Errorf(sdk.CodeInternal, "get stream sent a second header")
	}
	chunk := m.GetChunk()
	if len(chunk) > ChunkSize {
		return nil, sdk.Errorf(sdk.CodeInternal, "get stream sent a chunk of %d bytes, more than %d", len(chunk), ChunkSize)
	}
	return chunk, nil
}

// getReader is the body of Client.Get. Close may be called while another
// goroutine is blocked in Read: it cancels the stream, which wakes Read.
type getReader struct {
	r      chunkReader
	cancel context.CancelFunc
	closed atomic.Bool
}

func (g *getReader) Read(p []byte) (int, error) {
	if g.closed.Load() {
		return 0, sdk.Errorf(sdk.CodeInvalid, "read after close")
	}
	return g.r.Read(p)
}

func (g *getReader) Close() error {
	g.closed.Store(true)
	g.cancel()
	return nil
}
