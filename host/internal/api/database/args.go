package database

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf8"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk/database"
)

// JSON → SQL parameters.
//
// Arguments arrive as raw JSON values so numbers keep their text: a number
// written without a fraction or an exponent that fits int64 is bound as
// int64 (exactly, even beyond 2^53); any other number as float64. Strings,
// booleans and null bind as themselves. Arrays and objects have no SQL
// parameter type and are refused (400).

// bindArgs converts the JSON args of field (e.g. "args", "where[1].args")
// into parameters. It returns nil for no args.
func bindArgs(field string, raw []json.RawMessage) ([]database.Value, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	if len(raw) > database.MaxArgs {
		return nil, api.Invalidf("%s: at most %d arguments per statement", field, database.MaxArgs)
	}
	out := make([]database.Value, len(raw))
	for i, r := range raw {
		v, err := bindValue(r)
		if err != nil {
			return nil, api.Invalidf("%s[%d]: %v", field, i, err)
		}
		out[i] = v
	}
	return out, nil
}

var (
	errArgComposite = errors.New("arrays and objects cannot be bound as SQL parameters")
	errArgRange     = errors.New("number out of range")
)

// bindValue converts one JSON value (valid JSON, as the request decoder
// already checked it) into a parameter.
func bindValue(raw json.RawMessage) (database.Value, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, nil // a JSON null in a RawMessage may arrive empty
	}
	switch raw[0] {
	case 'n':
		return nil, nil
	case 't':
		return true, nil
	case 'f':
		return false, nil
	case '"':
		return jsonString(raw)
	case '[', '{':
		return nil, errArgComposite
	}
	return jsonNumber(raw)
}

// jsonString decodes a JSON string; the common case (no escapes, valid
// UTF-8) is a plain copy.
func jsonString(raw []byte) (string, error) {
	body := raw[1 : len(raw)-1]
	if bytes.IndexByte(body, '\\') < 0 && utf8.Valid(body) {
		return string(body), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", err
	}
	return s, nil
}

// jsonNumber decodes a JSON number: int64 when whole and in range, else
// float64.
func jsonNumber(raw []byte) (database.Value, error) {
	s := string(raw)
	if bytes.IndexAny(raw, ".eE") < 0 {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, nil
		}
		// Whole but beyond int64: a float64 is the closest SQLite has.
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return nil, errArgRange
		}
		return nil, err
	}
	return f, nil
}
