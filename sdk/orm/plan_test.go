package orm

import (
	"database/sql"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
)

type planBase struct {
	ID      int64     `db:"id,pk,auto"`
	Created time.Time `db:"created"`
}

type planUser struct {
	planBase
	Name     string `db:"name"`
	Nick     string // untagged: column "nick"
	Secret   string `db:"-"`
	internal int
	Email    sql.NullString `db:"email"`
}

func TestPlanIsBuiltOnceAndShared(t *testing.T) {
	typ := reflect.TypeFor[planUser]()
	p1 := planOf(typ)
	p2 := planOf(typ)
	if p1 != p2 {
		t.Fatalf("planOf returned two plans (%p, %p) for one type", p1, p2)
	}
	var rows []planUser
	if err := ScanRows([]map[string]any{{"name": "a"}}, &rows); err != nil {
		t.Fatal(err)
	}
	if p3 := planOf(typ); p3 != p1 {
		t.Errorf("scanning replaced the cached plan")
	}
}

func TestPlanConcurrentUse(t *testing.T) {
	type fresh struct { // a type no other test has planned
		A int64  `db:"a"`
		B string `db:"b"`
	}
	typ := reflect.TypeFor[fresh]()
	rows := []map[string]any{{"a": int64(1), "b": "x"}, {"a": int64(2), "b": "y"}}
	const n = 16
	plansSeen := make([]*plan, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			plansSeen[i] = planOf(typ)
			var out []fresh
			if err := ScanRows(rows, &out); err != nil {
				t.Error(err)
				return
			}
			if len(out) != 2 || out[1].A != 2 || out[1].B != "y" {
				t.Errorf("scanned %+v", out)
			}
		})
	}
	wg.Wait()
	for i, p := range plansSeen {
		if p != plansSeen[0] {
			t.Fatalf("goroutine %d got another plan than goroutine 0", i)
		}
	}
}

func TestPlanColumns(t *testing.T) {
	p := planOf(reflect.TypeFor[planUser]())
	if p.err != nil {
		t.Fatal(p.err)
	}
	var cols []string
	for _, f := range p.fields {
		cols = append(cols, f.column)
	}
	if want := []string{"id", "created", "name", "nick", "email"}; !reflect.DeepEqual(cols, want) {
		t.Errorf("columns %q, want %q", cols, want)
	}
	if len(p.pks) != 1 || p.pks[0].column != "id" || !p.pks[0].auto {
		t.Errorf("pks %+v, want the auto id", p.pks)
	}
	if f := p.byCol["id"]; !reflect.DeepEqual(f.index, []int{0, 0}) || f.name != "planUser.planBase.ID" {
		t.Errorf("id: index %v name %s", f.index, f.name)
	}
}

func TestPlanShallowerFieldWins(t *testing.T) {
	type inner struct {
		Name string `db:"name"`
		Age  int    `db:"age"`
	}
	type outer struct {
		inner
		Name string `db:"name"`
	}
	var v outer
	if err := ScanRow(map[string]any{"name": "outer", "age": int64(3)}, &v); err != nil {
		t.Fatal(err)
	}
	if v.Name != "outer" || v.inner.Name != "" || v.Age != 3 {
		t.Errorf("scanned %+v", v)
	}
}

func TestPlanRefusals(t *testing.T) {
	type twoAtOneDepth struct {
		A string `db:"x"`
		B string `db:"x"`
	}
	type unknownOption struct {
		ID int64 `db:"id,primary"`
	}
	type autoWithoutPK struct {
		ID int64 `db:"id,auto"`
	}
	type autoString struct {
		ID string `db:"id,pk,auto"`
	}
	type unsupported struct {
		Tags []string `db:"tags"`
	}
	type untaggedUnsupported struct {
		Meta map[string]string
	}
	cases := []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[int](), "not a struct"},
		{reflect.TypeFor[twoAtOneDepth](), `both map to column "x"`},
		{reflect.TypeFor[unknownOption](), `unknown db tag option "primary"`},
		{reflect.TypeFor[autoWithoutPK](), "auto needs pk"},
		{reflect.TypeFor[autoString](), "auto pk must be an integer"},
		{reflect.TypeFor[unsupported](), "field unsupported.Tags: unsupported type []string"},
		{reflect.TypeFor[untaggedUnsupported](), "untaggedUnsupported.Meta"},
	}
	for _, c := range cases {
		t.Run(c.typ.String(), func(t *testing.T) {
			err := planOf(c.typ).err
			var e *sdk.Error
			if !errors.As(err, &e) || e.Code != sdk.CodeInvalid || !strings.Contains(e.Message, c.want) {
				t.Errorf("plan error %v, want invalid containing %q", err, c.want)
			}
		})
	}
}

func TestSkippedFieldsMayHaveAnyType(t *testing.T) {
	type skipping struct {
		Name    string            `db:"name"`
		Meta    map[string]string `db:"-"`
		private []string
		*planBase
	}
	p := planOf(reflect.TypeFor[skipping]())
	if p.err != nil || len(p.fields) != 1 {
		t.Errorf("plan %+v, err %v; want one field", p.fields, p.err)
	}
}
