package store_test

import (
	"testing"

	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// SQLite's statements are prepared once and kept (issue 17): a read run
// again prepares nothing new, and a write's statements are kept too; past
// the bound, statements run unprepared and answer the same. PostgreSQL's
// driver keeps its own, so the store keeps none there.
func TestStatementsKept(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		zone := st.Zone(store.System)
		read := func() {
			t.Helper()
			if _, err := zone.ClassCounts(ctx); err != nil {
				t.Fatal(err)
			}
		}
		read()
		once := st.CachedStatements()
		read()
		if st.Engine() == store.Postgres {
			if once != 0 {
				t.Fatalf("%d statements kept on PostgreSQL", once)
			}
			return
		}
		if once == 0 || st.CachedStatements() != once {
			t.Fatalf("kept %d statements after a read, %d after it again", once, st.CachedStatements())
		}
		n := store.StmtCacheMax + 50
		sum, err := st.SumDistinct(ctx, n, 3)
		if err != nil {
			t.Fatal(err)
		}
		if want := int64(n*(n-1)/2 + 3*n); sum != want || st.CachedStatements() != store.StmtCacheMax {
			t.Fatalf("%d distinct statements summed %d, want %d; %d kept, the bound %d", n, sum, want, st.CachedStatements(), store.StmtCacheMax)
		}
	})
}
