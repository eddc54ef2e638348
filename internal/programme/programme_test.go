package programme

import (
	"slices"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

func ready() Programme {
	return Programme{Title: "辛庄社区五年施政纲领", StartYear: 2027, EndYear: 2031, Status: Draft,
		Goals: []Goal{{ID: 1, Title: "加装电梯", Area: Livelihood, Measures: "摸底意愿\n\n争取补贴",
			Milestones: []Milestone{{ID: 1, Year: 2027, Text: "完成摸底"}}}}}
}

// The term defaults to the election year and the four after it; a term is
// one to five years, its title required.
func TestTerm(t *testing.T) {
	if s, e := DefaultTerm(2027); s != 2027 || e != 2031 {
		t.Errorf("default term: %d—%d", s, e)
	}
	p := Programme{Title: " 纲领 ", StartYear: 2027, EndYear: 2031}
	if err := p.Validate(); err != nil || p.Title != "纲领" || !slices.Equal(p.Years(), []int{2027, 2028, 2029, 2030, 2031}) ||
		p.Term() != "2027—2031年" {
		t.Fatalf("%v %+v %v", err, p, p.Years())
	}
	for field, bad := range map[string]Programme{
		"title":      {StartYear: 2027, EndYear: 2031},
		"start_year": {Title: "纲领", StartYear: 27, EndYear: 2031},
		"end_year":   {Title: "纲领", StartYear: 2027, EndYear: 2032},
	} {
		if err := bad.Validate(); errs.FieldOf(err) != field {
			t.Errorf("%+v: %v, want a refusal on %s", bad, err, field)
		}
	}
	back := Programme{Title: "纲领", StartYear: 2027, EndYear: 2026}
	if err := back.Validate(); errs.FieldOf(err) != "end_year" {
		t.Errorf("a term ending before it starts: %v", err)
	}
	if YearOf("2027-03-15") != 2027 || YearOf("") != 0 || YearOf("2027-13-01") != 0 {
		t.Error("YearOf")
	}
}

// A milestone's year must lie within the term.
func TestMilestoneYear(t *testing.T) {
	p := ready()
	for year, ok := range map[int]bool{2026: false, 2027: true, 2031: true, 2032: false} {
		m := Milestone{Year: year, Text: " 完成 "}
		err := m.Validate(p)
		if (err == nil) != ok || (!ok && errs.FieldOf(err) != "year") {
			t.Errorf("milestone of %d: %v", year, err)
		}
	}
	m := Milestone{Year: 2028, Text: strings.Repeat("长", MaxMilestone+1)}
	if err := m.Validate(p); errs.FieldOf(err) != "text" {
		t.Errorf("a milestone too long: %v", err)
	}
}

// A goal is bounded: its title, area, measures (characters and lines).
func TestGoalValidate(t *testing.T) {
	g := Goal{Title: " 加装电梯 ", Area: Livelihood, Measures: "  一\r\n\r\n 二 \n"}
	if err := g.Validate(); err != nil || g.Title != "加装电梯" || !slices.Equal(g.MeasureList(), []string{"一", "二"}) {
		t.Fatalf("%v %+v %q", err, g, g.MeasureList())
	}
	for field, bad := range map[string]Goal{
		"title":    {Area: Livelihood},
		"area":     {Title: "目标", Area: "roads"},
		"measures": {Title: "目标", Area: Livelihood, Measures: strings.Repeat("措施\n", MaxMeasureLines+1)},
		"seq":      {Title: "目标", Area: Livelihood, Seq: MaxGoals + 1},
	} {
		if err := bad.Validate(); errs.FieldOf(err) != field {
			t.Errorf("%+v: %v, want a refusal on %s", bad, err, field)
		}
	}
	long := Goal{Title: "目标", Area: Livelihood, Measures: strings.Repeat("措", MaxMeasures+1)}
	if err := long.Validate(); errs.FieldOf(err) != "measures" {
		t.Errorf("measures too long: %v", err)
	}
}

// A proposal adopted or merged goes into a goal; merged and declined ones
// say with what or why.
func TestDisposition(t *testing.T) {
	for _, ok := range []Disposition{
		{Outcome: Adopt, Goal: 1},
		{Outcome: Merge, Goal: 1, Note: "与加装电梯的建议合并"},
		{Outcome: Decline, Note: "不属于社区职责"},
	} {
		if err := ok.Validate(); err != nil {
			t.Errorf("%+v: %v", ok, err)
		}
	}
	for field, bad := range map[string]Disposition{
		"outcome": {Outcome: "maybe", Goal: 1},
		"goal_id": {Outcome: Adopt},
		"note":    {Outcome: Decline, Note: "  "},
	} {
		if err := bad.Validate(); errs.FieldOf(err) != field {
			t.Errorf("%+v: %v, want a refusal on %s", bad, err, field)
		}
	}
	for _, bad := range []Disposition{{Outcome: Merge, Goal: 1}, {Outcome: Decline, Note: strings.Repeat("因", MaxNote+1)}} {
		if err := bad.Validate(); errs.FieldOf(err) != "note" {
			t.Errorf("%+v: %v, want a refusal on note", bad, err)
		}
	}
	if err := (&Disposition{Outcome: Decline, Goal: 1, Note: "理由"}).Validate(); errs.FieldOf(err) != "goal_id" {
		t.Errorf("a declined proposal into a goal: %v", err)
	}
}

// A programme is adopted only with every proposal disposed and every goal
// with a measure and a milestone; adopted, it is frozen and only then
// takes progress reports.
func TestAdoption(t *testing.T) {
	p := ready()
	if err := p.Adoptable(0); err != nil {
		t.Fatal(err)
	}
	if err := p.Adoptable(2); errs.CodeOf(err) != errs.Unprocessable || !strings.Contains(errs.MessageOf(err), "2 条") {
		t.Errorf("two proposals pending: %v", err)
	}
	if err := (Programme{Status: Draft}).Adoptable(0); err == nil || !strings.Contains(errs.MessageOf(err), "至少要有一个目标") {
		t.Errorf("no goal: %v", err)
	}
	noMeasure := ready()
	noMeasure.Goals[0].Measures = " \n "
	if err := noMeasure.Adoptable(0); err == nil || !strings.Contains(errs.MessageOf(err), "措施") {
		t.Errorf("a goal without measures: %v", err)
	}
	noMilestone := ready()
	noMilestone.Goals[0].Milestones = nil
	if err := noMilestone.Adoptable(0); err == nil || !strings.Contains(errs.MessageOf(err), "里程碑") {
		t.Errorf("a goal without milestones: %v", err)
	}
	if err := p.CanReport(); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("progress on a draft: %v", err)
	}

	const today = civil.Date("2027-03-20")
	a := Adoption{On: "2027-03-15", Meeting: " 居民代表会议 ", Document: "关于通过五年施政纲领的决议"}
	if err := a.Validate(p, today); err != nil || a.Meeting != "居民代表会议" {
		t.Fatalf("%v %+v", err, a)
	}
	for field, bad := range map[string]Adoption{
		"adopted_on": {On: "2027-03-21", Meeting: "会", Document: "文"},
		"meeting":    {On: "2027-03-15", Document: "文"},
		"document":   {On: "2027-03-15", Meeting: "会"},
	} {
		if err := bad.Validate(p, today); errs.FieldOf(err) != field {
			t.Errorf("%+v: %v, want a refusal on %s", bad, err, field)
		}
	}
	late := Adoption{On: "2032-01-05", Meeting: "会", Document: "文"}
	if err := late.Validate(p, "2032-02-01"); errs.FieldOf(err) != "adopted_on" {
		t.Errorf("adopted after the term: %v", err)
	}

	p.Status, p.Adoption = Adopted, a
	if err := p.Editable(); errs.CodeOf(err) != errs.Conflict || !strings.Contains(errs.MessageOf(err), "2027-03-15经居民代表会议通过") {
		t.Errorf("an adopted programme edited: %v", err)
	}
	if err := p.Adoptable(0); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("adopted twice: %v", err)
	}
	if err := p.CanReport(); err != nil {
		t.Errorf("progress on an adopted programme: %v", err)
	}
}

// A late milestone says why; a state is one of the four.
func TestReport(t *testing.T) {
	r := Report{State: Done, Note: " "}
	if err := r.Validate(); err != nil || r.Note != "" {
		t.Fatal(err)
	}
	for field, bad := range map[string]Report{
		"state": {State: "half"},
		"note":  {State: Late},
	} {
		if err := bad.Validate(); errs.FieldOf(err) != field {
			t.Errorf("%+v: %v, want a refusal on %s", bad, err, field)
		}
	}
}

// Progress counts each year's milestones by state; those of a past year
// not done are overdue, whatever was reported.
func TestProgress(t *testing.T) {
	p := ready()
	p.Goals = []Goal{
		{Milestones: []Milestone{{Year: 2027, State: Done}, {Year: 2028, State: Late}, {Year: 2029}}},
		{Milestones: []Milestone{{Year: 2027, State: Underway}, {Year: 2028, State: Done}}},
	}
	years, total := p.Progress("2028-06-01")
	if len(years) != 5 || years[0].Year != 2027 {
		t.Fatalf("years: %+v", years)
	}
	if y := years[0]; y.Milestones != 2 || y.Done != 1 || y.Underway != 1 || y.Overdue != 1 {
		t.Errorf("2027: %+v", y)
	}
	if y := years[1]; y.Milestones != 2 || y.Done != 1 || y.Late != 1 || y.Overdue != 0 {
		t.Errorf("2028 (this year): %+v", y)
	}
	if y := years[2]; y.Milestones != 1 || y.NotStarted != 1 {
		t.Errorf("2029: %+v", y)
	}
	if total.Milestones != 5 || total.Done != 2 || total.Late != 1 || total.Overdue != 1 {
		t.Errorf("total: %+v", total)
	}
}

func TestReorder(t *testing.T) {
	ids := []int64{1, 2, 3, 4}
	for pos, want := range map[int][]int64{1: {3, 1, 2, 4}, 2: {1, 3, 2, 4}, 4: {1, 2, 4, 3}, 9: {1, 2, 4, 3}, 0: {3, 1, 2, 4}} {
		if got := Reorder(ids, 3, pos); !slices.Equal(got, want) {
			t.Errorf("goal 3 to place %d: %v, want %v", pos, got, want)
		}
	}
	if !slices.Equal(ids, []int64{1, 2, 3, 4}) {
		t.Error("Reorder changed its input")
	}
}

// Every code has a Chinese label, no two alike.
func TestLabels(t *testing.T) {
	seen := map[string]bool{}
	check := func(code, label string) {
		if label == "" || seen[label] {
			t.Errorf("%s: label %q", code, label)
		}
		seen[label] = true
	}
	for _, a := range Areas {
		check(string(a), a.Label())
	}
	for _, o := range Outcomes {
		check(string(o), o.Label())
	}
	for _, s := range States {
		check(string(s), s.Label())
	}
	for _, s := range Statuses {
		check(string(s), s.Label())
	}
}
