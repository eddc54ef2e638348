package assess

import (
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// full answers every score indicator with its maximum and no flag.
func full(r Rubric) Scores {
	s := Scores{}
	for _, ind := range r {
		if ind.Kind == Score {
			s[ind.Code] = ind.Max
		} else {
			s[ind.Code] = 0
		}
	}
	return s
}

func TestDefaultRubricIsValid(t *testing.T) {
	r := DefaultRubric()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if r.MaxTotal() != 100 {
		t.Fatalf("default rubric scores to %d, want 100", r.MaxTotal())
	}
	dims := map[Dimension]bool{}
	for _, ind := range r {
		dims[ind.Dimension] = true
	}
	if len(dims) != 6 {
		t.Fatalf("default rubric covers %d dimensions", len(dims))
	}
}

func TestClassify(t *testing.T) {
	r, rules := DefaultRubric(), DefaultRules()
	s := full(r)
	res := Classify(r, rules, s)
	if res.Class != A || res.Total != 100 || res.Class.Warning() != NoWarning {
		t.Fatalf("full marks: %+v", res)
	}
	// 25 points off: 75% is B, yellow.
	s["team_unity"], s["team_leader"], s["reserve_leader"] = 0, 5, 0
	res = Classify(r, rules, s)
	if res.Class != B || res.Percent != 75 || res.Class.Warning() != Yellow {
		t.Fatalf("75%%: %+v", res)
	}
	if !strings.Contains(res.Explanation, "低于A类线80%、不低于B类线60%") || !strings.Contains(res.Explanation, "班子运转(5/20)") ||
		!strings.Contains(res.Explanation, "无否决项") || !strings.Contains(res.Explanation, "黄色预警") {
		t.Fatalf("explanation: %s", res.Explanation)
	}
	// A red flag forces C whatever the score.
	s = full(r)
	s["risks_clan"] = 1
	res = Classify(r, rules, s)
	if res.Class != C || res.ScoreClass != A || !strings.Contains(res.Explanation, "“宗族派性严重”(至少C类)") ||
		!strings.Contains(res.Explanation, "由A类提至C类") || !strings.Contains(res.Explanation, "红色预警") {
		t.Fatalf("veto: %+v", res)
	}
	// A yellow flag does not lower a C.
	s = Scores{}
	for _, ind := range r {
		s[ind.Code] = 0
	}
	s["risks_fierce"] = 1
	if res = Classify(r, rules, s); res.Class != C {
		t.Fatalf("zero points with a yellow flag: %s", res.Class)
	}
	// Thresholds are rules: raise A to 101% and full marks is B.
	strict := Rules{AMin: 100, BMin: 60, PlansRequired: rules.PlansRequired}
	if res = Classify(r, strict, full(r)); res.Class != A {
		t.Fatalf("100%% with A at 100: %s", res.Class)
	}
	strict.AMin = 101
	if strict.Validate() == nil {
		t.Fatal("A line above 100 accepted")
	}
}

func TestScoresCheck(t *testing.T) {
	r := DefaultRubric()
	s := full(r)
	if err := s.Check(r); err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(Scores){
		"over max":      func(s Scores) { s["team_unity"] = 11 },
		"negative":      func(s Scores) { s["team_unity"] = -1 },
		"flag value":    func(s Scores) { s["risks_clan"] = 2 },
		"unknown":       func(s Scores) { s["nope"] = 1 },
		"missing score": func(s Scores) { delete(s, "team_unity") },
	}
	for name, change := range cases {
		s := full(r)
		change(s)
		if err := s.Check(r); !errs.Is(err, errs.Unprocessable) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestRubricValidate(t *testing.T) {
	bad := map[string]Rubric{
		"duplicate": {{Code: "a", Dimension: Basic, Name: "x", Kind: Score, Max: 5}, {Code: "a", Dimension: Basic, Name: "y", Kind: Score, Max: 5}},
		"same name": {{Code: "a", Dimension: Basic, Name: "班子团结", Kind: Score, Max: 5}, {Code: "b", Dimension: Team, Name: " 班子团结", Kind: Score, Max: 5}},
		"no score":  {{Code: "a", Dimension: Basic, Name: "x", Kind: Flag, Veto: B}},
		"bad veto":  {{Code: "a", Dimension: Basic, Name: "x", Kind: Score, Max: 5}, {Code: "b", Dimension: Basic, Name: "y", Kind: Flag, Veto: A}},
		"bad dim":   {{Code: "a", Dimension: "x", Name: "x", Kind: Score, Max: 5}},
		"bad code":  {{Code: "A b", Dimension: Basic, Name: "x", Kind: Score, Max: 5}},
		"zero max":  {{Code: "a", Dimension: Basic, Name: "x", Kind: Score, Max: 0}},
	}
	for name, r := range bad {
		if r.Validate() == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestAssessmentAndOverride(t *testing.T) {
	r := DefaultRubric()
	today := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	a := Assessment{AssessedOn: "2026-03-01", Assessors: []Assessor{{Unit: "党群部", Name: "王强"}, {}}, Scores: full(r)}
	if err := a.Validate(r, civil.Of(today)); err != nil || len(a.Assessors) != 1 {
		t.Fatalf("%v %+v", err, a.Assessors)
	}
	for _, bad := range []Assessment{
		{AssessedOn: "2026-03-02", Assessors: []Assessor{{Name: "王强"}}, Scores: full(r)},
		{AssessedOn: "3/1", Assessors: []Assessor{{Name: "王强"}}, Scores: full(r)},
		{AssessedOn: "2026-03-01", Scores: full(r)},
	} {
		if bad.Validate(r, civil.Of(today)) == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	// Before 08:00 China time the campaign day is ahead of the UTC day: today's
	// assessment is not in the future.
	early := time.Date(2026, 3, 2, 3, 0, 0, 0, time.FixedZone("CST", 8*3600))
	if err := (&Assessment{AssessedOn: "2026-03-02", Assessors: []Assessor{{Name: "王强"}}, Scores: full(r)}).Validate(r, civil.Of(early)); err != nil {
		t.Fatalf("today's assessment at 03:00 China time: %v", err)
	}
	if err := CheckOverride(B, ""); errs.FieldOf(err) != "reason" {
		t.Fatalf("override without a reason: %v", err)
	}
	if CheckOverride(B, "包片领导研判认为选情复杂") != nil || CheckOverride(Unassessed, "") != nil || CheckOverride("D", "理由写得足够长") == nil {
		t.Fatal("override checks")
	}
	st := Standing{Computed: A}
	if st.Class() != A {
		t.Fatal("class without override")
	}
	st.Override = C
	if st.Class() != C {
		t.Fatal("override not in force")
	}
}

func TestPlanAndMeasure(t *testing.T) {
	p := Plan{Kind: FallbackPlan, Title: " 备用方案 "}
	if err := p.Validate(); err != nil || p.Title != "备用方案" {
		t.Fatal(err)
	}
	if (&Plan{Kind: "x", Title: "a"}).Validate() == nil || (&Plan{Kind: MainPlan}).Validate() == nil {
		t.Fatal("bad plans accepted")
	}
	m := Measure{Section: Conflicts, Content: "走访", Owner: "李明", Due: "2026-03-01"}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if !m.Overdue("2026-03-02") || m.Overdue("2026-03-01") {
		t.Fatal("overdue")
	}
	m.DoneOn = "2026-02-28"
	if m.Overdue("2026-03-02") {
		t.Fatal("a done measure is overdue")
	}
	if (&Measure{Section: Conflicts, Content: "x", Owner: "y", Due: "soon"}).Validate() == nil {
		t.Fatal("bad due accepted")
	}
}
