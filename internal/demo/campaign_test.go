package demo_test

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// The demo zone's classes come from the rules, in the seed's split, and the
// shortfall list names exactly the communities with too few plans.
func TestDemoCampaign(t *testing.T) {
	ctx := context.Background()
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		z := demo.Generate(demo.DefaultSeed, demo.DefaultCommunities).WithoutGates()
		if err := demo.Load(ctx, st, z, nil); err != nil {
			t.Fatal(err)
		}
		cycle, _ := st.CurrentCycle(ctx)
		counts, err := st.ClassCounts(ctx, org.All, cycle.ID)
		if err != nil {
			t.Fatal(err)
		}
		if counts[assess.A] != 14 || counts[assess.B] != 10 || counts[assess.C] != 8 || counts[assess.Unassessed] != 0 {
			t.Fatalf("classes %v, want 14 A, 10 B, 8 C", counts)
		}
		rules, _ := st.AssessRules(ctx, cycle.ID)
		all, err := st.CommunityClasses(ctx, org.All, cycle.ID, store.CommunityFilter{})
		if err != nil || len(all) != 32 {
			t.Fatalf("communities %d %v", len(all), err)
		}
		var short []string
		for _, c := range all {
			plans, err := st.Plans(ctx, org.All, cycle.ID, c.Code)
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
		got, err := st.PlanShortfalls(ctx, org.All, cycle.ID, rules)
		if err != nil {
			t.Fatal(err)
		}
		var gotCodes []string
		for _, s := range got {
			gotCodes = append(gotCodes, s.OrgCode)
		}
		if len(short) != 4 || strings.Join(gotCodes, ",") != strings.Join(short, ",") {
			t.Fatalf("shortfall %v, counted %v", gotCodes, short)
		}
		overdue, err := st.OpenMeasures(ctx, org.All, cycle.ID, org.Day(st.Now()))
		if err != nil || len(overdue) == 0 {
			t.Fatalf("overdue measures %d %v", len(overdue), err)
		}
		for _, m := range overdue {
			if !m.Overdue(org.Day(st.Now())) {
				t.Fatalf("listed as overdue: %+v", m)
			}
		}
		changes, err := st.ClassChanges(ctx, org.All, cycle.ID, org.DayStart(st.Now()).AddDate(0, 0, -1))
		if err != nil || len(changes) != 2 {
			t.Fatalf("changes since yesterday: %d %v", len(changes), err)
		}
	})
}

// Entering new scores moves the class when the rules say so; an override
// needs a reason; editing the rules reclassifies everyone.
func TestAssessOverrideReclassify(t *testing.T) {
	ctx := context.Background()
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		z := demo.Generate(demo.DefaultSeed, demo.DefaultCommunities).WithoutGates()
		if err := demo.Load(ctx, st, z, nil); err != nil {
			t.Fatal(err)
		}
		cycle, _ := st.CurrentCycle(ctx)
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
		err := st.Write(ctx, store.System, func(tx *store.Tx) error {
			var err error
			got, err = tx.AddAssessment(ctx, org.All, cycle.ID, assess.Assessment{OrgCode: code, AssessedOn: org.Day(st.Now()),
				Assessors: []assess.Assessor{{Unit: "党群部", Name: "王强"}}, Scores: scores})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.Result.Class != assess.C || !strings.Contains(got.Result.Explanation, "群体上访不断") {
			t.Fatalf("result %+v", got.Result)
		}
		cs, _ := st.CommunityClasses(ctx, org.All, cycle.ID, store.CommunityFilter{Code: code})
		if cs[0].Standing.Class() != assess.C {
			t.Fatalf("standing %+v", cs[0].Standing)
		}
		classTotalsTrue(t, st, cycle.ID)
		history, _ := st.Assessments(ctx, org.All, cycle.ID, code)
		if len(history) != 2 || history[0].ID != got.ID || history[0].Scores["risks_petition"] != 1 {
			t.Fatalf("history %+v", history)
		}

		err = st.Write(ctx, store.System, func(tx *store.Tx) error {
			_, err := tx.SetOverride(ctx, org.All, cycle.ID, code, assess.B, "")
			return err
		})
		if !errs.Is(err, errs.Unprocessable) {
			t.Fatalf("override without a reason: %v", err)
		}
		err = st.Write(ctx, store.System, func(tx *store.Tx) error {
			_, err := tx.SetOverride(ctx, org.All, cycle.ID, code, assess.B, "上访问题已于本周化解,经党委研究调整")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		classTotalsTrue(t, st, cycle.ID)
		cs, _ = st.CommunityClasses(ctx, org.All, cycle.ID, store.CommunityFilter{Code: code})
		if cs[0].Standing.Class() != assess.B || cs[0].Standing.Computed != assess.C || cs[0].Standing.OverrideBy != "system" {
			t.Fatalf("after override %+v", cs[0].Standing)
		}

		// Raise the A line to 101 points' worth: no community stays A.
		var re store.Reclassified
		err = st.Write(ctx, store.System, func(tx *store.Tx) error {
			var err error
			re, err = tx.SaveRules(ctx, cycle.ID, assess.Rules{AMin: 100, BMin: 60, PlansRequired: assess.DefaultRules().PlansRequired})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		counts, _ := st.ClassCounts(ctx, org.All, cycle.ID)
		if re.Communities != 32 || re.Changed == 0 || counts[assess.A] != 0 || counts[assess.A]+counts[assess.B]+counts[assess.C] != 32 {
			t.Fatalf("reclassified %+v, counts %v", re, counts)
		}
		classTotalsTrue(t, st, cycle.ID)
		if r, err := st.VerifyAudit(ctx, nil); err != nil || !r.OK() || r.Entries < 5 || r.Records < 32 {
			t.Fatalf("audit %+v %v", r, err)
		}
	})
}

// classTotalsTrue checks the class counters the overview reads against the
// standings themselves: for every unit's scope, ClassCounts and the district
// rows equal counting the communities one by one.
func classTotalsTrue(t *testing.T, st *store.Store, cycleID int64) {
	t.Helper()
	ctx := context.Background()
	units, err := st.Zone(store.System).ListOrgs(ctx, store.OrgFilter{})
	if err != nil {
		t.Fatal(err)
	}
	count := func(scope org.Scope, district string) map[assess.Class]int {
		list, err := st.CommunityClasses(ctx, scope, cycleID, store.CommunityFilter{District: district})
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
		got, err := st.ClassCounts(ctx, org.Within(u.Path), cycleID)
		if want := count(org.Within(u.Path), ""); err != nil || !maps.Equal(got, want) {
			t.Errorf("%s: counters say %v (%v), the standings %v", u.Code, got, err, want)
		}
	}
	districts, err := st.ClassCountsByDistrict(ctx, org.All, cycleID, 0)
	if err != nil || len(districts) == 0 {
		t.Fatalf("districts %v %v", districts, err)
	}
	for _, d := range districts {
		if want := count(org.All, d.Code); !maps.Equal(d.Counts, want) {
			t.Errorf("district %s: counters say %v, the standings %v", d.Code, d.Counts, want)
		}
	}
}
