package kubo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/url"
	"strconv"
	"sync"

	"github.com/ipfs/go-cid"
	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/sdk"
)

var _ driver.PinningAdder = (*Driver)(nil)

// Add streams r to kubo's add with the embedded driver's settings and
// pin=false. kubo keeps the blocks of an import that failed half way
// until its own GC.
func (d *Driver) Add(ctx context.Context, r io.Reader) (cid.Cid, error) {
	return d.add(ctx, r, nil)
}

// AddPinned is Add with pin=true and the spec's name: kubo pins the root
// recursively as the import ends, under its own pin lock. Pins that go
// through the cluster cannot be made this way (ok false).
func (d *Driver) AddPinned(ctx context.Context, r io.Reader, spec driver.PinSpec) (cid.Cid, bool, error) {
	if d.cluster != nil {
		return cid.Undef, false, nil
	}
	c, err := d.add(ctx, r, &spec)
	return c, true, err
}

// add sends r as the one file of a multipart body: the part's header, r
// itself (no copy into another buffer on the way), the closing boundary.
func (d *Driver) add(ctx context.Context, r io.Reader, pin *driver.PinSpec) (cid.Cid, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g := newGuard(d.opts.Timeout, cancel)
	defer g.disarm()
	body := &uploadBody{r: r, g: g}
	form, contentType, err := newAddBody(body)
	if err != nil {
		return cid.Undef, sdk.Errorf(sdk.CodeInternal, "kubo add: %v", err)
	}
	resp, err := d.post(ctx, "add", d.addQuery(pin), form, contentType)
	var c cid.Cid
	if err == nil {
		c, err = addResult(streamBody{resp})
		_ = resp.Body.Close()
	}
	switch {
	case body.err != nil:
		return cid.Undef, body.err
	case err != nil && g.stalled():
		return cid.Undef, sdk.Errorf(sdk.CodeUnavailable, "kubo add made no progress for %v", d.opts.Timeout)
	case err != nil:
		return cid.Undef, kuboError("add", err)
	}
	return c, nil
}

// addQuery is the embedded driver's import settings (kubo's defaults for
// the rest), with or without a pin.
func (d *Driver) addQuery(pin *driver.PinSpec) url.Values {
	q := url.Values{
		"hash":        {"sha2-256"},
		"chunker":     {driver.Chunker},
		"cid-version": {strconv.Itoa(d.opts.CIDVersion)},
		"raw-leaves":  {strconv.FormatBool(d.opts.CIDVersion == 1)},
		"pin":         {strconv.FormatBool(pin != nil)},
		"quieter":     {"true"}, // only the root's event
		"progress":    {"false"},
	}
	if pin != nil && pin.Name != "" {
		q.Set("pin-name", pin.Name)
	}
	return q
}

// addResult reads add's events to the end (an error may follow the last
// one in the trailer) and returns the last one's CID.
func addResult(r io.Reader) (cid.Cid, error) {
	dec := json.NewDecoder(r)
	var last string
	for {
		var ev struct{ Hash string }
		if err := dec.Decode(&ev); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return cid.Undef, err
		}
		if ev.Hash != "" {
			last = ev.Hash
		}
	}
	if last == "" {
		return cid.Undef, errors.New("kubo add answered no CID")
	}
	return cid.Decode(last)
}

// addBody is add's multipart body: the part's header, the file, the
// closing boundary. net/http copies a body through a 32 KiB buffer, a
// write to kubo's connection for each; WriteTo hands the file on in
// reads of up to driver.ChunkSize (a whole stream chunk at a time), so
// the connection sees an eighth of the writes.
type addBody struct {
	head, tail []byte
	file       io.Reader
	all        io.Reader // head, file, tail: for Read
	read       bool      // Read was called: WriteTo continues from there
}

// newAddBody wraps file with a random boundary and returns the body and
// its Content-Type.
func newAddBody(file io.Reader) (*addBody, string, error) {
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	if _, err := mw.CreateFormFile("file", "file"); err != nil {
		return nil, "", err
	}
	b := &addBody{head: head.Bytes(), tail: []byte("\r\n--" + mw.Boundary() + "--\r\n"), file: file}
	b.all = io.MultiReader(bytes.NewReader(b.head), file, bytes.NewReader(b.tail))
	return b, mw.FormDataContentType(), nil
}

func (b *addBody) Read(p []byte) (int, error) {
	b.read = true
	return b.all.Read(p)
}

var addBufs = sync.Pool{New: func() any { b := make([]byte, driver.ChunkSize); return &b }}

func (b *addBody) WriteTo(w io.Writer) (int64, error) {
	bp := addBufs.Get().(*[]byte)
	defer addBufs.Put(bp)
	if b.read {
		return io.CopyBuffer(w, b.all, *bp)
	}
	b.read = true
	n, err := w.Write(b.head)
	total := int64(n)
	if err != nil {
		return total, err
	}
	for {
		n, rerr := b.file.Read(*bp)
		if n > 0 {
			n, err = w.Write((*bp)[:n])
			total += int64(n)
			if err != nil {
				return total, err
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return total, rerr
		}
	}
	n, err = w.Write(b.tail)
	return total + int64(n), err
}
