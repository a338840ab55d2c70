package storage_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
)

func TestCheckNamespace(t *testing.T) {
	for _, ns := range []string{"a", "A-z_0-9", strings.Repeat("n", 128), "-", "_"} {
		if err := storage.CheckNamespace(ns); err != nil {
			t.Errorf("CheckNamespace(%q) = %v, want nil", ns, err)
		}
	}
	for _, ns := range []string{"", strings.Repeat("n", 129), "a b", "a/b", "a.b", "é", "a\n", "a:b"} {
		if err := storage.CheckNamespace(ns); plugintest.Code(err) != sdk.CodeInvalid {
			t.Errorf("CheckNamespace(%q) = %v, want invalid", ns, err)
		}
	}
}

func TestCheckCID(t *testing.T) {
	for _, id := range []string{
		"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
		"bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
		"bafybeia7amfj556thfgg3jhkvw23ipaoabdppqnt24knob7tyqhhtc6mcm",
		"zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA", // a CIDv1 in base58btc
	} {
		if err := storage.CheckCID(id); err != nil {
			t.Errorf("CheckCID(%q) = %v, want nil", id, err)
		}
	}
	for _, id := range []string{"", "garbage", "Qm", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5", "bafy!", " QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"} {
		err := storage.CheckCID(id)
		var e *sdk.Error
		if !errors.As(err, &e) || e.Code != sdk.CodeInvalid || e.Message != "malformed CID" {
			t.Errorf("CheckCID(%q) = %v, want invalid \"malformed CID\"", id, err)
		}
	}
}

func TestCheckRange(t *testing.T) {
	cases := []struct{ size, offset, length, want int64 }{
		{10, 0, -1, 10},
		{10, 0, 0, 0},
		{10, 0, 3, 3},
		{10, 7, -1, 3},
		{10, 7, 100, 3},
		{10, 10, -1, 0},
		{10, 10, 5, 0},
		{0, 0, -1, 0},
	}
	for _, tc := range cases {
		got, err := storage.CheckRange(tc.size, tc.offset, tc.length)
		if err != nil || got != tc.want {
			t.Errorf("CheckRange(%d, %d, %d) = %d, %v; want %d", tc.size, tc.offset, tc.length, got, err, tc.want)
		}
	}
	for _, tc := range [][3]int64{{10, 11, -1}, {10, -1, 5}, {0, 1, 0}} {
		if _, err := storage.CheckRange(tc[0], tc[1], tc[2]); plugintest.Code(err) != sdk.CodeInvalid {
			t.Errorf("CheckRange(%d, %d, %d) = %v, want invalid", tc[0], tc[1], tc[2], err)
		}
	}
}
