package testdb_test

import (
	"context"
	"testing"

	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// marked is a fixture that holds a mark an empty database does not: a
// store on another file than its copy does not see it.
var marked = testdb.NewFixture(func(ctx context.Context, st *store.Store) error { return st.BeginDemo(ctx) })

// A subtest's database lives in a folder named after it. Go names a
// repeated subtest "same#01", and a name may hold a % (both kept in the
// folder's name): each subtest still opens its own copy, writes to it and
// reads back what it wrote, and the next one starts from the fixture again.
func TestSubtestNamesOpenTheirOwnFile(t *testing.T) {
	for _, name := range []string{"same", "same", "100%41", "a#b%23c"} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := marked.Open(t, store.SQLite)
			if on, err := st.DemoInterrupted(ctx); err != nil || !on {
				t.Fatalf("%s: the fixture's mark is %v (%v): the store opened another file than its copy", t.Name(), on, err)
			}
			if err := st.EndDemo(ctx); err != nil {
				t.Fatal(err)
			}
			if on, err := st.DemoInterrupted(ctx); err != nil || on {
				t.Fatalf("%s: the mark cleared reads back as %v (%v)", t.Name(), on, err)
			}
			// A fresh database of DSN, opened by the store.
			dsn, _ := testdb.DSN(t, store.SQLite)
			fresh, err := store.Open(ctx, dsn, testdb.Options(t))
			if err != nil {
				t.Fatalf("%s: open %s: %v", t.Name(), dsn, err)
			}
			defer fresh.Close()
			if err := fresh.BeginDemo(ctx); err != nil {
				t.Fatalf("%s: %s is not a new database: %v", t.Name(), dsn, err)
			}
			if on, err := fresh.DemoInterrupted(ctx); err != nil || !on {
				t.Fatalf("%s: the mark set reads back as %v (%v)", t.Name(), on, err)
			}
		})
	}
}
