package storage

import (
	"bufio"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk/storage"
)

// A JSON upload {"name": "...", "data": "<base64>"} is read by a small
// streaming scanner rather than encoding/json, which holds every string
// whole: the data string's characters go through base64.NewDecoder into
// Put as they arrive. Field names match case-insensitively and unknown
// fields are skipped, as encoding/json does; a second "data" is refused;
// name may come before or after data (see upload.go).
// JSON uploads are always pinned, as in the original gateway.

const (
	jsonReadBuffer = 64 << 10
	maxJSONDepth   = 64   // nesting of skipped values
	maxJSONKey     = 256  // bytes of a field name worth reading
	maxJSONNumber  = 1024 // bytes of a skipped number
)

func (h *Handlers) uploadJSON(w http.ResponseWriter, r *http.Request, st storage.Storage, ns string) error {
	sc := &jsonScanner{br: bufio.NewReaderSize(h.idleBody(w, r), jsonReadBuffer)}
	if err := sc.begin(); err != nil {
		return err
	}
	var name string
	for {
		key, ok, err := sc.nextKey()
		if err != nil {
			return err
		}
		if !ok {
			return api.Invalidf("data is required")
		}
		switch {
		case strings.EqualFold(key, "name"):
			if name, err = sc.nameValue(); err != nil {
				return err
			}
		case strings.EqualFold(key, "data"):
			return h.putJSONData(w, r, st, ns, sc, name)
		default:
			if err := sc.skipValue(0); err != nil {
				return err
			}
		}
	}
}

// putJSONData streams the data value into Put; the rest of the object is
// read before Put sees the end of the data.
func (h *Handlers) putJSONData(w http.ResponseWriter, r *http.Request, st storage.Storage, ns string, sc *jsonScanner, name string) error {
	c, err := sc.ws()
	if err != nil {
		return err
	}
	if c != '"' {
		return api.Invalidf("data must be a base64 string")
	}
	late, renamed := name, false
	finish := func() error {
		for {
			key, ok, err := sc.nextKey()
			if err != nil {
				return err
			}
			if !ok {
				return sc.end()
			}
			switch {
			case strings.EqualFold(key, "name"):
				if late, err = sc.nameValue(); err != nil {
					return err
				}
				renamed = true
			case strings.EqualFold(key, "data"):
				return api.Invalidf("data given twice")
			default:
				if err := sc.skipValue(0); err != nil {
					return err
				}
			}
		}
	}
	data := base64Reader{base64.NewDecoder(base64.StdEncoding, &jsonStrReader{sc: sc})}
	body := &uploadReader{r: data, max: h.maxFile, finish: finish}
	res, err := st.Put(r.Context(), ns, body, storage.PutOptions{Name: name, Pin: true, MaxSize: h.maxFile})
	if err != nil {
		return err
	}
	if renamed && late != name {
		ctx, cancel := h.Context(r.Context())
		defer cancel()
		if _, err := st.Pin(ctx, ns, res.CID, late, 0); err != nil {
			return err
		}
	}
	return api.WriteJSON(w, http.StatusOK, storageUploadResponse{CID: res.CID, Name: late, Size: res.Size})
}

// base64Reader turns the decoder's errors on bad input into 400s. (The
// JSON string under it reports a truncated body itself, so an unexpected
// EOF here is base64 that stops inside a quantum.)
type base64Reader struct{ r io.Reader }

func (b base64Reader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	var ce base64.CorruptInputError
	switch {
	case errors.As(err, &ce):
		err = api.Invalidf("data is not valid base64 (at character %d)", int64(ce))
	case err == io.ErrUnexpectedEOF:
		err = api.Invalidf("data is not valid base64 (its length is not a multiple of 4)")
	}
	return n, err
}
