package store_test

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// TestChainAfterAnotherWriter: two stores on one database, as two servers
// on one PostgreSQL or a command beside a server on one SQLite file, each
// appending after the head it last wrote. A write after the other store's
// finds the head moved, writes nothing of the chain in its attempt, and
// appends after the head it then reads and locks; the next one appends in
// one attempt. Writes from both at once leave one chain without a gap.
func TestChainAfterAnotherWriter(t *testing.T) {
	for e, dsn := range testdb.DSNs(t) {
		t.Run(string(e), func(t *testing.T) {
			opts := testdb.Options(t)
			var headReads atomic.Int64 // statements of the first store that read the head to lock it
			traced := opts
			traced.Trace = func(q string, _ []any) {
				if strings.Contains(q, "SELECT seq, hash FROM audit_head") {
					headReads.Add(1)
				}
			}
			first, err := store.Open(ctx, dsn, traced)
			if err != nil {
				t.Fatal(err)
			}
			defer first.Close()
			second, err := store.Open(ctx, dsn, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer second.Close()
			write := func(st *store.Store, id string) {
				t.Helper()
				if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
					return tx.Audit(ctx, audit.OrgAdd, store.On("org", id, ""), nil, audit.Fields{"code": id})
				}); err != nil {
					t.Fatalf("write %s: %v", id, err)
				}
			}
			steps := []struct {
				st        *store.Store
				id        string
				headReads int64 // the first store's reads of the head so far
			}{
				{first, "A1", 1},  // once when it opened; A1 after the head it read then
				{second, "B1", 1}, // the second store opened before A1: it reads the head (not traced)
				{first, "A2", 2},  // after B1: the attempt finds the head moved
				{first, "A3", 2},  // after its own head: one attempt
			}
			for _, s := range steps {
				write(s.st, s.id)
				if got := headReads.Load(); got != s.headReads {
					t.Errorf("after %s the first store read the head %d times, want %d", s.id, got, s.headReads)
				}
			}
			var wg sync.WaitGroup
			for w := range 8 {
				wg.Go(func() {
					st := []*store.Store{first, second}[w%2]
					for i := range 10 {
						if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
							return tx.Audit(ctx, audit.OrgAdd, store.On("org", "C", ""), nil, audit.Fields{"w": w, "i": i})
						}); err != nil {
							t.Errorf("writer %d: %v", w, err)
							return
						}
					}
				})
			}
			wg.Wait()
			for _, st := range []*store.Store{first, second} {
				r, err := st.VerifyAudit(ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				if !r.OK() {
					t.Fatalf("the log does not verify: chain %v, checkpoints %v, records %v", r.Chain, r.Rollbacks, r.RecordProblems)
				}
			}
			head, err := first.AuditHead(ctx)
			if err != nil {
				t.Fatal(err)
			}
			entries, err := first.AuditEntries(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := int64(len(entries)); head.Seq != want || want < 84 {
				t.Errorf("head at %d with %d entries, want at least 84 without a gap", head.Seq, want)
			}
		})
	}
}
