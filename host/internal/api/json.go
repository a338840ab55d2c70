package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
)

// jsonContentType is shared by every JSON response; net/http only reads it.
var jsonContentType = []string{"application/json"}

// WriteJSON writes v as a JSON response with the given status. An error
// before anything was written (v does not marshal) leaves the response to
// the error adapter.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding response: %w", err)
	}
	return WriteJSONBytes(w, status, b)
}

// WriteJSONBytes writes b, a complete JSON document, with status.
func WriteJSONBytes(w http.ResponseWriter, status int, b []byte) error {
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(status)
	_, err := w.Write(b)
	return err
}

// DecodeJSON decodes the request body into v (a pointer). It rejects an
// empty body and anything after the first JSON value with 400 "invalid JSON
// body: …"; a body over the limit comes back as *http.MaxBytesError (413).
//
// The body must be valid UTF-8 (see CheckJSONUTF8): encoding/json would
// replace invalid bytes with U+FFFD, and a string that is not what the
// client sent must not reach a plugin.
//
// The body is read whole (encoding/json's decoder buffers a value whole
// anyway) into a pooled buffer and unmarshalled from there: no decoder
// and no second copy per request.
func DecodeJSON(r *http.Request, v any) error {
	if r.Body == nil {
		return Invalidf("invalid JSON body: empty body")
	}
	buf, err := readJSONBody(r.Body)
	if err != nil {
		return err
	}
	defer putJSONBuf(buf)
	b := buf.Bytes()
	if len(bytes.TrimSpace(b)) == 0 {
		return Invalidf("invalid JSON body: empty body")
	}
	if err := CheckJSONUTF8(b); err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			switch msg := se.Error(); {
			case strings.HasSuffix(msg, "after top-level value"):
				return Invalidf("invalid JSON body: unexpected data after the JSON value")
			case msg == "unexpected end of JSON input":
				return Invalidf("invalid JSON body: unexpected end of input")
			}
		}
		return decodeError(err)
	}
	return nil
}

func decodeError(err error) error {
	var (
		mbe    *http.MaxBytesError
		typErr *json.UnmarshalTypeError
		synErr *json.SyntaxError
	)
	switch {
	case errors.As(err, &mbe):
		return err
	case errors.Is(err, io.EOF):
		return Invalidf("invalid JSON body: empty body")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return Invalidf("invalid JSON body: unexpected end of input")
	case errors.As(err, &typErr):
		if typErr.Field == "" {
			return Invalidf("invalid JSON body: expected %s, got %s", jsonKind(typErr.Type), typErr.Value)
		}
		return Invalidf("invalid JSON body: field %q must be %s, not %s", typErr.Field, jsonKind(typErr.Type), typErr.Value)
	case errors.As(err, &synErr):
		return Invalidf("invalid JSON body: %v (at byte %d)", synErr, synErr.Offset)
	}
	return Invalidf("invalid JSON body: %v", err)
}

// jsonKind names a Go type the way a JSON client thinks of it.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a " + t.String()
}

// OK is the body {"status":"ok"} of the routes that answer nothing more.
var OK = struct {
	Status string `json:"status"`
}{Status: "ok"}
