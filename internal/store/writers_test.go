package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/visit"
)

// On SQLite, writers queue in Go for the one write lock (issue 17): a
// writer waiting behind another gives up when its request does, with the
// request's own error (not "database is locked" after the busy handler's
// ten seconds); once the lock frees, 16 writers at once all write, and
// each is in the register and the log (the store is verified when the
// test ends).
func TestWritersQueue(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	tree(t, st)
	zone := st.Zone(store.System)
	add := func(ctx context.Context, address string) error {
		return zone.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddHousehold(ctx, "Z-1-1", visit.Household{Address: address, Head: "户主", Size: 1})
			return err
		})
	}
	holding, release := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() {
		held <- zone.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.AddHousehold(ctx, "Z-1-1", visit.Household{Address: "先写的", Head: "户主", Size: 1}); err != nil {
				return err
			}
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	waiting, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if err := add(waiting, "等不及的"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a writer whose request ended while it waited: %v, want its context's error", err)
	}
	close(release)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	atOnce(t, 16, func(i int) error { return add(ctx, fmt.Sprintf("并发%d号", i)) })
	page, err := zone.Households(ctx, "Z-1-1", 0, 0)
	if err != nil || page.Total != 17 {
		t.Errorf("%d households after 17 writes (%v)", page.Total, err)
	}
}

// On SQLite no write checkpoints the log itself (wal_autocheckpoint is 0
// on the store's connections): the store's own goroutine does, soon after
// writes, and a closed store leaves everything in the database file.
func TestWALCheckpointedOffTheRequestPath(t *testing.T) {
	st, dsn, opts := sqliteFileStore(t)
	zone := st.Zone(store.System)
	for i := range 20 {
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddHousehold(ctx, "Z-1-1", visit.Household{Address: fmt.Sprintf("%d号", i), Head: "户主", Size: 1})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	runs, auto, err := st.WALCheckpoints(ctx)
	for deadline := time.Now().Add(10 * time.Second); err == nil && runs == 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		runs, auto, err = st.WALCheckpoints(ctx)
	}
	if err != nil || auto != 0 || runs == 0 {
		t.Fatalf("after 20 writes: %d checkpoints by the store, wal_autocheckpoint %d, %v; want some, and 0", runs, auto, err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if _, err := os.Stat(path + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the log is left beside the closed database: %v", err)
	}
	st, err = store.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, err := st.QueryInt(ctx, `SELECT COUNT(*) FROM visit_households`); err != nil || n != 20 {
		t.Fatalf("reopened: %d households, %v; want 20", n, err)
	}
}

// On PostgreSQL a write transaction holds a connection of the pool and
// may read through the pool too (here the counts of the tree's units):
// 64 writers at once, more than the pool's connections, all finish. Before
// the write slots each held a connection and waited for a second, and none
// finished until its request's time ran out.
func TestWritersShareThePool(t *testing.T) {
	st := testdb.Open(t, store.Postgres)
	tree(t, st)
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	atOnce(t, 64, func(i int) error {
		return st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			if _, err := st.Zone(store.System).CountOrgs(ctx); err != nil { // through the pool
				return err
			}
			time.Sleep(20 * time.Millisecond) // the transaction holds its connection a while
			_, err := tx.AddHousehold(ctx, "Z-1-1", visit.Household{Address: fmt.Sprintf("并发%d号", i), Head: "户主", Size: 1})
			return err
		})
	})
	if page, err := st.Zone(store.System).Households(ctx, "Z-1-1", 0, 0); err != nil || page.Total != 64 {
		t.Errorf("%d households after 64 writes (%v)", page.Total, err)
	}
}

// Writers that move the same units' kept sums (a community's class counts
// in its district's and the zone's class_totals) take their rows in one
// order: assessments of the communities of one district, sixteen at a
// time, all succeed. Before, the sums were written in a map's order, and on
// PostgreSQL two writers took a district's and the zone's rows in opposite
// orders and one failed with "deadlock detected".
func TestConcurrentWritesNoDeadlock(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		zone := st.Zone(store.System)
		list, err := zone.CommunityClasses(ctx, store.CommunityFilter{District: "QS-01"}) // sharing their district's and the zone's rows
		if err != nil || len(list) < 4 {
			t.Fatalf("%d communities, %v", len(list), err)
		}
		scores := assess.Scores{}
		for _, ind := range assess.DefaultRubric() {
			scores[ind.Code] = 0
		}
		atOnce(t, 16, func(i int) error {
			for j := range 12 {
				s := maps.Clone(scores)
				for _, ind := range assess.DefaultRubric() { // a class that moves each time: every total moves
					if ind.Kind == assess.Score && (i+j)%2 == 0 {
						s[ind.Code] = ind.Max
					}
				}
				if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
					_, err := tx.AddAssessment(ctx, assess.Assessment{OrgCode: list[(i*7+j*3)%len(list)].Code, AssessedOn: "2026-01-05",
						Assessors: []assess.Assessor{{Unit: "党群部", Name: "王强"}}, Scores: s})
					return err
				}); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// atOnce runs fn(0) … fn(n-1) at once and fails the test on the first error.
func atOnce(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() { errs <- fn(i) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// A write that fills a table in bulk gathers PostgreSQL's statistics of
// it when it commits (Tx.filled), however many statements it took, and a
// smaller one does not: without
// them the planner takes a freshly filled table for one it knows nothing
// of, and the 10,000-community demo's lookups of a community by code
// walked every community.
func TestBulkWriteGathersStatistics(t *testing.T) {
	st := testdb.Open(t, store.Postgres)
	analyzed := func() int64 {
		t.Helper()
		n, err := st.QueryInt(t.Context(), `SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = 'orgs' AND last_analyze IS NOT NULL`)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	communities := func(from, n int) []org.Unit {
		var out []org.Unit
		for i := from; i < from+n; i++ {
			out = append(out, org.Unit{Code: fmt.Sprintf("Z-1-%04d", i), Name: fmt.Sprintf("第%d社区", i), Kind: org.Community, ParentCode: "Z-1"})
		}
		return out
	}
	write := func(units []org.Unit) {
		t.Helper()
		if err := st.Zone(store.System).Write(t.Context(), func(tx *store.Tx) error {
			_, err := tx.ImportOrgs(t.Context(), units, false)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	write(append([]org.Unit{{Code: "Z", Name: "开发区", Kind: org.Zone}, {Code: "Z-1", Name: "一片区", Kind: org.District, ParentCode: "Z"}},
		communities(0, 997)...)) // 999 rows
	if analyzed() != 0 {
		t.Fatal("999 units gathered the statistics of orgs")
	}
	// 1,000 units, sent in waves of ten (a district and its nine
	// communities): the rows are counted over the transaction.
	var waves []org.Unit
	for d := 2; d < 102; d++ {
		district := fmt.Sprintf("Z-%d", d)
		waves = append(waves, org.Unit{Code: district, Name: fmt.Sprintf("第%d片区", d), Kind: org.District, ParentCode: "Z"})
		for c := 1; c <= 9; c++ {
			waves = append(waves, org.Unit{Code: fmt.Sprintf("%s-%d", district, c), Name: fmt.Sprintf("第%d片区第%d社区", d, c),
				Kind: org.Community, ParentCode: district})
		}
	}
	write(waves)
	if analyzed() != 1 {
		t.Fatal("1,000 units in waves did not gather the statistics of orgs")
	}
}

// Analyze without tables (the end of a demo's load) gathers PostgreSQL's
// statistics of every table of the store's schema, the tables dealt out
// to connections side by side.
func TestAnalyzeGathersEveryTable(t *testing.T) {
	st := testdb.Open(t, store.Postgres)
	unanalyzed := func() (int64, int64) {
		t.Helper()
		total, err := st.QueryInt(t.Context(), `SELECT COUNT(*) FROM pg_stat_user_tables WHERE schemaname = current_schema()`)
		if err != nil {
			t.Fatal(err)
		}
		n, err := st.QueryInt(t.Context(), `SELECT COUNT(*) FROM pg_stat_user_tables WHERE schemaname = current_schema() AND last_analyze IS NULL`)
		if err != nil {
			t.Fatal(err)
		}
		return n, total
	}
	if n, total := unanalyzed(); n < 50 || total < 100 {
		t.Fatalf("before: %d of %d tables unanalyzed, want most of more than 100", n, total)
	}
	if err := st.Analyze(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n, total := unanalyzed(); n != 0 {
		t.Errorf("after Analyze: %d of %d tables unanalyzed", n, total)
	}
}

// sqliteFileStore opens a store, with the test's tree, on a SQLite file of
// its own, which the test closes and opens again with dsn and opts.
func sqliteFileStore(t *testing.T) (st *store.Store, dsn string, opts store.Options) {
	t.Helper()
	dsn, _ = testdb.DSN(t, store.SQLite)
	opts = testdb.Options(t)
	st, err := store.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	tree(t, st)
	return st, dsn, opts
}
