package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// TestWritePanicRollsBack: a panic inside a write rolls its transaction back
// and goes on up to the caller; the database stays writable (issue 12,
// finding 7: the transaction used to stay open, holding SQLite's write
// lock and PostgreSQL's row locks).
func TestWritePanicRollsBack(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		zone := org.Unit{Code: "P", Name: "测试开发区", Kind: org.Zone}
		got := func() (v any) {
			defer func() { v = recover() }()
			st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
				if _, err := tx.AddOrg(ctx, zone, false); err != nil {
					t.Fatal(err)
				}
				panic("boom")
			})
			return nil
		}()
		if got != "boom" {
			t.Fatalf("the panic did not reach the caller: recovered %v", got)
		}
		// The same row again: it waits on the open transaction's lock (or
		// the whole database's on SQLite) unless the panic rolled it back.
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		start := time.Now()
		err := st.Zone(store.System).Write(c, func(tx *store.Tx) error {
			_, err := tx.AddOrg(c, zone, false)
			return err
		})
		if err != nil {
			t.Fatalf("write after a recovered panic (%s): %v", time.Since(start).Round(time.Millisecond), err)
		}
		if n, err := st.Zone(store.System).CountOrgs(ctx); err != nil || n.Zones != 1 {
			t.Fatalf("orgs after the panic and one write: %+v %v", n, err)
		}
	})
}
