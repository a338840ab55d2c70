package service_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
	"github.com/orama-network/orama/sdk/storage"
)

// failingInsertDB fails the transaction that records a new version.
type failingInsertDB struct{ database.Database }

func (d failingInsertDB) Transaction(ctx context.Context, ns string, ops []database.Op, rr bool) ([]database.OpResult, error) {
	if len(ops) > 0 && strings.Contains(ops[0].SQL, "INSERT INTO fn_versions") {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "database down")
	}
	return d.Database.Transaction(ctx, ns, ops, rr)
}

// failingPutStorage fails every upload.
type failingPutStorage struct{ storage.Storage }

func (failingPutStorage) Put(context.Context, string, io.Reader, storage.PutOptions) (storage.PutResult, error) {
	return storage.PutResult{}, sdk.Errorf(sdk.CodeUnavailable, "storage down")
}

func TestDeployAllOrNothing(t *testing.T) {
	b := newBackends(t)
	echo := serverlesstest.Module(t, "echo")

	noStore := *b
	noStore.store = failingPutStorage{b.store}
	s := node(t, &noStore, t.TempDir(), nil)
	_, err := s.Deploy(t.Context(), def("ns", "f"), echo)
	plugintest.WantCode(t, err, "deploy with storage down", sdk.CodeUnavailable)
	_, err = s.Get(t.Context(), "ns", "f", 0)
	plugintest.WantCode(t, err, "Get after a failed deploy", sdk.CodeNotFound)

	noInsert := *b
	noInsert.db = failingInsertDB{b.db}
	s = node(t, &noInsert, t.TempDir(), nil)
	_, err = s.Deploy(t.Context(), def("ns", "f"), echo)
	plugintest.WantCode(t, err, "deploy with the insert failing", sdk.CodeUnavailable)
	if pins, err := b.store.Pins(t.Context(), "_system"); err != nil || len(pins) != 0 {
		t.Errorf("pins after a failed insert: %v, %v (want the code unpinned)", pins, err)
	}

	// A module still used by another version keeps its pin.
	s = node(t, b, t.TempDir(), nil)
	f, err := s.Deploy(t.Context(), def("ns", "g"), echo)
	if err != nil {
		t.Fatal(err)
	}
	s = node(t, &noInsert, t.TempDir(), nil)
	_, err = s.Deploy(t.Context(), def("ns", "f"), echo)
	plugintest.WantCode(t, err, "deploy of shared bytes with the insert failing", sdk.CodeUnavailable)
	if _, err := b.store.Status(t.Context(), "_system", f.WASMCID); err != nil {
		t.Errorf("the pin of a module g still runs was removed: %v", err)
	}
}

func TestDeleteUnpinsUnusedCode(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), nil)
	echo := serverlesstest.Module(t, "echo")
	f1, _ := s.Deploy(t.Context(), def("ns", "a"), echo)
	_, _ = s.Deploy(t.Context(), def("other", "b"), echo)
	f3, _ := s.Deploy(t.Context(), def("ns", "a"), serverlesstest.Module(t, "stderr"))
	if _, err := s.Delete(t.Context(), "ns", "a", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.Status(t.Context(), "_system", f1.WASMCID); err != nil {
		t.Errorf("the code other/b runs was unpinned: %v", err)
	}
	_, err := b.store.Status(t.Context(), "_system", f3.WASMCID)
	plugintest.WantCode(t, err, "the pin of code no version runs", sdk.CodeNotFound)
	invokeOK(t, s, "other", "b", 0, "still here")
}
