package pubsubtest

import (
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/pubsub"
)

// badNames are namespaces and topics every call refuses as invalid.
var badNames = map[string]string{
	"empty":         "",
	"too long":      strings.Repeat("n", pubsub.MaxNameLen+1),
	"invalid UTF-8": "bad\xffname",
}

func testInvalidNames(t *testing.T, ps pubsub.PubSub) {
	ctx := t.Context()
	ns, topic := plugintest.Unique("ns"), plugintest.Unique("topic")
	m := pubsub.Member{ID: "m"}
	for what, bad := range badNames {
		plugintest.WantCode(t, ps.Publish(ctx, bad, topic, nil), "Publish with a namespace "+what, sdk.CodeInvalid)
		plugintest.WantCode(t, ps.Publish(ctx, ns, bad, nil), "Publish with a topic "+what, sdk.CodeInvalid)
		sub, err := ps.Subscribe(ctx, ns, bad)
		if sub != nil {
			_ = sub.Close()
		}
		plugintest.WantCode(t, err, "Subscribe with a topic "+what, sdk.CodeInvalid)
		_, err = ps.Subscribe(ctx, bad, topic)
		plugintest.WantCode(t, err, "Subscribe with a namespace "+what, sdk.CodeInvalid)
		_, err = ps.Topics(ctx, bad)
		plugintest.WantCode(t, err, "Topics with a namespace "+what, sdk.CodeInvalid)
		plugintest.WantCode(t, ps.Join(ctx, ns, bad, m, time.Minute), "Join with a topic "+what, sdk.CodeInvalid)
		plugintest.WantCode(t, ps.Join(ctx, bad, topic, m, time.Minute), "Join with a namespace "+what, sdk.CodeInvalid)
		plugintest.WantCode(t, ps.Leave(ctx, ns, bad, "m"), "Leave with a topic "+what, sdk.CodeInvalid)
		_, err = ps.Members(ctx, ns, bad)
		plugintest.WantCode(t, err, "Members with a topic "+what, sdk.CodeInvalid)
		_, err = ps.Members(ctx, bad, topic)
		plugintest.WantCode(t, err, "Members with a namespace "+what, sdk.CodeInvalid)
	}
	// The longest allowed names work.
	long := strings.Repeat("t", pubsub.MaxNameLen)
	sub := subscribe(t, ps, ns, long)
	publish(t, ps, ns, long, "long topic")
	wantData(t, sub, long, "long topic", "a topic of the longest allowed name")
}

func testDataSize(t *testing.T, ps pubsub.PubSub) {
	ns, topic := plugintest.Unique("ns"), plugintest.Unique("topic")
	sub := subscribe(t, ps, ns, topic)
	err := ps.Publish(t.Context(), ns, topic, make([]byte, pubsub.MaxDataLen+1))
	plugintest.WantCode(t, err, "Publish of MaxDataLen+1 bytes", sdk.CodeTooLarge)
	settled(t, ps, ns, topic, "a refused message is not delivered", sub)
}

func testInvalidJoin(t *testing.T, ps pubsub.PubSub) {
	ctx := t.Context()
	ns, topic := plugintest.Unique("ns"), plugintest.Unique("topic")
	sub := subscribe(t, ps, ns, topic)
	cases := []struct {
		what string
		m    pubsub.Member
		ttl  time.Duration
	}{
		{"an empty member id", pubsub.Member{}, time.Minute},
		{"a member id too long", pubsub.Member{ID: strings.Repeat("m", pubsub.MaxMemberIDLen+1)}, time.Minute},
		{"a member id not UTF-8", pubsub.Member{ID: "m\xff"}, time.Minute},
		{"meta that is not JSON", pubsub.Member{ID: "m", Meta: []byte(`{"name":`)}, time.Minute},
		{"meta too long", pubsub.Member{ID: "m", Meta: []byte(`"` + strings.Repeat("x", pubsub.MaxMetaLen) + `"`)}, time.Minute},
		{"no ttl", pubsub.Member{ID: "m"}, 0},
		{"a negative ttl", pubsub.Member{ID: "m"}, -time.Minute},
		{"a ttl under MinTTL", pubsub.Member{ID: "m"}, pubsub.MinTTL - 10*time.Millisecond},
		{"a ttl over MaxTTL", pubsub.Member{ID: "m"}, pubsub.MaxTTL + time.Second},
	}
	for _, c := range cases {
		plugintest.WantCode(t, ps.Join(ctx, ns, topic, c.m, c.ttl), "Join with "+c.what, sdk.CodeInvalid)
	}
	for what, id := range map[string]string{"empty": "", "too long": strings.Repeat("m", pubsub.MaxMemberIDLen+1), "not UTF-8": "m\xff"} {
		plugintest.WantCode(t, ps.Leave(ctx, ns, topic, id), "Leave with a member id "+what, sdk.CodeInvalid)
	}
	settled(t, ps, ns, topic, "refused joins send no event", sub)
	if ms := members(t, ps, ns, topic); len(ms) != 0 {
		t.Errorf("Members after refused joins = %+v, want none", ms)
	}

	// The bounds themselves are allowed.
	long := strings.Repeat("m", pubsub.MaxMemberIDLen)
	join(t, ps, ns, topic, long, `"`+strings.Repeat("x", pubsub.MaxMetaLen-2)+`"`, pubsub.MaxTTL)
	wantEvent(t, sub, topic, pubsub.EventJoin, long, "join at the limits")
	join(t, ps, ns, topic, "min-ttl", "", pubsub.MinTTL)
	wantEvent(t, sub, topic, pubsub.EventJoin, "min-ttl", "join with MinTTL")
}
