package main

import (
	"bytes"
	"encoding/base64"
	"strconv"
)

// A message's data is ASCII text (valid in a text frame):
// "<step> <publisher> <seq> <send UnixNano> " padded with 'x' to -size.
const minSize = 48

// payload writes message (step, pub, seq, sent) into b (len -size).
func payload(b []byte, step, pub int, seq, sent int64) []byte {
	b = b[:0]
	b = strconv.AppendInt(b, int64(step), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(pub), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, sent, 10)
	b = append(b, ' ')
	for len(b) < cap(b) {
		b = append(b, 'x')
	}
	return b
}

// stamp is what a received message says about itself.
type stamp struct {
	step, pub int
	seq, sent int64
}

var dataKey = []byte(`"data":"`)

// parseFrame reads the stamp out of a server frame
// {"data":"<base64>","timestamp":…,"topic":…} without a JSON decoder;
// scratch is reused for the decoded data. ok is false for anything else
// (a frame of another shape, or data not written by payload).
func parseFrame(frame, scratch []byte) (st stamp, ok bool) {
	i := bytes.Index(frame, dataKey)
	if i < 0 {
		return st, false
	}
	rest := frame[i+len(dataKey):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return st, false
	}
	enc := rest[:j]
	// Only the first 64 characters are needed (48 bytes of data).
	if len(enc) > 64 {
		enc = enc[:64]
	}
	n, err := base64.StdEncoding.Decode(scratch[:cap(scratch)], enc)
	if err != nil && n == 0 {
		return st, false
	}
	f := bytes.Fields(scratch[:n])
	if len(f) < 4 {
		return st, false
	}
	var v [4]int64
	for k := range v {
		if v[k], err = strconv.ParseInt(string(f[k]), 10, 64); err != nil {
			return st, false
		}
	}
	return stamp{step: int(v[0]), pub: int(v[1]), seq: v[2], sent: v[3]}, true
}
