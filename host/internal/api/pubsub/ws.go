package pubsub

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/host/wscork"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/pubsub"
)

// Subscribe is GET /v1/pubsub/ws?topic=T[&presence=true&member_id=M&
// member_meta=<json>]: a WebSocket that receives the topic's messages and
// presence events, and publishes what the client sends. Everything that
// can be refused is refused before the upgrade, as a JSON error: 400 for
// a missing topic, presence without member_id or a bad member_meta, 429
// at the namespace's socket cap, 503 while the plugin is down.
func (h *Handlers) Subscribe(w http.ResponseWriter, r *http.Request) error {
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	topic := q.Get("topic")
	if topic == "" {
		return api.Invalidf("topic is required")
	}
	if err := pubsub.CheckTopic(ns, topic); err != nil {
		return err
	}
	var member *pubsub.Member
	if p := q.Get("presence"); p != "" {
		on, err := strconv.ParseBool(p)
		if err != nil {
			return api.Invalidf("presence must be true or false, not %q", p)
		}
		if on {
			m := pubsub.Member{ID: q.Get("member_id")}
			if m.ID == "" {
				return api.Invalidf("member_id is required when presence=true")
			}
			if meta := q.Get("member_meta"); meta != "" {
				m.Meta = []byte(meta)
			}
			if err := pubsub.CheckJoin(ns, topic, m, h.hub.opts.PresenceTTL); err != nil {
				return err
			}
			member = &m
		}
	}
	if !api.IsWebSocketUpgrade(r) {
		return api.Invalidf("GET /v1/pubsub/ws expects a WebSocket upgrade")
	}
	if !originAllowed(r, h.hub.opts.OriginPatterns) {
		return sdk.Errorf(sdk.CodeForbidden, "origin %q is not allowed (server.cors_origins)", r.Header.Get("Origin"))
	}

	s := newSocket(h.hub.ctx, ns, topic, member, h.hub.opts.SendQueue)
	ctx, cancel := h.Context(r.Context())
	err = h.hub.attach(ctx, s)
	if err == nil && member != nil {
		err = h.hub.join(ctx, s)
	}
	cancel()
	if err != nil {
		s.abort()
		h.hub.release(s)
		return err
	}
	c, cc, err := wscork.Accept(w, r, api.AcceptOptions(h.hub.opts.OriginPatterns))
	if err != nil { // Accept has answered
		s.abort()
		h.hub.release(s)
		return nil
	}
	s.conn = cc
	h.hub.serve(c, s)
	h.hub.release(s)
	return nil
}

// originAllowed checks a browser's Origin before anything is joined, as
// websocket.Accept would after: no Origin (not a browser), the same host,
// or a match of one of patterns ("*" any; a pattern with "://" matches
// scheme://host, otherwise the host; path.Match syntax, case-insensitive).
func originAllowed(r *http.Request, patterns []string) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || slices.Contains(patterns, "*") {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if strings.EqualFold(r.Host, u.Host) {
		return true
	}
	for _, p := range patterns {
		target := u.Host
		if strings.Contains(p, "://") {
			target = u.Scheme + "://" + u.Host
		}
		if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(target)); ok {
			return true
		}
	}
	return false
}

// isPing recognises the client's keep-alive {"type":"ping"}, which is not
// published.
func isPing(data []byte) bool {
	if len(data) > 64 || !bytes.Contains(data, []byte("ping")) {
		return false
	}
	var v struct {
		Type string `json:"type"`
	}
	return json.Unmarshal(data, &v) == nil && v.Type == "ping"
}

func validUTF8(b []byte) bool { return utf8.Valid(b) }
