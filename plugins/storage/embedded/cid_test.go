package embedded

import (
	"bytes"
	"testing"
)

// TestCIDVectors checks the CIDs kubo v0.42.0 gave on this machine for
// the same bytes (BACKENDS.md); the full comparison against a running
// kubo is in package ipfs.
func TestCIDVectors(t *testing.T) {
	hello := []byte("hello world\n")
	threeMiB := bytes.Repeat([]byte("a"), 3<<20)
	cases := []struct {
		name    string
		data    []byte
		version int
		want    string
	}{
		{"hello v0", hello, 0, "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"},
		{"hello v1", hello, 1, "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"},
		{"3 MiB v0", threeMiB, 0, "Qmap3J76mEJhxk9Bh1C4cjuKv4gFTaJNYzADWW27R8YM4H"},
		{"3 MiB v1", threeMiB, 1, "bafybeia7amfj556thfgg3jhkvw23ipaoabdppqnt24knob7tyqhhtc6mcm"},
		{"empty v1", nil, 1, "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"},
	}
	stores := map[int]*Store{0: openStore(t, 0), 1: openStore(t, 1)}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := add(t, stores[tc.version], tc.data).String(); got != tc.want {
				t.Errorf("CID = %s, want %s", got, tc.want)
			}
		})
	}
}
