package slate_test

import (
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The notice lasts at least MinNoticeDays, both ends counted: 5 days pass,
// 4 are refused on its end.
func TestNoticeLength(t *testing.T) {
	for _, c := range []struct {
		start, end civil.Date
		field      string
	}{
		{"2026-03-01", "2026-03-05", ""},    // exactly 5 days
		{"2026-03-01", "2026-03-04", "end"}, // 4 days
		{"2026-02-26", "2026-03-02", ""},    // 5 days across a month's end
		{"2026-03-05", "2026-03-01", "end"}, // ends before it starts
		{"2026-03-01", "", "end"},
		{"2026-02-30", "2026-03-05", "start"},
	} {
		n := slate.Notice{Start: c.start, End: c.end}
		if err := n.Validate(slate.MinNoticeDays); errs.FieldOf(err) != c.field || (err == nil) != (c.field == "") {
			t.Errorf("notice %s..%s: %v; want field %q", c.start, c.end, err, c.field)
		}
	}
	if err := (slate.Notice{Start: "2026-03-01", End: "2026-03-04"}).Validate(slate.MinNoticeDays); !strings.Contains(errs.MessageOf(err), "不少于5天(现为4天)") {
		t.Errorf("the refusal does not say the length: %v", err)
	}
	n := slate.Notice{Start: "2026-03-01", End: "2026-03-05"}
	if n.Ended("2026-03-05") || !n.Ended("2026-03-06") {
		t.Errorf("a notice ends after its last day")
	}
}

// The share of 优秀 and 称职, and the appraisal's counts from 0.
func TestAppraisal(t *testing.T) {
	a := slate.Appraisal{Excellent: 20, Competent: 5, Basic: 4, Incompetent: 1}
	if a.Total() != 30 || a.GoodPercent() != "83.3%" {
		t.Errorf("appraisal %+v: total %d, share %s", a, a.Total(), a.GoodPercent())
	}
	if (slate.Appraisal{}).GoodShare() != 0 || (slate.Appraisal{}).GoodPercent() != "无测评" {
		t.Errorf("an appraisal without votes has a share")
	}
	ok := slate.Assessment{Talks: 12, Talked: "党员代表8人", Appraisal: a, Opinion: "群众基础好", Conclusion: slate.Recommend}
	for _, c := range []struct {
		name  string
		edit  func(*slate.Assessment)
		field string
	}{
		{"lawful", func(*slate.Assessment) {}, ""},
		{"0 of every grade", func(x *slate.Assessment) { x.Appraisal = slate.Appraisal{}; x.Conclusion = slate.ConclusionPending }, ""},
		{"negative grade", func(x *slate.Assessment) { x.Appraisal.Basic = -1 }, "basic"},
		{"negative talks", func(x *slate.Assessment) { x.Talks = -1 }, "talks"},
		{"talks without whom", func(x *slate.Assessment) { x.Talked = " " }, "talked"},
		{"no opinion", func(x *slate.Assessment) { x.Opinion = "  " }, "opinion"},
		{"opinion of 2000", func(x *slate.Assessment) { x.Opinion = strings.Repeat("好", 2000) }, ""},
		{"opinion of 2001", func(x *slate.Assessment) { x.Opinion = strings.Repeat("好", 2001) }, "opinion"},
		{"no conclusion", func(x *slate.Assessment) { x.Conclusion = "" }, "conclusion"},
		{"recommended without talks", func(x *slate.Assessment) { x.Talks, x.Talked = 0, "" }, "talks"},
		{"recommended without appraisal", func(x *slate.Assessment) { x.Appraisal = slate.Appraisal{} }, "excellent"},
		{"not recommended without appraisal", func(x *slate.Assessment) {
			x.Appraisal, x.Conclusion = slate.Appraisal{}, slate.NotRecommend
		}, ""},
	} {
		x := ok
		c.edit(&x)
		if err := x.Validate(); errs.FieldOf(err) != c.field || (err == nil) != (c.field == "") {
			t.Errorf("%s: %v; want field %q", c.name, err, c.field)
		}
	}
}

// A team has members with departments and a leader among them.
func TestAssessmentTeam(t *testing.T) {
	m := []slate.TeamMember{{Name: "王强", Department: "zzb"}, {Name: "李红", Department: "jwjw"}}
	for _, c := range []struct {
		team  slate.Team
		field string
	}{
		{slate.Team{Leader: "王强", Members: m}, ""},
		{slate.Team{Leader: "赵六", Members: m}, "leader"},
		{slate.Team{Leader: "", Members: m}, "leader"},
		{slate.Team{Leader: "王强"}, "members[0].name"},
		{slate.Team{Leader: "王强", Members: []slate.TeamMember{m[0], {Name: "李红"}}}, "members[1].department"},
		{slate.Team{Leader: "王强", Members: []slate.TeamMember{m[0], m[0]}}, "members[1].name"},
		{slate.Team{Leader: "王强", Members: []slate.TeamMember{m[0], {}, {Name: " "}}}, ""}, // empty rows dropped
	} {
		if err := c.team.Clean().Validate(); errs.FieldOf(err) != c.field || (err == nil) != (c.field == "") {
			t.Errorf("team %+v: %v; want field %q", c.team, err, c.field)
		}
	}
}

// The steps refuse out of order, and the stage says how far a person came.
func TestAssessmentSteps(t *testing.T) {
	recommended := &slate.Assessment{Talks: 3, Talked: "群众", Appraisal: slate.Appraisal{Excellent: 3}, Opinion: "好", Conclusion: slate.Recommend}
	approved := &slate.Decision{Approved: true, Day: "2026-03-02"}
	higher := &slate.Higher{Day: "2026-03-04", Document: "清组字〔2026〕3号"}
	notice := &slate.Notice{Start: "2026-03-05", End: "2026-03-09"}
	_, disqualified := slate.Eligible(vetting.Disqualified)

	// Approving before the assessment, or on one not recommending, is refused.
	if err := (slate.Record{}).CanDecide(); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("a decision before the assessment: %v", err)
	}
	if err := (slate.Record{Assessment: &slate.Assessment{Conclusion: slate.NotRecommend}}).CanDecide(); err == nil {
		t.Errorf("a decision on a person not recommended is allowed")
	}
	if err := (slate.Record{Assessment: recommended}).CanDecide(); err != nil {
		t.Errorf("a decision on a recommended person: %v", err)
	}
	// A person disqualified since is refused, with the reason.
	if err := (slate.Record{Reason: disqualified, Assessment: recommended}).CanDecide(); err == nil || !strings.Contains(errs.MessageOf(err), "取消参选资格") {
		t.Errorf("a disqualified person is decided on: %v", err)
	}
	if err := (slate.Record{Reason: disqualified}).CanAssess(); err == nil {
		t.Errorf("a disqualified person is assessed")
	}
	// The assessment is closed once the committee decided.
	if err := (slate.Record{Assessment: recommended, Decision: approved}).CanAssess(); err == nil {
		t.Errorf("the assessment changes after the decision")
	}
	// The higher level approves only what the committee approved, not before its meeting.
	if err := (slate.Record{Assessment: recommended}).CanApproveHigher(*higher); err == nil {
		t.Errorf("the higher level approves before the committee")
	}
	if err := (slate.Record{Assessment: recommended, Decision: &slate.Decision{Day: "2026-03-02"}}).CanApproveHigher(*higher); err == nil {
		t.Errorf("the higher level approves a person the committee rejected")
	}
	if err := (slate.Record{Assessment: recommended, Decision: approved}).CanApproveHigher(slate.Higher{Day: "2026-03-01", Document: "x"}); errs.FieldOf(err) != "day" {
		t.Errorf("an approval before the meeting: %v", err)
	}
	// The notice follows the approval.
	r := slate.Record{Assessment: recommended, Decision: approved}
	if err := r.CanNotice(*notice); err == nil {
		t.Errorf("a notice before the higher level's approval")
	}
	r.Higher = higher
	if err := r.CanNotice(slate.Notice{Start: "2026-03-03", End: "2026-03-08"}); errs.FieldOf(err) != "start" {
		t.Errorf("a notice before the approval's day: %v", err)
	}
	if err := r.CanObject(); err == nil {
		t.Errorf("an objection before the notice")
	}
	r.Notice = notice
	if err := (slate.Objection{Day: "2026-03-10", Content: "x", Result: slate.ResultPending}).Validate(*notice); errs.FieldOf(err) != "day" {
		t.Errorf("an objection after the notice: %v", err)
	}
	if err := (slate.Objection{Day: "2026-03-09", Content: "x", Result: slate.Founded}).Validate(*notice); errs.FieldOf(err) != "handling" {
		t.Errorf("a checked objection without its handling: %v", err)
	}

	for _, c := range []struct {
		name   string
		r      slate.Record
		today  civil.Date
		stage  slate.Stage
		reason string
	}{
		{"not assessed", slate.Record{}, "2026-03-20", slate.StagePending, ""},
		{"disqualified", slate.Record{Reason: disqualified, Assessment: recommended}, "2026-03-20", slate.StageFailed, "取消参选资格"},
		{"no conclusion", slate.Record{Assessment: &slate.Assessment{Conclusion: slate.ConclusionPending}}, "2026-03-20", slate.StageAssessed, ""},
		{"not recommended", slate.Record{Assessment: &slate.Assessment{Conclusion: slate.NotRecommend}}, "2026-03-20", slate.StageFailed, "不建议"},
		{"recommended", slate.Record{Assessment: recommended}, "2026-03-20", slate.StageRecommended, ""},
		{"rejected", slate.Record{Assessment: recommended, Decision: &slate.Decision{Day: "2026-03-02"}}, "2026-03-20", slate.StageFailed, "未同意"},
		{"approved", slate.Record{Assessment: recommended, Decision: approved}, "2026-03-20", slate.StageApproved, ""},
		{"higher", slate.Record{Assessment: recommended, Decision: approved, Higher: higher}, "2026-03-20", slate.StageHigher, ""},
		{"last day of the notice", slate.Record{Assessment: recommended, Decision: approved, Higher: higher, Notice: notice}, "2026-03-09", slate.StageNoticing, ""},
		{"passed", slate.Record{Assessment: recommended, Decision: approved, Higher: higher, Notice: notice}, "2026-03-10", slate.StagePassed, ""},
		{"objection unfounded", slate.Record{Assessment: recommended, Decision: approved, Higher: higher, Notice: notice,
			Objections: []slate.Objection{{Result: slate.Unfounded}, {Result: slate.PartlyFounded}}}, "2026-03-10", slate.StagePassed, ""},
		{"objection pending", slate.Record{Assessment: recommended, Decision: approved, Higher: higher, Notice: notice,
			Objections: []slate.Objection{{Result: slate.ResultPending}}}, "2026-03-10", slate.StageNoticing, "待核实"},
		{"objection founded", slate.Record{Assessment: recommended, Decision: approved, Higher: higher, Notice: notice,
			Objections: []slate.Objection{{Result: slate.Unfounded}, {Result: slate.Founded}}}, "2026-03-10", slate.StageFailed, "属实"},
	} {
		st, why := slate.StageOf(c.r, c.today)
		if st != c.stage || !strings.Contains(why, c.reason) || (st == slate.StageFailed) != (why != "" && st == slate.StageFailed) {
			t.Errorf("%s: %s %q; want %s %q", c.name, st, why, c.stage, c.reason)
		}
		if st.Label() == "未知" {
			t.Errorf("%s: stage %s has no label", c.name, st)
		}
	}
}
