package demo_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

// The demo zone's classes come from the rules, in the seed's split, and the
// shortfall list names exactly the communities with too few plans.
func TestDemoCampaign(t *testing.T) {
	ctx := context.Background()
	gatelessDemo.ForEach(t, func(t *testing.T, st *store.Store) {
		zone := st.Zone(store.System)
		counts, err := zone.ClassCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[assess.A] != 14 || counts[assess.B] != 10 || counts[assess.C] != 8 || counts[assess.Unassessed] != 0 {
			t.Fatalf("classes %v, want 14 A, 10 B, 8 C", counts)
		}
		rules, _ := zone.AssessRules(ctx)
		all, err := zone.CommunityClasses(ctx, store.CommunityFilter{})
		if err != nil || len(all) != 32 {
			t.Fatalf("communities %d %v", len(all), err)
		}
		var short []string
		for _, c := range all {
			plans, err := zone.Plans(ctx, c.Code)
			if err != nil {
				t.Fatal(err)
			}
			if len(plans) != c.Plans {
				t.Fatalf("%s: %d plans listed, %d counted", c.Code, len(plans), c.Plans)
			}
			if len(plans) < rules.PlansRequired[c.Standing.Class()] {
				short = append(short, c.Code)
			}
			if !strings.Contains(c.Standing.Explanation, "结论:"+string(c.Standing.Class())+"类") {
				t.Fatalf("%s explanation %q", c.Code, c.Standing.Explanation)
			}
		}
		got, n, err := zone.PlanShortfalls(ctx, rules, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if page, total, err := zone.PlanShortfalls(ctx, rules, store.Page{Limit: 2, Offset: 1}); err != nil || total != n || n != len(got) ||
			len(got) > 2 && !slices.Equal(page, got[1:3]) {
			t.Fatalf("shortfalls %d, counted %d; second page of two %v counted %d (%v)", len(got), n, page, total, err)
		}
		var gotCodes []string
		for _, s := range got {
			gotCodes = append(gotCodes, s.OrgCode)
		}
		if len(short) != 4 || strings.Join(gotCodes, ",") != strings.Join(short, ",") {
			t.Fatalf("shortfall %v, counted %v", gotCodes, short)
		}
		overdue, n, err := zone.OpenMeasures(ctx, store.MeasureFilter{OverdueOn: civil.Of(st.Now())})
		if err != nil || len(overdue) == 0 || n != len(overdue) {
			t.Fatalf("overdue measures %d, counted %d %v", len(overdue), n, err)
		}
		if page, total, err := zone.OpenMeasures(ctx, store.MeasureFilter{OverdueOn: civil.Of(st.Now()), Page: store.Page{Limit: 1}}); err != nil ||
			total != n || len(page) != 1 || page[0] != overdue[0] {
			t.Fatalf("overdue measures, a page of one: %v counted %d (%v)", page, total, err)
		}
		for _, m := range overdue {
			if !m.Overdue(civil.Of(st.Now())) {
				t.Fatalf("listed as overdue: %+v", m)
			}
		}
		since := civil.DayStart(st.Now()).AddDate(0, 0, -1)
		changes, n, err := zone.ClassChanges(ctx, since, store.Page{})
		if err != nil || len(changes) != 2 || n != 2 {
			t.Fatalf("changes since yesterday: %d, counted %d %v", len(changes), n, err)
		}
		if second, n, err := zone.ClassChanges(ctx, since, store.Page{Limit: 1, Offset: 1}); err != nil || n != 2 || len(second) != 1 || second[0] != changes[1] {
			t.Fatalf("changes since yesterday, the second page of one: %v, counted %d %v", second, n, err)
		}
	})
}

// Entering new scores moves the class when the rules say so; an override
// needs a reason; editing the rules reclassifies everyone.
func TestAssessOverrideReclassify(t *testing.T) {
	ctx := context.Background()
	gatelessDemo.ForEach(t, func(t *testing.T, st *store.Store) {
		z := demo.Generate(demo.DefaultSeed, demo.DefaultCommunities).WithoutGates()
		zone := st.Zone(store.System)
		var code string
		for _, a := range z.Assessments {
			if a.Target == assess.A {
				code = a.OrgCode
				break
			}
		}
		rubric := assess.DefaultRubric()
		scores := assess.Scores{}
		for _, ind := range rubric {
			scores[ind.Code] = ind.Max
		}
		scores["risks_petition"] = 1 // 群体上访不断: red veto
		var got assess.Assessment
		err := zone.Write(ctx, func(tx *store.Tx) error {
			var err error
			got, err = tx.AddAssessment(ctx, assess.Assessment{OrgCode: code, AssessedOn: civil.Of(st.Now()),
				Assessors: []assess.Assessor{{Unit: "党群部", Name: "王强"}}, Scores: scores})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.Result.Class != assess.C || !strings.Contains(got.Result.Explanation, "群体上访不断") {
			t.Fatalf("result %+v", got.Result)
		}
		cs, _ := zone.CommunityClasses(ctx, store.CommunityFilter{Code: code})
		if cs[0].Standing.Class() != assess.C {
			t.Fatalf("standing %+v", cs[0].Standing)
		}
		classTotalsTrue(t, st)
		history, _ := zone.Assessments(ctx, code)
		if len(history) != 2 || history[0].ID != got.ID || history[0].Scores["risks_petition"] != 1 {
			t.Fatalf("history %+v", history)
		}

		err = zone.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.SetOverride(ctx, code, assess.B, "")
			return err
		})
		if !errs.Is(err, errs.Unprocessable) {
			t.Fatalf("override without a reason: %v", err)
		}
		err = zone.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.SetOverride(ctx, code, assess.B, "上访问题已于本周化解,经党委研究调整")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		classTotalsTrue(t, st)
		cs, _ = zone.CommunityClasses(ctx, store.CommunityFilter{Code: code})
		if cs[0].Standing.Class() != assess.B || cs[0].Standing.Computed != assess.C || cs[0].Standing.OverrideBy != "system" {
			t.Fatalf("after override %+v", cs[0].Standing)
		}

		// Raise the A line to 101 points' worth: no community stays A.
		var re store.Reclassified
		err = zone.Write(ctx, func(tx *store.Tx) error {
			var err error
			re, err = tx.SaveRules(ctx, assess.Rules{AMin: 100, BMin: 60, PlansRequired: assess.DefaultRules().PlansRequired})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		counts, _ := zone.ClassCounts(ctx)
		if re.Communities != 32 || re.Changed == 0 || counts[assess.A] != 0 || counts[assess.A]+counts[assess.B]+counts[assess.C] != 32 {
			t.Fatalf("reclassified %+v, counts %v", re, counts)
		}
		classTotalsTrue(t, st)
		if r, err := st.VerifyAudit(ctx, nil); err != nil || !r.OK() || r.Entries < 5 || r.Records < 32 {
			t.Fatalf("audit %+v %v", r, err)
		}
	})
}

// classTotalsTrue checks the class counters the overview reads against the
// standings themselves: for every unit's scope, ClassCounts and the district
// rows equal counting the communities one by one.
func classTotalsTrue(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	zone := st.Zone(store.System)
	units, err := zone.ListOrgs(ctx, store.OrgFilter{})
	if err != nil {
		t.Fatal(err)
	}
	count := func(q *store.Scoped, district string) map[assess.Class]int {
		list, err := q.CommunityClasses(ctx, store.CommunityFilter{District: district})
		if err != nil {
			t.Fatal(err)
		}
		want := map[assess.Class]int{assess.A: 0, assess.B: 0, assess.C: 0, assess.Unassessed: 0}
		for _, c := range list {
			want[c.Standing.Class()]++
		}
		return want
	}
	for _, u := range append(units, org.Unit{Code: "全区", Path: org.All.Path}) {
		q := zone
		if u.Path != org.All.Path {
			q = st.For(account.User{ID: 1, Username: "scoped", Role: account.Admin, ScopePath: u.Path})
		}
		got, err := q.ClassCounts(ctx)
		if want := count(q, ""); err != nil || !maps.Equal(got, want) {
			t.Errorf("%s: counters say %v (%v), the standings %v", u.Code, got, err, want)
		}
	}
	districts, err := zone.ClassCountsByDistrict(ctx, 0)
	if err != nil || len(districts) == 0 {
		t.Fatalf("districts %v %v", districts, err)
	}
	for _, d := range districts {
		want := count(zone, d.Code)
		if got := (store.ClassTally{A: want[assess.A], B: want[assess.B], C: want[assess.C], Unassessed: want[assess.Unassessed]}); d.Counts != got {
			t.Errorf("district %s: counters say %v, the standings %v", d.Code, d.Counts, want)
		}
	}
}
