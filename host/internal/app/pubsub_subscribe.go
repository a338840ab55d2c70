package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"

	"github.com/orama-network/orama/sdk/client"
)

// runSubscribe prints the topic's messages until ctx ends (Ctrl-C), -n of
// them were printed, or the subscription ends for good.
func runSubscribe(ctx context.Context, ps *client.PubSub, o pubsubFlags, stdout io.Writer) error {
	var opts []client.SubscribeOption
	if o.presence {
		opts = append(opts, client.WithPresence(o.memberID, json.RawMessage(o.meta)))
	}
	sub, err := ps.Subscribe(ctx, o.topic, opts...)
	if err != nil {
		if ctx.Err() != nil {
			return nil // Ctrl-C while connecting
		}
		return err
	}
	defer sub.Close()
	printed := 0
	for m, err := range sub.Messages() {
		if err != nil {
			return err
		}
		if err := printMessage(stdout, m, o.json); err != nil {
			return err
		}
		if printed++; o.count > 0 && printed >= o.count {
			return nil
		}
	}
	return nil // Ctrl-C
}

// wireFrame is a frame as API.md gives it, for -json.
type wireFrame struct {
	Type      string          `json:"type,omitempty"`
	MemberID  string          `json:"member_id,omitempty"`
	Meta      json.RawMessage `json:"meta,omitempty"`
	Topic     string          `json:"topic"`
	Timestamp int64           `json:"timestamp"` // Unix ms
	Data      []byte          `json:"data"`
}

// printMessage writes m as one line: its frame with asJSON, else its
// data as text (or base64:…) or its presence event.
func printMessage(w io.Writer, m client.Message, asJSON bool) error {
	if asJSON {
		f := wireFrame{Topic: m.Topic, Timestamp: m.Timestamp.UnixMilli(), Data: m.Data}
		if p := m.Presence; p != nil {
			f.Type, f.MemberID, f.Meta = p.Type, p.MemberID, p.Meta
		}
		b, err := json.Marshal(f)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	if p := m.Presence; p != nil {
		line := p.Type + " " + p.MemberID
		if len(p.Meta) > 0 {
			line += " " + string(p.Meta)
		}
		_, err := fmt.Fprintln(w, line)
		return err
	}
	_, err := fmt.Fprintln(w, dataLine(m.Data))
	return err
}

// dataLine is data as text when it is printable UTF-8 on one line, else
// "base64:" and its base64.
func dataLine(data []byte) string {
	if printable(data) {
		return string(data)
	}
	return "base64:" + base64.StdEncoding.EncodeToString(data)
}

func printable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if r != ' ' && r != '\t' && !unicode.IsPrint(r) {
			return false
		}
	}
	return len(b) < 7 || string(b[:7]) != "base64:" // never mistaken for an encoded line
}
