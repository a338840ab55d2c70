package namespaced

import (
	"sync"

	"github.com/orama-network/orama/plugins/database/nsql"
)

// rewrites remembers nsql.Rewrite's results, which depend only on the
// namespace and the text: an application sends the same statements again
// and again, with other arguments. Only short statements are kept, and
// the cache starts over when full, so it stays small.
type rewrites struct {
	mu sync.Mutex
	m  map[rewriteKey]nsql.Statement
}

type rewriteKey struct{ ns, sql string }

const (
	maxRewrites   = 4096
	maxRewriteLen = 4096 // bytes of SQL
)

// rewrite returns nsql.Rewrite(ns, sql), from the cache when it can.
// Refusals are not cached: they are rare and their messages may depend
// on more than the text in the future.
func (r *rewrites) rewrite(ns, sql string) (nsql.Statement, error) {
	if len(sql) > maxRewriteLen {
		return nsql.Rewrite(ns, sql)
	}
	k := rewriteKey{ns, sql}
	r.mu.Lock()
	st, ok := r.m[k]
	r.mu.Unlock()
	if ok {
		return st, nil
	}
	st, err := nsql.Rewrite(ns, sql)
	if err != nil {
		return st, err
	}
	r.mu.Lock()
	if r.m == nil || len(r.m) >= maxRewrites {
		r.m = make(map[rewriteKey]nsql.Statement)
	}
	r.m[k] = st
	r.mu.Unlock()
	return st, nil
}
