package kubo

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"testing"
	"testing/iotest"

	"github.com/orama-network/orama/plugins/storage/internal/gen"
)

// TestAddBodyIsOneFilePart: the body, written by WriteTo or read by Read,
// is a multipart form whose one part is the file, byte for byte.
func TestAddBodyIsOneFilePart(t *testing.T) {
	data := gen.Bytes(3, 600001)
	for name, write := range map[string]func(*addBody) ([]byte, error){
		"WriteTo": func(b *addBody) ([]byte, error) {
			var out bytes.Buffer
			_, err := b.WriteTo(&out)
			return out.Bytes(), err
		},
		"Read": func(b *addBody) ([]byte, error) { return io.ReadAll(iotest.OneByteReader(struct{ io.Reader }{b})) },
	} {
		b, ct, err := newAddBody(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := write(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		_, params, _ := mime.ParseMediaType(ct)
		mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
		part, err := mr.NextPart()
		if err != nil || part.FormName() != "file" {
			t.Fatalf("%s: first part %v, %v", name, part, err)
		}
		got, err := io.ReadAll(part)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: part of %d bytes (%v), want the %d of the file", name, len(got), err, len(data))
		}
		if _, err := mr.NextPart(); err != io.EOF {
			t.Errorf("%s: after the file: %v, want the end", name, err)
		}
	}
}
