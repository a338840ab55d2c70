package server

import (
	"testing"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/sdk"
)

// Each route family refuses invalid UTF-8 with 400 naming the field, and
// nothing reaches the plugin.
func TestInvalidUTF8Refused(t *testing.T) {
	cases := []struct{ path, body, msg string }{
		{"/v1/cache/put", "{\"dmap\":\"\xff\",\"key\":\"k\",\"value\":1}", `invalid UTF-8 in "dmap"`},
		{"/v1/cache/put", "{\"dmap\":\"d\",\"key\":\"\xfe\",\"value\":1}", `invalid UTF-8 in "key"`},
		{"/v1/cache/put", "{\"dmap\":\"d\",\"key\":\"k\",\"value\":\"\xff\"}", `invalid UTF-8 in "value"`},
		{"/v1/cache/get", "{\"dmap\":\"d\",\"key\":\"\xfe\xff\"}", `invalid UTF-8 in "key"`},
		{"/v1/cache/mget", "{\"dmap\":\"d\",\"keys\":[\"a\",\"\xff\"]}", `invalid UTF-8 in "keys[1]"`},
		{"/v1/cache/scan", "{\"dmap\":\"d\",\"match\":\"\xff*\"}", `invalid UTF-8 in "match"`},
		{"/v1/cache/delete", "{\"dmap\":\"d\",\"key\":\"\xc0\xaf\"}", `invalid UTF-8 in "key"`},
		{"/v1/rqlite/query", "{\"sql\":\"SELECT '\xff'\"}", `invalid UTF-8 in "sql"`},
		{"/v1/rqlite/exec", "{\"sql\":\"INSERT INTO t VALUES (?)\",\"args\":[\"\xff\xfe\"]}", `invalid UTF-8 in "args[0]"`},
		{"/v1/rqlite/find", "{\"table\":\"t\",\"criteria\":{\"n\xff\":1}}", `invalid UTF-8 in a field name of "criteria"`},
		{"/v1/rqlite/find-one", "{\"table\":\"t\",\"criteria\":{\"n\":\"\xff\"}}", `invalid UTF-8 in "criteria.n"`},
		{"/v1/rqlite/create-table", "{\"schema\":\"CREATE TABLE \xff (x)\"}", `invalid UTF-8 in "schema"`},
		{"/v1/rqlite/drop-table", "{\"table\":\"\xff\"}", `invalid UTF-8 in "table"`},
		{"/v1/rqlite/transaction", "{\"ops\":[{\"kind\":\"exec\",\"sql\":\"x\",\"args\":[\"\xff\"]}]}", `invalid UTF-8 in "ops[0].args[0]"`},
		{"/v1/storage/pin", "{\"cid\":\"bafy\",\"name\":\"\xff\xfe\"}", `invalid UTF-8 in "name"`},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			e := newTestEnv(t, nil)
			apitest.WantError(t, e.do(t, "POST", c.path, c.body), 400, sdk.CodeInvalid, c.msg)
			if calls := e.db.CallsMade(); len(calls) != 0 {
				t.Errorf("database called: %+v", calls)
			}
		})
	}
}
