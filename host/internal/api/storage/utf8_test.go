package storage_test

import "testing"

func TestInvalidUTF8StorageUpload(t *testing.T) {
	jsonCases := []struct{ name, body, msg string }{
		{"name", "{\"name\":\"\xff\xfe\",\"data\":\"aGk=\"}", `invalid UTF-8 in "name"`},
		{"late name", "{\"data\":\"aGk=\",\"name\":\"ok\xff\"}", `invalid UTF-8 in "name"`},
		{"field name", "{\"n\xffame\":\"x\",\"data\":\"aGk=\"}", `invalid UTF-8 in a field name`},
		{"skipped string", "{\"meta\":{\"a\":[\"\xe2\x82\"]},\"data\":\"aGk=\"}", `invalid UTF-8 in a string`},
		{"data", "{\"data\":\"aG\xffk=\"}", `data is not valid base64`},
	}
	for _, c := range jsonCases {
		t.Run(c.name, func(t *testing.T) {
			e := newStorageEnv(t, nil)
			e.wantRefused(t, e.raw(t, "POST", "/v1/storage/upload", []byte(c.body), "Content-Type", "application/json"), c.msg)
		})
	}
	t.Run("multipart filename", func(t *testing.T) {
		e := newStorageEnv(t, nil)
		e.wantRefused(t, e.upload(t, fileParts("a\xff\xfe.txt", []byte("x"))), `invalid UTF-8 in "filename"`)
	})
	t.Run("valid multi-byte names pass", func(t *testing.T) {
		e := newStorageEnv(t, nil)
		uploadOK(t, e.upload(t, fileParts("résumé 😀.txt", []byte("x"))), "résumé 😀.txt", 1)
		uploadOK(t, e.raw(t, "POST", "/v1/storage/upload", []byte(`{"name":"café","meta":"€€€","data":"aGk="}`), "Content-Type", "application/json"), "café", 2)
	})
}
