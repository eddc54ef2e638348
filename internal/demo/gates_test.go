package demo_test

import (
	"context"
	"testing"

	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/demotest"
	"github.com/huanjie/huanjie/internal/store"
)

// loadedDemo is the default demo zone loaded once per engine, copied for
// each test that reads it (TestDemoLooksReal loads its own, at a pinned
// clock); gatelessDemo is the zone without its gates, for the tests of its
// classes.
var loadedDemo, gatelessDemo = demotest.Whole, demotest.WithoutGates

// The loaded demo zone gives the seed's numbers through the real gates: five
// disqualified by two cases, seven persuaded to withdraw, one barred on a
// condition only the second round found (the miss report names it and its
// department), two aspirants still waiting for a late department; and the
// late registrations, under review, overdue at every department.
func TestDemoGates(t *testing.T) {
	ctx := context.Background()
	loadedDemo.ForEach(t, func(t *testing.T, st *store.Store) {
		z := demo.Generate(demo.DefaultSeed, demo.DefaultCommunities)
		db := st.Zone(store.System)
		stats, err := db.VettingStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		late := 0
		for _, a := range z.Aspirants {
			if a.Fate == demo.Late {
				late++
			}
		}
		tot := stats.Total
		if tot.Registered != len(z.Aspirants) || tot.Disqualified != 5 || tot.Withdrawn != 7 || tot.Barred != 1 ||
			tot.Qualified != len(z.Aspirants)-5-7-1-2-late || tot.WithFindings != 8 || len(stats.Communities) != demo.DefaultCommunities {
			t.Fatalf("stats %+v over %d aspirants", tot, len(z.Aspirants))
		}
		misses, err := db.ReviewMisses(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(misses) != 1 || misses[0].Department != "gaj" || misses[0].Condition != "criminal" {
			t.Fatalf("miss report %+v, want the one condition found by 公安局 in round 2", misses)
		}
		depts, requests, err := db.ReviewOverdue(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		overdue, total := map[string]int{}, 0
		for _, d := range depts {
			overdue[d.Code] += d.Overdue
			total += d.Overdue
		}
		second := 0
		for _, r := range requests {
			if r.DocNo == "青石开发区换届办〔2026〕7号" {
				second++
				if r.Department != "wjj" {
					t.Errorf("%s is late on the second round for %s", r.DeptName, r.Aspirant)
				}
			}
		}
		if second != 2 || len(requests) != total || len(overdue) != 20 {
			t.Fatalf("overdue %v, %d requests of the second round; want the health bureau late for two, and every department late", overdue, second)
		}
		for code, n := range overdue {
			if n == 0 {
				t.Errorf("department %s has nothing overdue", code)
			}
		}
		cases, _, err := db.Cases(ctx, store.CaseFilter{})
		if err != nil || len(cases) != 2 {
			t.Fatalf("cases %d %v", len(cases), err)
		}
		tips, _, err := db.Tips(ctx, store.TipFilter{})
		if err != nil || len(tips) != len(z.Tips) {
			t.Fatalf("tips %d of %d, %v", len(tips), len(z.Tips), err)
		}
	})
}
