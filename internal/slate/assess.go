package slate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// Candidate assessment (考察) and the 预备人选 (issue 14, point 4): for each
// 初步人选 of a community, the assessment team's talks, the democratic
// appraisal, its written opinion and conclusion; then the party
// committee's decision, the higher level's approval (上级审查同意) and the
// public notice (公示) with its objections. The order is the common
// practice of rules.md §2 ("候选人预备人选 报上级审查同意 → 公示"); each step
// refuses out of order, and only a person slate.Eligible may take one.

// MinNoticeDays is the shortest public notice of the 预备人选, in days
// counted with both ends (a notice from the 1st to the 5th lasts 5 days).
// rules.md marks the length UNCONFIRMED (§3.5 posts the formal list 5 days
// before the vote, §3.1 gives the voter list a 5-day objection window); 5
// is the common practice until the office confirms its own.
const MinNoticeDays = 5

// Text limits of the assessment's records, in characters.
const (
	MaxOpinion  = 2000 // the team's written opinion
	maxText     = 1000 // a note, an objection and its handling
	maxTalked   = 500  // who was talked to
	maxName     = 30   // a team member's name
	maxDocument = 60   // the higher level's document number
	maxMembers  = 30   // members of an assessment team
	maxCount    = 99999
)

// TeamMember is a member of a community's assessment team (考察组), from
// one of the vetting departments (by its code).
type TeamMember struct {
	Name       string `json:"name"`
	Department string `json:"department"`
}

// Team is a community's assessment team: its members and the one who
// leads it, who is one of them.
type Team struct {
	Leader  string       `json:"leader"`
	Members []TeamMember `json:"members"`
}

// Clean trims the team's text and drops empty rows.
func (t Team) Clean() Team {
	out := Team{Leader: strings.TrimSpace(t.Leader), Members: []TeamMember{}}
	for _, m := range t.Members {
		m.Name, m.Department = strings.TrimSpace(m.Name), strings.TrimSpace(m.Department)
		if m.Name != "" || m.Department != "" {
			out.Members = append(out.Members, m)
		}
	}
	return out
}

// Validate checks a cleaned team: at least one member, each named with a
// department, no name twice, and a leader among them. Departments are
// checked against the store's list by the store.
func (t Team) Validate() error {
	if len(t.Members) == 0 {
		return errs.OnField("members[0].name", "请填写考察组成员")
	}
	if len(t.Members) > maxMembers {
		return errs.OnField("members", "考察组成员不超过"+strconv.Itoa(maxMembers)+"人")
	}
	seen := map[string]bool{}
	for i, m := range t.Members {
		row := fmt.Sprintf("members[%d].", i)
		switch {
		case m.Name == "" || len([]rune(m.Name)) > maxName:
			return errs.OnField(row+"name", fmt.Sprintf("第%d行:请填写成员姓名(不超过%d字)", i+1, maxName))
		case m.Department == "":
			return errs.OnField(row+"department", fmt.Sprintf("第%d行:请选择成员所在部门", i+1))
		case seen[m.Name]:
			return errs.OnField(row+"name", fmt.Sprintf("第%d行:%s 已在考察组中", i+1, m.Name))
		}
		seen[m.Name] = true
	}
	if t.Leader == "" {
		return errs.OnField("leader", "请填写考察组组长")
	}
	if !seen[t.Leader] {
		return errs.OnField("leader", "组长须为考察组成员")
	}
	return nil
}

// Conclusion is the assessment team's conclusion on a person.
type Conclusion string

// The conclusions. Pending lets the team record talks and the appraisal
// before it concludes.
const (
	ConclusionPending Conclusion = "pending"       // 尚未得出结论
	Recommend         Conclusion = "recommend"     // 建议作为预备人选
	NotRecommend      Conclusion = "not_recommend" // 不建议作为预备人选
)

// Conclusions lists them in the form's order.
var Conclusions = []Conclusion{ConclusionPending, Recommend, NotRecommend}

// Label is the conclusion's Chinese name.
func (c Conclusion) Label() string {
	switch c {
	case ConclusionPending:
		return "尚未得出结论"
	case Recommend:
		return "建议作为预备人选"
	case NotRecommend:
		return "不建议作为预备人选"
	}
	return "未知结论"
}

// Appraisal is the democratic appraisal (民主测评): the votes of each grade.
type Appraisal struct {
	Excellent   int `json:"excellent"`   // 优秀
	Competent   int `json:"competent"`   // 称职
	Basic       int `json:"basic"`       // 基本称职
	Incompetent int `json:"incompetent"` // 不称职
}

// Total is the number of votes.
func (a Appraisal) Total() int { return a.Excellent + a.Competent + a.Basic + a.Incompetent }

// GoodShare is the share of 优秀 and 称职 among the votes, 0 with none.
func (a Appraisal) GoodShare() float64 {
	if a.Total() == 0 {
		return 0
	}
	return float64(a.Excellent+a.Competent) / float64(a.Total())
}

// GoodPercent is GoodShare written as a percentage with one decimal,
// "无测评" with no votes.
func (a Appraisal) GoodPercent() string {
	if a.Total() == 0 {
		return "无测评"
	}
	return strconv.FormatFloat(a.GoodShare()*100, 'f', 1, 64) + "%"
}

// Assessment is what the team records on one person.
type Assessment struct {
	Talks      int        `json:"talks"`  // individual talks held
	Talked     string     `json:"talked"` // who was talked to
	Appraisal  Appraisal  `json:"appraisal"`
	Opinion    string     `json:"opinion"`
	Conclusion Conclusion `json:"conclusion"`
}

// Validate checks an assessment: counts from 0, who was talked to named
// when talks were held, the opinion written, a known conclusion; and a
// recommendation rests on at least one talk and an appraisal.
func (a Assessment) Validate() error {
	for _, f := range []struct {
		field string
		n     int
	}{{"talks", a.Talks}, {"excellent", a.Appraisal.Excellent}, {"competent", a.Appraisal.Competent},
		{"basic", a.Appraisal.Basic}, {"incompetent", a.Appraisal.Incompetent}} {
		if f.n < 0 || f.n > maxCount {
			return errs.OnField(f.field, "人数须在0到"+strconv.Itoa(maxCount)+"之间")
		}
	}
	switch {
	case a.Talks > 0 && strings.TrimSpace(a.Talked) == "":
		return errs.OnField("talked", "请填写个别谈话的对象")
	case len([]rune(a.Talked)) > maxTalked:
		return errs.OnField("talked", "谈话对象不超过"+strconv.Itoa(maxTalked)+"字")
	case strings.TrimSpace(a.Opinion) == "":
		return errs.OnField("opinion", "请填写考察组的书面意见")
	case len([]rune(a.Opinion)) > MaxOpinion:
		return errs.OnField("opinion", "考察意见不超过"+strconv.Itoa(MaxOpinion)+"字(现为"+strconv.Itoa(len([]rune(a.Opinion)))+"字)")
	}
	switch a.Conclusion {
	case ConclusionPending, NotRecommend:
	case Recommend:
		if a.Talks == 0 {
			return errs.OnField("talks", "建议作为预备人选前须开展个别谈话")
		}
		if a.Appraisal.Total() == 0 {
			return errs.OnField("excellent", "建议作为预备人选前须进行民主测评")
		}
	default:
		return errs.OnField("conclusion", "请选择考察结论")
	}
	return nil
}

// Decision is the party committee's decision on a recommended person.
type Decision struct {
	Approved bool       `json:"approved"`
	Day      civil.Date `json:"day"` // the meeting's day
	Note     string     `json:"note"`
}

// Validate checks a decision: a real meeting day, a short note.
func (d Decision) Validate() error {
	if !d.Day.Valid() {
		return errs.OnField("day", "请填写党委会议日期(年-月-日)")
	}
	if len([]rune(d.Note)) > maxText {
		return errs.OnField("note", "说明不超过"+strconv.Itoa(maxText)+"字")
	}
	return nil
}

// Higher is the higher level's approval (上级审查同意) of the 预备人选.
type Higher struct {
	Day      civil.Date `json:"day"`
	Document string     `json:"document"` // 文号
}

// Validate checks an approval: both the day and the document number.
func (h Higher) Validate() error {
	if !h.Day.Valid() {
		return errs.OnField("day", "请填写上级审查同意的日期(年-月-日)")
	}
	if d := strings.TrimSpace(h.Document); d == "" || len([]rune(d)) > maxDocument {
		return errs.OnField("document", "请填写上级批复的文号(不超过"+strconv.Itoa(maxDocument)+"字)")
	}
	return nil
}

// Notice is the public notice (公示) of a 预备人选, from Start to End, both
// days included.
type Notice struct {
	Start civil.Date `json:"start"`
	End   civil.Date `json:"end"`
}

// Days is how long the notice lasts, both ends counted.
func (n Notice) Days() int {
	return int(n.End.Start().Sub(n.Start.Start()).Hours()/24+0.5) + 1
}

// Ended reports whether the notice is over on day today: after its end.
func (n Notice) Ended(today civil.Date) bool { return today > n.End }

// Validate checks a notice: real days, the end not before the start, at
// least min days long (MinNoticeDays unless the office set another).
func (n Notice) Validate(min int) error {
	switch {
	case !n.Start.Valid():
		return errs.OnField("start", "请填写公示开始日期(年-月-日)")
	case !n.End.Valid():
		return errs.OnField("end", "请填写公示结束日期(年-月-日)")
	case n.End < n.Start:
		return errs.OnField("end", "公示结束日期不能早于开始日期")
	case n.Days() < min:
		return errs.OnField("end", fmt.Sprintf("公示期不少于%d天(现为%d天)", min, n.Days()))
	}
	return nil
}

// Result is what checking an objection found.
type Result string

// The findings. Pending is an objection not yet checked.
const (
	ResultPending Result = "pending"   // 待核实
	Founded       Result = "founded"   // 属实
	Unfounded     Result = "unfounded" // 不属实
	PartlyFounded Result = "partly"    // 部分属实
)

// Results lists them in the form's order.
var Results = []Result{ResultPending, Founded, Unfounded, PartlyFounded}

// Label is the result's Chinese name.
func (f Result) Label() string {
	switch f {
	case ResultPending:
		return "待核实"
	case Founded:
		return "属实"
	case Unfounded:
		return "不属实"
	case PartlyFounded:
		return "部分属实"
	}
	return "未知"
}

// Objection is one objection received during the notice and its handling.
// Only one found 属实 keeps the person from passing; one 部分属实 is
// recorded with how it was handled and does not by itself.
type Objection struct {
	ID       int64      `json:"id"`
	Day      civil.Date `json:"day"`
	Content  string     `json:"content"`
	Handling string     `json:"handling"`
	Result   Result     `json:"result"`
}

// Validate checks an objection against the notice it was received in.
func (o Objection) Validate(n Notice) error {
	switch {
	case !o.Day.Valid():
		return errs.OnField("day", "请填写收到异议的日期(年-月-日)")
	case o.Day < n.Start || o.Day > n.End:
		return errs.OnField("day", "异议须在公示期内收到("+string(n.Start)+"至"+string(n.End)+")")
	case strings.TrimSpace(o.Content) == "" || len([]rune(o.Content)) > maxText:
		return errs.OnField("content", "请填写异议内容(不超过"+strconv.Itoa(maxText)+"字)")
	case len([]rune(o.Handling)) > maxText:
		return errs.OnField("handling", "处理情况不超过"+strconv.Itoa(maxText)+"字")
	}
	switch o.Result {
	case ResultPending:
	case Founded, Unfounded, PartlyFounded:
		if strings.TrimSpace(o.Handling) == "" {
			return errs.OnField("handling", "核实后请填写处理情况")
		}
	default:
		return errs.OnField("result", "请选择核实结果")
	}
	return nil
}

// Record is one person's way through the steps so far: nil for a step not
// taken. Reason is why the person is not eligible (slate.Eligible), ""
// when eligible.
type Record struct {
	Reason     string
	Assessment *Assessment
	Decision   *Decision
	Higher     *Higher
	Notice     *Notice
	Objections []Objection
}

// CanAssess: the team may record or change its assessment of an eligible
// person until the party committee decides.
func (r Record) CanAssess() error {
	if r.Reason != "" {
		return errs.New(errs.Conflict, r.Reason)
	}
	if r.Decision != nil {
		return errs.New(errs.Conflict, "党委已研究决定,考察记录不能再修改")
	}
	return nil
}

// CanDecide: the party committee decides on a person the team recommended
// who is still eligible, and may change its decision until the higher
// level approved.
func (r Record) CanDecide() error {
	switch {
	case r.Reason != "":
		return errs.New(errs.Conflict, "资格状态已变更:"+r.Reason)
	case r.Assessment == nil:
		return errs.New(errs.Conflict, "尚未考察,不能研究确定预备人选")
	case r.Assessment.Conclusion != Recommend:
		return errs.New(errs.Conflict, "考察结论为“"+r.Assessment.Conclusion.Label()+"”,不能研究确定为预备人选")
	case r.Higher != nil:
		return errs.New(errs.Conflict, "已报上级审查同意,党委决定不能再修改")
	}
	return nil
}

// CanApproveHigher: the higher level's approval follows the committee's
// approval, on or after its meeting day, until the notice is set.
func (r Record) CanApproveHigher(h Higher) error {
	switch {
	case r.Reason != "":
		return errs.New(errs.Conflict, "资格状态已变更:"+r.Reason)
	case r.Decision == nil:
		return errs.New(errs.Conflict, "党委尚未研究,不能登记上级审查同意")
	case !r.Decision.Approved:
		return errs.New(errs.Conflict, "党委研究未同意作为预备人选,不能报上级审查")
	case r.Notice != nil:
		return errs.New(errs.Conflict, "已开始公示,上级审查记录不能再修改")
	case h.Day < r.Decision.Day:
		return errs.OnField("day", "上级审查同意日期不能早于党委会议日期("+string(r.Decision.Day)+")")
	}
	return nil
}

// CanNotice: the notice follows the higher level's approval, starting on
// or after its day; its days may change until an objection is recorded.
func (r Record) CanNotice(n Notice) error {
	switch {
	case r.Reason != "":
		return errs.New(errs.Conflict, "资格状态已变更:"+r.Reason)
	case r.Higher == nil:
		return errs.New(errs.Conflict, "上级尚未审查同意,不能公示")
	case len(r.Objections) > 0:
		return errs.New(errs.Conflict, "公示期间已登记异议,公示日期不能再修改")
	case n.Start < r.Higher.Day:
		return errs.OnField("start", "公示开始日期不能早于上级审查同意日期("+string(r.Higher.Day)+")")
	}
	return nil
}

// CanObject: objections are recorded once the notice is set.
func (r Record) CanObject() error {
	if r.Notice == nil {
		return errs.New(errs.Conflict, "尚未公示,不能登记异议")
	}
	return nil
}

// Stage is how far a person has come in the steps.
type Stage string

// The stages, in order; Failed ends the way, with a reason.
const (
	StagePending     Stage = "pending"  // 未考察
	StageAssessed    Stage = "assessed" // 已考察,尚无结论
	StageRecommended Stage = "recommended"
	StageApproved    Stage = "committee_approved"
	StageHigher      Stage = "higher_approved"
	StageNoticing    Stage = "noticing"
	StagePassed      Stage = "passed" // 公示通过: a 预备人选 for the formal list
	StageFailed      Stage = "failed"
)

const (
	founded           = "公示期间异议经核实属实,不能通过公示"
	pendingObjections = "公示期间的异议尚待核实"
)

// Label is the stage's Chinese name.
func (s Stage) Label() string {
	switch s {
	case StagePending:
		return "未考察"
	case StageAssessed:
		return "已考察,尚无结论"
	case StageRecommended:
		return "考察组建议,待党委研究"
	case StageApproved:
		return "党委同意,待上级审查"
	case StageHigher:
		return "上级已同意,待公示"
	case StageNoticing:
		return "公示中"
	case StagePassed:
		return "公示通过"
	case StageFailed:
		return "未通过"
	}
	return "未知"
}

// StageOf is where r stands on day today, with why when it failed (or what
// it waits for in the notice).
func StageOf(r Record, today civil.Date) (Stage, string) {
	switch {
	case r.Reason != "":
		return StageFailed, r.Reason
	case r.Assessment == nil:
		return StagePending, ""
	case r.Assessment.Conclusion == NotRecommend:
		return StageFailed, "考察组不建议作为预备人选"
	case r.Assessment.Conclusion != Recommend:
		return StageAssessed, ""
	case r.Decision == nil:
		return StageRecommended, ""
	case !r.Decision.Approved:
		return StageFailed, "党委研究未同意作为预备人选"
	case r.Higher == nil:
		return StageApproved, ""
	case r.Notice == nil:
		return StageHigher, ""
	}
	pending := false
	for _, o := range r.Objections {
		switch o.Result {
		case Founded:
			return StageFailed, founded
		case ResultPending:
			pending = true
		}
	}
	switch {
	case !r.Notice.Ended(today):
		return StageNoticing, "公示至" + string(r.Notice.End)
	case pending:
		return StageNoticing, pendingObjections
	}
	return StagePassed, ""
}
