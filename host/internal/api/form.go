package api

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"

	"github.com/orama-network/orama/sdk"
)

// BodyError classifies an error reading a request body (what: "the
// upload", "the form"): the body limit stays itself (413), an *sdk.Error
// stays itself, anything else is a broken or truncated body (400).
func BodyError(what string, err error) error {
	var mbe *http.MaxBytesError
	var se *sdk.Error
	if errors.As(err, &mbe) || errors.As(err, &se) {
		return err
	}
	return Invalidf("reading %s: %v", what, err)
}

// SkipFormField reads past a form field a handler does not use, at most
// limit bytes (400 beyond); its content is not looked at. what names the
// body for BodyError.
func SkipFormField(part *multipart.Part, limit int64, what string) error {
	n, err := io.Copy(io.Discard, io.LimitReader(part, limit+1))
	if err != nil {
		return BodyError(what, err)
	}
	if n > limit {
		return Invalidf("form field %q larger than %d bytes", part.FormName(), limit)
	}
	return nil
}
