package api

import (
	"net/url"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
)

func TestCheckJSONUTF8NamesTheField(t *testing.T) {
	cases := []struct{ body, want string }{
		{`{"dmap":"d","key":"k","value":1}`, ""},
		{"{\"name\":\"\xff\xfe\"}", `invalid UTF-8 in "name"`},
		{"{\"dmap\":\"d\",\"key\":\"a\xffb\"}", `invalid UTF-8 in "key"`},
		{"{\"sql\":\"select ?\",\"args\":[1,\"ok\",\"\xc3\"]}", `invalid UTF-8 in "args[2]"`},
		{"{\"table\":\"t\",\"criteria\":{\"a\":1,\"b\xff\":2}}", `invalid UTF-8 in a field name of "criteria"`},
		{"{\"table\":\"t\",\"criteria\":{\"a\":\"\xff\"}}", `invalid UTF-8 in "criteria.a"`},
		{"{\"statements\":[{\"sql\":\"x\"},{\"sql\":\"\xed\xa0\x80\"}]}", `invalid UTF-8 in "statements[1].sql"`},
		{"{\"\xff\":1}", `invalid UTF-8 in a field name`},
		{"{\"a\":[[1],{\"b\":[true]}],\"c\":\"\xff\"}", `invalid UTF-8 in "c"`},
		{"\xff", `invalid UTF-8 in the JSON body`},
	}
	for _, c := range cases {
		err := CheckJSONUTF8([]byte(c.body))
		if c.want == "" {
			if err != nil {
				t.Errorf("%q: %v", c.body, err)
			}
			continue
		}
		se, ok := err.(*sdk.Error)
		if !ok || se.Code != sdk.CodeInvalid || se.Message != c.want {
			t.Errorf("%q: got %v, want invalid %q", c.body, err, c.want)
		}
	}
}

func TestCheckURLUTF8(t *testing.T) {
	cases := []struct{ raw, want string }{
		{"/v1/storage/get/abc?x=1", ""},
		{"/v1/storage/get/%C3%A9?namespace=%C3%A9", ""},
		{"/v1/storage/get/%FF", `invalid UTF-8 in "path"`},
		{"/v1/rqlite/schema?namespace=%FF%FE", `invalid UTF-8 in "namespace"`},
		{"/x?%FF=1", `invalid UTF-8 in a query parameter name`},
		{"/x?bad=%zz&ok=1", ""}, // not a parameter net/url gives handlers
	}
	for _, c := range cases {
		u, err := url.ParseRequestURI(c.raw)
		if err != nil {
			t.Fatal(err)
		}
		err = CheckURLUTF8(u)
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", c.raw, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.raw, err, c.want)
		}
	}
}

func TestCheckUTF8(t *testing.T) {
	if err := CheckUTF8("filename", "résumé.pdf"); err != nil {
		t.Fatal(err)
	}
	err := CheckUTF8("filename", "a\xffb")
	if se, ok := err.(*sdk.Error); !ok || se.Code != sdk.CodeInvalid || se.Message != `invalid UTF-8 in "filename"` {
		t.Fatalf("got %v", err)
	}
}
