package storage

import (
	"errors"
	"io"

	"github.com/orama-network/orama/sdk"
	storagev1 "github.com/orama-network/orama/sdk/gen/orama/storage/v1"
)

// Put hands impl a reader that pulls the upload's chunks from the stream
// as impl reads, so the server never holds more than one chunk.
func (s *server) Put(stream storagev1.Storage_PutServer) error {
	first, err := stream.Recv()
	if errors.Is(err, io.EOF) {
		return sdk.ToGRPC(sdk.Errorf(sdk.CodeInvalid, "put stream without a header"))
	}
	if err != nil {
		return sdk.ToGRPC(err)
	}
	h := first.GetHeader()
	if h == nil {
		return sdk.ToGRPC(sdk.Errorf(sdk.CodeInvalid, "the first message of a put stream must be the header"))
	}
	r := &chunkReader{next: func() ([]byte, error) { return recvPutChunk(stream) }}
	res, err := s.impl.Put(stream.Context(), h.Namespace, r, PutOptions{Name: h.Name, Pin: h.Pin, MaxSize: h.MaxSize})
	if err != nil {
		return sdk.ToGRPC(err)
	}
	// A result must describe the whole upload: impl read it to the end,
	// or the stream ends right where impl stopped.
	if _, err := r.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		if err == nil {
			err = sdk.Errorf(sdk.CodeInternal, "storage implementation returned before the end of the upload")
		}
		return sdk.ToGRPC(err)
	}
	return stream.SendAndClose(&storagev1.PutResponse{Cid: res.CID, Size: res.Size})
}

func recvPutChunk(stream storagev1.Storage_PutServer) ([]byte, error) {
	m, err := stream.Recv()
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if err != nil {
		return nil, sdk.FromGRPC(err) // the client went away: unavailable
	}
	if m.GetHeader() != nil {
		return nil, sdk.Errorf(sdk.CodeInvalid, "a put stream has one header, the first message")
	}
	chunk := m.GetChunk()
	if len(chunk) > ChunkSize {
		return nil, sdk.Errorf(sdk.CodeInvalid, "chunk of %d bytes, more than %d", len(chunk), ChunkSize)
	}
	return chunk, nil
}

// Get sends the Stat, then the content in chunks of ChunkSize as fast as
// the client's flow control allows. An error of the content reader ends
// the stream with its code; so does content that is longer or shorter
// than the range impl promised.
func (s *server) Get(req *storagev1.GetRequest, stream storagev1.Storage_GetServer) error {
	rc, st, err := s.impl.Get(stream.Context(), req.Namespace, req.Cid, req.Offset, req.Length)
	if err != nil {
		return sdk.ToGRPC(err)
	}
	defer rc.Close()
	want, err := CheckRange(st.Size, req.Offset, req.Length)
	if err != nil {
		return sdk.ToGRPC(sdk.Errorf(sdk.CodeInternal, "storage implementation served an invalid range: %v", err))
	}
	if err := stream.Send(&storagev1.GetResponse{Msg: &storagev1.GetResponse_Header{Header: statToProto(st)}}); err != nil {
		return err
	}
	var sent int64
	sendErr, readErr := copyChunks(io.LimitReader(rc, want+1), func(b []byte) error {
		sent += int64(len(b))
		if sent > want {
			return sdk.Errorf(sdk.CodeInternal, "storage implementation served more than the %d bytes of the range", want)
		}
		return stream.Send(&storagev1.GetResponse{Msg: &storagev1.GetResponse_Chunk{Chunk: b}})
	})
	switch {
	case sendErr != nil:
		return sdk.ToGRPC(sendErr)
	case readErr != nil:
		return sdk.ToGRPC(readErr)
	case sent < want:
		return sdk.ToGRPC(sdk.Errorf(sdk.CodeInternal, "storage implementation served %d of the %d bytes of the range", sent, want))
	}
	return nil
}
