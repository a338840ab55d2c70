package pubsubtest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/pubsub"
)

// testNamespaceIsolation: two namespaces using the same topic names see
// none of each other's messages, events, topics or members.
func testNamespaceIsolation(t *testing.T, ps pubsub.PubSub) {
	nsA, nsB := plugintest.Unique("ns-a"), plugintest.Unique("ns-b")
	const shared = "chat"
	subA, subB := subscribe(t, ps, nsA, shared), subscribe(t, ps, nsB, shared)
	subscribe(t, ps, nsA, "only-a")
	join(t, ps, nsB, "only-b", "bob", "", time.Minute)

	publish(t, ps, nsA, shared, "from a")
	join(t, ps, nsA, shared, "ann", `{"ns":"a"}`, time.Minute)
	publish(t, ps, nsB, shared, "from b")
	wantData(t, subA, shared, "from a", "namespace a")
	wantEvent(t, subA, shared, pubsub.EventJoin, "ann", "namespace a")
	wantData(t, subB, shared, "from b", "namespace b: a's message and join event must not arrive")
	settled(t, ps, nsA, shared, "namespace a", subA)
	settled(t, ps, nsB, shared, "namespace b", subB)

	for ns, want := range map[string][]string{nsA: {"chat", "only-a"}, nsB: {"chat", "only-b"}} {
		got, err := ps.Topics(t.Context(), ns)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("Topics(%s) = %q, %v; want %q", ns, got, err, want)
		}
	}
	if got := ids(members(t, ps, nsA, shared)); !slices.Equal(got, []string{"ann"}) {
		t.Errorf("Members(a, chat) = %q, want [ann]", got)
	}
	if got := ids(members(t, ps, nsB, shared)); len(got) != 0 {
		t.Errorf("Members(b, chat) = %q, want none", got)
	}
	if got := ids(members(t, ps, nsA, "only-b")); len(got) != 0 {
		t.Errorf("Members(a, only-b) = %q, want none", got)
	}
	// Leaving in b does not touch a's member of the same name.
	if err := ps.Leave(t.Context(), nsB, shared, "ann"); err != nil {
		t.Fatalf("Leave in b: %v", err)
	}
	if got := ids(members(t, ps, nsA, shared)); !slices.Equal(got, []string{"ann"}) {
		t.Errorf("Members(a, chat) after a Leave in b = %q, want [ann]", got)
	}
	settled(t, ps, nsA, shared, "namespace a after a Leave in b", subA)
}

// testTopics: a topic is listed while it has a subscription or a member,
// sorted, and no longer once it has neither.
func testTopics(t *testing.T, ps pubsub.PubSub) {
	ns := plugintest.Unique("ns")
	if got, err := ps.Topics(t.Context(), ns); err != nil || len(got) != 0 {
		t.Fatalf("Topics of a new namespace = %q, %v; want none", got, err)
	}
	sub, err := ps.Subscribe(t.Context(), ns, "zeta")
	if err != nil {
		t.Fatal(err)
	}
	join(t, ps, ns, "alpha", "m1", "", time.Minute)
	publish(t, ps, ns, "published-only", "nobody listens")
	if got, err := ps.Topics(t.Context(), ns); err != nil || !slices.Equal(got, []string{"alpha", "zeta"}) {
		t.Errorf("Topics = %q, %v; want [alpha zeta]", got, err)
	}
	_ = sub.Close()
	if err := ps.Leave(t.Context(), ns, "alpha", "m1"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "Topics after the last subscription closed and the last member left", func() error {
		got, err := ps.Topics(t.Context(), ns)
		if err != nil || len(got) != 0 {
			return fmt.Errorf("Topics = %q, %v; want none", got, err)
		}
		return nil
	})
}
