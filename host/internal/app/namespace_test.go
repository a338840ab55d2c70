package app

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

// fakeMembers is the membership part of auth.Auth; it records the actor
// of every call (the CLI must act as an operator: "").
type fakeMembers struct {
	auth.Auth
	actors  []string
	members map[string]auth.Member
}

func (f *fakeMembers) AddMember(_ context.Context, actor, ns, wallet, role string) (auth.Member, error) {
	f.actors = append(f.actors, actor)
	m := auth.Member{Wallet: wallet, Role: role, Added: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	f.members[wallet] = m
	return m, nil
}

func (f *fakeMembers) RemoveMember(_ context.Context, actor, ns, wallet string) error {
	f.actors = append(f.actors, actor)
	if _, ok := f.members[wallet]; !ok {
		return sdk.Errorf(sdk.CodeNotFound, "wallet %s is not a member of namespace %q", wallet, ns)
	}
	delete(f.members, wallet)
	return nil
}

func (f *fakeMembers) Members(_ context.Context, actor, ns string) (auth.Membership, error) {
	f.actors = append(f.actors, actor)
	out := auth.Membership{Namespace: ns, OperatorOwned: true, Created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, m := range f.members {
		out.Members = append(out.Members, m)
	}
	return out, nil
}

func TestNamespaceCommand(t *testing.T) {
	f := &fakeMembers{members: map[string]auth.Member{}}
	run := func(args ...string) (string, error) {
		t.Helper()
		o, code := parseNamespaceFlags(args, &bytes.Buffer{}, &bytes.Buffer{})
		if code != -1 {
			t.Fatalf("%v: flags refused (%d)", args, code)
		}
		var out bytes.Buffer
		err := runNamespace(t.Context(), f, o, 5*time.Second, &out)
		return out.String(), err
	}
	out, err := run("add-wallet", "-namespace", "team", "-wallet", "0xabc", "-role", "owner")
	if err != nil || !strings.Contains(out, "0xabc") || !strings.Contains(out, "owner") {
		t.Errorf("add-wallet: %q, %v", out, err)
	}
	out, err = run("list", "-namespace", "team", "-json")
	var list struct {
		OperatorOwned bool `json:"operator_owned"`
		Count         int  `json:"count"`
	}
	if err != nil || json.Unmarshal([]byte(out), &list) != nil || !list.OperatorOwned || list.Count != 1 {
		t.Errorf("list -json: %q, %v", out, err)
	}
	if out, err = run("list", "-namespace", "team"); err != nil || !strings.Contains(out, "an operator") || !strings.Contains(out, "0xabc") {
		t.Errorf("list: %q, %v", out, err)
	}
	if _, err = run("remove-wallet", "-namespace", "team", "-wallet", "0xabc"); err != nil {
		t.Errorf("remove-wallet: %v", err)
	}
	if _, err = run("remove-wallet", "-namespace", "team", "-wallet", "0xabc"); err == nil {
		t.Error("remove-wallet of a non-member succeeded")
	}
	for _, a := range f.actors {
		if a != "" {
			t.Errorf("the CLI acted as %q, want the operator (\"\")", a)
		}
	}
}

func TestNamespaceFlags(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"add-wallet", "-namespace", "team"}, // no wallet
		{"add-wallet", "-wallet", "0xabc"},   // no namespace
		{"add-wallet", "-namespace", "_SYSTEM", "-wallet", "0xabc"},            // reserved
		{"add-wallet", "-namespace", "team", "-wallet", "0xa", "-role", "god"}, // bad role
		{"list", "-namespace", "team", "extra"},
	} {
		var stderr bytes.Buffer
		if _, code := parseNamespaceFlags(args, &bytes.Buffer{}, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		} else if stderr.Len() == 0 {
			t.Errorf("%v: no message", args)
		}
	}
}
