package cache_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/server"
	"github.com/orama-network/orama/host/internal/server/servertest"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
)

func TestCacheValueRoundTrip(t *testing.T) {
	e := servertest.New(t, nil)
	values := []struct{ name, in, want string }{
		{"string", `"hello"`, `"hello"`},
		{"big number", `12345678901234567`, `12345678901234567`},
		{"float", `1.5e3`, `1.5e3`},
		{"object", `{ "a" : [1, 2], "b": {"c": null} }`, `{"a":[1,2],"b":{"c":null}}`},
		{"array", `[1, "two", true, null]`, `[1,"two",true,null]`},
		{"null", `null`, `null`},
		{"bool", `false`, `false`},
	}
	for _, v := range values {
		t.Run(v.name, func(t *testing.T) {
			rec := e.Do(t, "POST", "/v1/cache/put", `{"dmap":"d","key":"`+v.name+`","value":`+v.in+`}`)
			if rec.Code != http.StatusOK {
				t.Fatalf("put: %d %s", rec.Code, rec.Body)
			}
			if got := rec.Body.String(); got != `{"status":"ok","key":"`+v.name+`","dmap":"d"}` {
				t.Errorf("put body %s", got)
			}
			stored, err := e.Cache.Get(t.Context(), "default", "d", v.name)
			if err != nil || string(stored.Value) != v.want {
				t.Errorf("stored %q (%v), want compacted %q", stored.Value, err, v.want)
			}

			rec = e.Do(t, "POST", "/v1/cache/get", `{"dmap":"d","key":"`+v.name+`"}`)
			if rec.Code != http.StatusOK {
				t.Fatalf("get: %d %s", rec.Code, rec.Body)
			}
			want := `{"key":"` + v.name + `","value":` + v.want + `,"dmap":"d"}`
			if got := rec.Body.String(); got != want {
				t.Errorf("get body %s, want %s", got, want)
			}
		})
	}
}

func TestCacheGetMissing(t *testing.T) {
	e := servertest.New(t, nil)
	apitest.WantError(t, e.Do(t, "POST", "/v1/cache/get", `{"dmap":"d","key":"nope"}`), 404, sdk.CodeNotFound, "key not found")
}

func TestCacheGetNonJSONValue(t *testing.T) {
	e := servertest.New(t, nil)
	// Bytes stored by something other than this API come back as a string.
	if err := e.Cache.Put(t.Context(), "default", "d", "raw", []byte("plain <text>"), 0); err != nil {
		t.Fatal(err)
	}
	rec := e.Do(t, "POST", "/v1/cache/get", `{"dmap":"d","key":"raw"}`)
	var got struct{ Value string }
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.Value != "plain <text>" {
		t.Fatalf("%d %s (%v)", rec.Code, rec.Body, err)
	}
}

func TestCacheMissingFields(t *testing.T) {
	e := servertest.New(t, nil)
	cases := []struct{ path, body, msg string }{
		{"/v1/cache/get", `{"key":"k"}`, "dmap is required"},
		{"/v1/cache/get", `{"dmap":"d"}`, "key is required"},
		{"/v1/cache/get", `{}`, "dmap is required"},
		{"/v1/cache/put", `{"dmap":"d","value":1}`, "key is required"},
		{"/v1/cache/put", `{"key":"k","value":1}`, "dmap is required"},
		{"/v1/cache/put", `{"dmap":"d","key":"k"}`, "value is required"},
		{"/v1/cache/delete", `{"dmap":"d"}`, "key is required"},
		{"/v1/cache/delete", `{"key":"k"}`, "dmap is required"},
		{"/v1/cache/mget", `{"keys":["a"]}`, "dmap is required"},
		{"/v1/cache/mget", `{"dmap":"d"}`, "keys is required"},
		{"/v1/cache/mget", `{"dmap":"d","keys":["a",""]}`, "key is required"},
		{"/v1/cache/scan", `{}`, "dmap is required"},
		{"/v1/cache/get", `{"dmap":"d","key":"` + strings.Repeat("k", 300) + `"}`, "key longer than"},
	}
	for _, c := range cases {
		t.Run(c.path+" "+c.body[:min(len(c.body), 30)], func(t *testing.T) {
			apitest.WantError(t, e.Do(t, "POST", c.path, c.body), 400, sdk.CodeInvalid, c.msg)
		})
	}
}

func TestCacheBadJSON(t *testing.T) {
	e := servertest.New(t, nil)
	cases := []struct{ name, body, msg string }{
		{"empty", "", "invalid JSON body: empty body"},
		{"syntax", `{"dmap":`, "invalid JSON body"},
		{"not an object", `[1]`, "invalid JSON body"},
		{"wrong type", `{"dmap":1,"key":"k"}`, `invalid JSON body: field "dmap" must be a string, not number`},
		{"trailing garbage", `{"dmap":"d","key":"k"} x`, "unexpected data after the JSON value"},
		{"two values", `{"dmap":"d","key":"k"}{}`, "unexpected data after the JSON value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			apitest.WantError(t, e.Do(t, "POST", "/v1/cache/get", c.body), 400, sdk.CodeInvalid, c.msg)
		})
	}
	// Trailing whitespace is fine.
	e.Do(t, "POST", "/v1/cache/put", `{"dmap":"d","key":"k","value":1}`)
	if rec := e.Do(t, "POST", "/v1/cache/get", "{\"dmap\":\"d\",\"key\":\"k\"} \n\t"); rec.Code != 200 {
		t.Errorf("trailing whitespace: %d %s", rec.Code, rec.Body)
	}
}

func TestCachePutTTL(t *testing.T) {
	e := servertest.New(t, nil)
	for _, bad := range []string{`"soon"`, `"10"`, `"-5s"`, `90`} {
		rec := e.Do(t, "POST", "/v1/cache/put", `{"dmap":"d","key":"k","value":1,"ttl":`+bad+`}`)
		apitest.WantError(t, rec, 400, sdk.CodeInvalid, "")
		if bad != "90" && !strings.Contains(apitest.JSONBody(t, rec)["error"].(string), "ttl") {
			t.Errorf("ttl %s: %s", bad, rec.Body)
		}
	}
	rec := e.Do(t, "POST", "/v1/cache/put", `{"dmap":"d","key":"k","value":1,"ttl":"90s"}`)
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	got, err := e.Cache.Get(t.Context(), "default", "d", "k")
	if err != nil {
		t.Fatal(err)
	}
	if left := time.Until(got.ExpiresAt); left < 80*time.Second || left > 90*time.Second {
		t.Errorf("expires in %v, want about 90s", left)
	}
	// "0s" and no ttl mean no expiry.
	for _, body := range []string{`{"dmap":"d","key":"z","value":1,"ttl":"0s"}`, `{"dmap":"d","key":"n","value":1}`} {
		if rec := e.Do(t, "POST", "/v1/cache/put", body); rec.Code != 200 {
			t.Fatalf("%s: %d %s", body, rec.Code, rec.Body)
		}
	}
	if got, _ := e.Cache.Get(t.Context(), "default", "d", "z"); !got.ExpiresAt.IsZero() {
		t.Errorf("ttl 0s expires at %v", got.ExpiresAt)
	}
}

func TestCacheMGet(t *testing.T) {
	e := servertest.New(t, nil)
	e.Do(t, "POST", "/v1/cache/put", `{"dmap":"d","key":"a","value":{"x":1}}`)
	e.Do(t, "POST", "/v1/cache/put", `{"dmap":"d","key":"c","value":"see"}`)
	rec := e.Do(t, "POST", "/v1/cache/mget", `{"dmap":"d","keys":["a","b","c"]}`)
	want := `{"results":[{"key":"a","value":{"x":1}},{"key":"c","value":"see"}],"dmap":"d"}`
	if rec.Code != 200 || rec.Body.String() != want {
		t.Fatalf("%d %s, want %s", rec.Code, rec.Body, want)
	}
	rec = e.Do(t, "POST", "/v1/cache/mget", `{"dmap":"d","keys":["nope"]}`)
	if want := `{"results":[],"dmap":"d"}`; rec.Body.String() != want {
		t.Errorf("no hits: %s, want %s", rec.Body, want)
	}
}

func TestCacheDelete(t *testing.T) {
	e := servertest.New(t, nil)
	e.Do(t, "POST", "/v1/cache/put", `{"dmap":"d","key":"k","value":1}`)
	rec := e.Do(t, "POST", "/v1/cache/delete", `{"dmap":"d","key":"k"}`)
	if want := `{"status":"ok","key":"k","dmap":"d"}`; rec.Code != 200 || rec.Body.String() != want {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	apitest.WantError(t, e.Do(t, "POST", "/v1/cache/delete", `{"dmap":"d","key":"k"}`), 404, sdk.CodeNotFound, "key not found")
	apitest.WantError(t, e.Do(t, "POST", "/v1/cache/get", `{"dmap":"d","key":"k"}`), 404, sdk.CodeNotFound, "key not found")
}

func TestCacheScan(t *testing.T) {
	e := servertest.New(t, nil)
	rec := e.Do(t, "POST", "/v1/cache/scan", `{"dmap":"d"}`)
	if want := `{"keys":[],"count":0,"dmap":"d"}`; rec.Code != 200 || rec.Body.String() != want {
		t.Fatalf("empty scan: %d %s, want %s", rec.Code, rec.Body, want)
	}
	for _, k := range []string{"user:1", "user:2", "order:1"} {
		e.Do(t, "POST", "/v1/cache/put", `{"dmap":"d","key":"`+k+`","value":true}`)
	}
	cases := []struct{ body, want string }{
		{`{"dmap":"d"}`, `{"keys":["order:1","user:1","user:2"],"count":3,"dmap":"d"}`},
		{`{"dmap":"d","match":"^user:"}`, `{"keys":["user:1","user:2"],"count":2,"dmap":"d"}`},
		{`{"dmap":"d","pattern":"^order"}`, `{"keys":["order:1"],"count":1,"dmap":"d"}`},
		{`{"dmap":"other","match":"^user:"}`, `{"keys":[],"count":0,"dmap":"other"}`},
	}
	for _, c := range cases {
		rec := e.Do(t, "POST", "/v1/cache/scan", c.body)
		if rec.Code != 200 || rec.Body.String() != c.want {
			t.Errorf("%s: %d %s, want %s", c.body, rec.Code, rec.Body, c.want)
		}
	}
	apitest.WantError(t, e.Do(t, "POST", "/v1/cache/scan", `{"dmap":"d","match":"("}`), 400, sdk.CodeInvalid, "match")
}

func TestCacheUnavailable(t *testing.T) {
	e := servertest.New(t, nil)
	e.Plugins.CacheDown = true
	for _, path := range []string{"get", "mget", "put", "delete", "scan"} {
		body := `{"dmap":"d","key":"k","keys":["k"],"value":1}`
		rec := e.Do(t, "POST", "/v1/cache/"+path, body)
		apitest.WantError(t, rec, 503, sdk.CodeUnavailable, "restarting")
		if ra := rec.Header().Get("Retry-After"); ra != "1" {
			t.Errorf("%s: Retry-After %q", path, ra)
		}
	}
	rec := e.Do(t, "GET", "/v1/cache/health", "")
	apitest.WantError(t, rec, 503, sdk.CodeUnavailable, "")
	if rec.Header().Get("Retry-After") != "1" {
		t.Error("health: no Retry-After")
	}
}

func TestCacheTimeoutIsUnavailable(t *testing.T) {
	e := servertest.New(t, func(o *server.Options) { o.RequestTimeout = 20 * time.Millisecond })
	e.Cache.SetGate(make(chan struct{})) // never opens
	e.Do(t, "POST", "/v1/cache/put", `{"dmap":"d","key":"k","value":1}`)
	apitest.WantError(t, e.Do(t, "POST", "/v1/cache/get", `{"dmap":"d","key":"k"}`), 503, sdk.CodeUnavailable, "deadline")
}

func TestCacheHealth(t *testing.T) {
	e := servertest.New(t, nil)
	rec := e.Do(t, "GET", "/v1/cache/health", "")
	if want := `{"status":"ok","service":"memory"}`; rec.Code != 200 || rec.Body.String() != want {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	e.Cache.SetHealth(plugin.Health{OK: false, Driver: "olric", Detail: "no quorum"})
	apitest.WantError(t, e.Do(t, "GET", "/v1/cache/health", ""), 503, sdk.CodeUnavailable, "no quorum")
}

func TestCacheValueTooLarge(t *testing.T) {
	e := servertest.New(t, func(o *server.Options) { o.MaxBodyBytes = 4 << 20 })
	big := `"` + strings.Repeat("x", 1<<20) + `"`
	apitest.WantError(t, e.Do(t, "POST", "/v1/cache/put", `{"dmap":"d","key":"k","value":`+big+`}`), 413, sdk.CodeTooLarge, "value larger")
}
