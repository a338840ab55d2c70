package ipfs

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"testing"

	"github.com/orama-network/orama/plugins/storage/internal/gen"
	"github.com/orama-network/orama/plugins/storage/internal/kubotest"
	"github.com/orama-network/orama/sdk/storage"
)

const benchSize = 1 << 20

// benchPayloads returns 1 MiB payloads that differ in every 256 KiB
// chunk from one iteration to the next, so no import is deduplicated.
func benchPayloads() func(i int) []byte {
	buf := gen.Bytes(42, benchSize)
	return func(i int) []byte {
		for off := 0; off < benchSize; off += 262144 {
			binary.LittleEndian.PutUint64(buf[off:], uint64(i))
		}
		return buf
	}
}

func benchPut(b *testing.B, s *Store) {
	payload := benchPayloads()
	b.SetBytes(benchSize)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := s.Put(b.Context(), "bench", bytes.NewReader(payload(i)), storage.PutOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchGet(b *testing.B, s *Store) {
	res, err := s.Put(b.Context(), "bench", bytes.NewReader(benchPayloads()(0)), storage.PutOptions{Pin: true})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		rc, _, err := s.Get(b.Context(), "bench", res.CID, 0, -1)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := io.Copy(io.Discard, rc); err != nil || n != benchSize {
			b.Fatalf("read %d bytes, %v", n, err)
		}
		_ = rc.Close()
	}
}

// BenchmarkEmbeddedPut imports 1 MiB through the Store and the embedded
// driver (flatfs, fsynced).
func BenchmarkEmbeddedPut(b *testing.B) {
	benchPut(b, startStore(b, map[string]any{"gc_interval": "0"}))
}

// BenchmarkEmbeddedGet reads 1 MiB back.
func BenchmarkEmbeddedGet(b *testing.B) {
	benchGet(b, startStore(b, map[string]any{"gc_interval": "0"}))
}

// BenchmarkKuboRPCPut imports 1 MiB through the Store and the kubo
// driver (client/rpc) into a real offline kubo.
func BenchmarkKuboRPCPut(b *testing.B) {
	s, _ := startKuboStore(b, nil)
	benchPut(b, s)
}

// BenchmarkKuboRPCGet reads 1 MiB back through the kubo driver.
func BenchmarkKuboRPCGet(b *testing.B) {
	s, _ := startKuboStore(b, nil)
	benchGet(b, s)
}

// BenchmarkKuboHTTPDirect is the floor for the kubo driver: the same
// add and cat with plain net/http (multipart to /api/v0/add, then
// /api/v0/cat), no driver and no client/rpc.
func BenchmarkKuboHTTPDirect(b *testing.B) {
	k := kubotest.Start(b)
	hc := &http.Client{}
	payload := benchPayloads()
	b.Run("Put", func(b *testing.B) {
		b.SetBytes(benchSize)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			if _, err := directAdd(hc, k.URL, payload(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Get", func(b *testing.B) {
		cid, err := directAdd(hc, k.URL, payload(0))
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(benchSize)
		b.ReportAllocs()
		for b.Loop() {
			resp, err := hc.Post(k.URL+"/api/v0/cat?arg="+url.QueryEscape(cid), "", nil)
			if err != nil {
				b.Fatal(err)
			}
			n, err := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err != nil || n != benchSize || resp.StatusCode != http.StatusOK {
				b.Fatalf("cat: %s, %d bytes, %v", resp.Status, n, err)
			}
		}
	})
}

// directAdd streams data as a multipart upload to kubo's add (kubo's
// defaults, pin=false) and returns the CID.
func directAdd(hc *http.Client, base string, data []byte) (string, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		part, err := mw.CreateFormFile("file", "bench")
		if err == nil {
			_, err = part.Write(data)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	resp, err := hc.Post(base+"/api/v0/add?pin=false&progress=false", mw.FormDataContentType(), pr)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct{ Hash string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("add: %s, %v", resp.Status, err)
	}
	return out.Hash, nil
}
