package store_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// SQLite's statements are prepared once and kept (issue 17): a read run
// again prepares nothing new, and a write's statements are kept too; past
// the bound, statements run unprepared and answer the same. PostgreSQL's
// driver keeps its own, so the store keeps none there.
func TestStatementsKept(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		st.StopAuditCopy() // its statement would be kept when it runs, whenever that is
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

// A write transaction's statements are kept too: the same write again
// prepares nothing new. Options.Trace is told every statement, the
// transaction's with its arguments.
func TestWriteStatementsKept(t *testing.T) {
	ctx := context.Background()
	opts := testdb.Options(t)
	var traced []string
	var insertArgs [][]any
	opts.Trace = func(q string, args []any) {
		traced = append(traced, q)
		if strings.HasPrefix(q, "INSERT INTO orgs") {
			insertArgs = append(insertArgs, args)
		}
	}
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "h.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.StopAuditCopy() // its statements would be traced and kept when it runs, whenever that is
	add := func(code string) {
		t.Helper()
		if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddOrg(ctx, org.Unit{Code: code, Name: "测试开发区" + code, Kind: org.Zone}, false)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	opened, kept := len(traced), st.CachedStatements()
	add("A")
	once, first := st.CachedStatements(), len(traced)-opened
	add("B")
	if once <= kept || st.CachedStatements() != once {
		t.Errorf("kept %d statements before a write, %d after it, %d after the same write again", kept, once, st.CachedStatements())
	}
	if second := len(traced) - opened - first; first == 0 || second != first || len(insertArgs) != 2 || !slices.Contains(insertArgs[1], any("B")) {
		t.Errorf("traced %d statements for the first write, %d for the second; the inserts' arguments: %v", first, second, insertArgs)
	}
}
