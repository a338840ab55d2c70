package orm_test

import (
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/orm"
)

type benchRow struct {
	ID      int64     `db:"id"`
	Name    string    `db:"name"`
	Email   *string   `db:"email"`
	Score   float64   `db:"score"`
	Active  bool      `db:"active"`
	Created time.Time `db:"created"`
}

// BenchmarkScanRows scans 1000 decoded rows (as client.Query returns
// them) into structs.
func BenchmarkScanRows(b *testing.B) {
	rows := make([]map[string]any, 1000)
	for i := range rows {
		rows[i] = map[string]any{
			"id": int64(i), "name": "user", "email": "u@example.com", "score": 1.5,
			"active": int64(i % 2), "created": int64(1700000000 + i), "extra": "ignored",
		}
	}
	var out []benchRow
	b.ReportAllocs()
	for b.Loop() {
		if err := orm.ScanRows(rows, &out); err != nil {
			b.Fatal(err)
		}
	}
	if len(out) != 1000 || out[999].ID != 999 {
		b.Fatalf("scanned %d rows", len(out))
	}
}
