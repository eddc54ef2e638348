package store_test

import (
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
)

// The structure targets' sums kept above the communities (issue 17) agree,
// for the whole tree and every unit, with the kept results of the unit's
// communities counted again, on both engines: after the first view keeps
// every community's results, after a slate changes (one community's
// results forgotten), after a district's election days change (a
// subtree's), after the targets change (all), and after each following
// view computes them again. The page's figures are the sums'.
func TestTargetTotalsKept(t *testing.T) {
	demoZone.ForEach(t, func(t *testing.T, st *store.Store) {
		zone := st.Zone(store.System)
		check := func(when string) {
			t.Helper()
			if err := st.CheckTargetTotals(ctx); err != nil {
				t.Fatalf("%s: %v", when, err)
			}
		}
		view := func(when string) store.TargetsPage {
			t.Helper()
			p, err := zone.TargetsPage(ctx, "", false, 100, 0)
			if err != nil {
				t.Fatal(err)
			}
			check(when)
			return p
		}
		first := view("the first view")
		if first.Communities != 32 || first.Failing == 0 || first.Total != first.Failing || len(first.Rows) != first.Failing {
			t.Fatalf("the first view: %d communities, %d failing, %d rows", first.Communities, first.Failing, len(first.Rows))
		}
		code := first.Rows[0].Code // a community whose slate misses a hard target
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.SetSlate(ctx, code, slate.Prediction{}, "重新预判")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		check("a slate emptied")
		after := view("the view after the slate")
		if after.Communities != 32 || after.Failing != first.Failing-1 {
			t.Errorf("after emptying %s's slate: %d communities, %d failing; want 32, %d", code, after.Communities, after.Failing, first.Failing-1)
		}
		if _, _, err := setDays(t, zone, "QS-01", progress.Days{Party: "2027-03-01", Residents: "2027-03-29"}); err != nil {
			t.Fatal(err)
		}
		check("a district's days")
		view("the view after the days")
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.SaveTargets(ctx, slate.DefaultTargets()[:2])
			return err
		}); err != nil {
			t.Fatal(err)
		}
		check("the targets changed")
		last := view("the view after the targets")
		district, err := zone.TargetsPage(ctx, "QS-01", true, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(last.Met) != 2 || last.Communities != 32 || district.Communities == 0 || district.Communities >= 32 ||
			district.Total != district.Communities || len(district.Rows) != district.Communities {
			t.Errorf("after the targets: %d met counts, %d communities; QS-01 %d communities, %d rows",
				len(last.Met), last.Communities, district.Communities, len(district.Rows))
		}
	})
}

// A view of the targets while a write changes a slate (issue 17: the write
// forgets the community's results at its end, not when it changes the
// slate) keeps nothing the write leaves stale, on both engines. The
// community's results are first forgotten, so that the view computes and
// keeps them from the slate before the write; the write empties the slate,
// the view runs while it is open (on PostgreSQL it keeps its results
// before the write's end, which forgets them; on SQLite, and on
// PostgreSQL had the write moved the version first, it waits for the
// write and keeps nothing), and once both are done the community is not
// failing and the sums agree.
func TestTargetsViewedDuringASlateWrite(t *testing.T) {
	demoZone.ForEach(t, func(t *testing.T, st *store.Store) {
		zone := st.Zone(store.System)
		first, err := zone.TargetsPage(ctx, "", false, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(first.Rows) == 0 {
			t.Fatal("no community misses a hard target")
		}
		code := first.Rows[0].Code
		before, err := zone.PredictedSlate(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		setSlate := func(p slate.Prediction, during func()) {
			t.Helper()
			if err := zone.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.SetSlate(ctx, code, p, "重新预判")
				if err == nil && during != nil {
					during()
				}
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		setSlate(before.Prediction(), nil) // the same slate: its results forgotten
		viewed := make(chan error, 1)
		setSlate(slate.Prediction{}, func() {
			go func() {
				_, err := zone.TargetsPage(ctx, "", false, 100, 0)
				viewed <- err
			}()
			select {
			case err := <-viewed: // kept before the write's end
				viewed <- err
			case <-time.After(time.Second): // waiting for the write
			}
		})
		if err := <-viewed; err != nil {
			t.Fatal(err)
		}
		if err := st.CheckTargetTotals(ctx); err != nil {
			t.Fatal(err)
		}
		after, err := zone.TargetsPage(ctx, "", false, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range after.Rows {
			if r.Code == code {
				t.Errorf("%s's emptied slate is shown failing a hard target: results kept from the slate before", code)
			}
		}
		if after.Failing != first.Failing-1 {
			t.Errorf("%d communities failing, want %d", after.Failing, first.Failing-1)
		}
	})
}
