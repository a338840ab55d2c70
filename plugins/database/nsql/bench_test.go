package nsql

import "testing"

// BenchmarkRewriteSelect measures the hot path: a point query.
func BenchmarkRewriteSelect(b *testing.B) {
	const q = `SELECT id, name, price FROM items WHERE id = ?`
	benchRewrite(b, q)
}

// BenchmarkRewriteJoin is a larger read with joins, a CTE and aliases the
// rewriter has to compute from the original text.
func BenchmarkRewriteJoin(b *testing.B) {
	const q = `WITH recent AS (SELECT item_id, count(*) AS n FROM orders WHERE created > ? GROUP BY item_id)
		SELECT i.name, t.label, r.n, i.price * 1.2 FROM items i JOIN tags t ON t.id = i.tag
		LEFT JOIN recent r ON r.item_id = i.id WHERE i.deleted = 0 ORDER BY r.n DESC LIMIT 20`
	benchRewrite(b, q)
}

// benchRewrite measures Rewrite of q in namespace acme, after checking
// that it rewrites.
func benchRewrite(b *testing.B, q string) {
	b.Helper()
	if _, err := Rewrite("acme", q); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Rewrite("acme", q); err != nil {
			b.Fatal(err)
		}
	}
}
