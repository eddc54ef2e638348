// Package programme holds the rules of a community's five-year programme
// (5年施政纲领, issue 16 point 6): the new committee's goals, each with its
// measures and yearly milestones, built from the proposals residents made
// in the round of visits after the election (问计于民), each proposal
// adopted into a goal, merged into one or declined with a reason; the
// programme adopted by the residents' representatives (date, meeting,
// document), after which its goals and the proposals' dispositions are
// frozen and only the milestones' progress is reported, over the term. No
// SQL, no HTTP: the store reads and writes, the web layer serves.
package programme

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// Bounds of every input: the worst input is refused before any work.
const (
	TermYears       = 5    // a residents' committee's term (居民委员会每届任期五年)
	MaxTitle        = 60   // runes of the programme's title
	MaxGoalTitle    = 60   // runes of a goal's title
	MaxMeasures     = 2000 // runes of a goal's measures
	MaxMeasureLines = 30   // measures of a goal, one a line
	MaxMilestone    = 300  // runes of a milestone
	MaxNote         = 500  // runes of a disposition's reason or a progress note
	MaxMeeting      = 60   // runes of the adopting meeting's name
	MaxDocument     = 100  // runes of the adopting document's name or number
	MaxGoals        = 30   // goals of a programme
	MinYear         = 2000
	MaxYear         = 2100
)

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

// Status is where a programme stands.
type Status string

// The statuses.
const (
	Draft   Status = "draft"   // 草案: goals and dispositions may change
	Adopted Status = "adopted" // 已通过: adopted by the residents' representatives, frozen
)

// Statuses lists the statuses.
var Statuses = []Status{Draft, Adopted}

var statusLabels = map[Status]string{Draft: "草案", Adopted: "已通过"}

// Label is the status's Chinese name.
func (s Status) Label() string { return statusLabels[s] }

// Area is what a goal is about.
type Area string

// The areas.
const (
	PartyBuilding Area = "party"       // 党的建设
	Governance    Area = "governance"  // 基层治理
	Livelihood    Area = "livelihood"  // 民生服务
	Environment   Area = "environment" // 人居环境
	Safety        Area = "safety"      // 平安建设
	Economy       Area = "economy"     // 集体经济
	Culture       Area = "culture"     // 文明创建
	Other         Area = "other"       // 其他
)

// Areas lists the areas.
var Areas = []Area{PartyBuilding, Governance, Livelihood, Environment, Safety, Economy, Culture, Other}

var areaLabels = map[Area]string{PartyBuilding: "党的建设", Governance: "基层治理", Livelihood: "民生服务", Environment: "人居环境",
	Safety: "平安建设", Economy: "集体经济", Culture: "文明创建", Other: "其他"}

// Label is the area's Chinese name.
func (a Area) Label() string { return areaLabels[a] }

// Valid reports whether a is a known area.
func (a Area) Valid() bool { _, ok := areaLabels[a]; return ok }

// Outcome is what became of a proposal.
type Outcome string

// The outcomes.
const (
	Adopt   Outcome = "adopt"   // 采纳: into a goal
	Merge   Outcome = "merge"   // 合并采纳: into a goal, together with others like it
	Decline Outcome = "decline" // 不予采纳: with a reason
)

// Outcomes lists the outcomes.
var Outcomes = []Outcome{Adopt, Merge, Decline}

var outcomeLabels = map[Outcome]string{Adopt: "采纳", Merge: "合并采纳", Decline: "不予采纳"}

// Label is the outcome's Chinese name.
func (o Outcome) Label() string { return outcomeLabels[o] }

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool { _, ok := outcomeLabels[o]; return ok }

// State is how far a milestone has got, as last reported.
type State string

// The states.
const (
	NotStarted State = "not_started" // 未开始
	Underway   State = "underway"    // 推进中
	Done       State = "done"        // 已完成
	Late       State = "late"        // 滞后
)

// States lists the states.
var States = []State{NotStarted, Underway, Done, Late}

var stateLabels = map[State]string{NotStarted: "未开始", Underway: "推进中", Done: "已完成", Late: "滞后"}

// Label is the state's Chinese name.
func (s State) Label() string { return stateLabels[s] }

// Valid reports whether s is a known state.
func (s State) Valid() bool { _, ok := stateLabels[s]; return ok }

// Programme is a community's five-year programme in a cycle.
type Programme struct {
	ID        int64    `json:"id"`
	Community string   `json:"community"`
	Title     string   `json:"title"`
	StartYear int      `json:"start_year"`
	EndYear   int      `json:"end_year"`
	Status    Status   `json:"status"`
	Adoption  Adoption `json:"adoption"`
	Goals     []Goal   `json:"goals"`
	CreatedBy string   `json:"created_by"`
}

// Adoption is the residents' representatives' adoption of a programme.
type Adoption struct {
	On       civil.Date `json:"adopted_on"`
	Meeting  string     `json:"meeting"`  // e.g. 居民代表会议
	Document string     `json:"document"` // the resolution's name or number
	// File is a file of the community's archive (归档) holding the
	// resolution, 0 for none.
	File int64 `json:"archive_file_id"`
	// Filled by the store.
	FileName   string `json:"file_name"`
	FileSHA256 string `json:"file_sha256"`
	By         string `json:"adopted_by"`
}

// DefaultTerm is the term of a committee elected in year: that year and
// the four after it.
func DefaultTerm(year int) (start, end int) { return year, year + TermYears - 1 }

// DefaultTitle is the title of a programme of community name over a term.
func DefaultTitle(name string, start, end int) string {
	return name + strconv.Itoa(start) + "—" + strconv.Itoa(end) + "年五年施政纲领"
}

// YearOf is the year of day, 0 for no valid day.
func YearOf(day civil.Date) int {
	if !day.Valid() {
		return 0
	}
	y, _ := strconv.Atoi(string(day)[:4])
	return y
}

// Validate trims p's title and checks it and the term: a title, and 1 to 5
// years from start to end.
func (p *Programme) Validate() error {
	p.Title = strings.TrimSpace(p.Title)
	switch {
	case p.Title == "" || tooLong(p.Title, MaxTitle):
		return errs.OnField("title", "请填写纲领标题(不超过60字)")
	case p.StartYear < MinYear || p.StartYear > MaxYear:
		return errs.OnField("start_year", "任期起始年份应为四位年份,如 2027")
	case p.EndYear < MinYear || p.EndYear > MaxYear:
		return errs.OnField("end_year", "任期结束年份应为四位年份,如 2031")
	case p.EndYear < p.StartYear:
		return errs.OnField("end_year", "任期结束年份不能早于起始年份")
	case p.EndYear-p.StartYear >= TermYears:
		return errs.OnField("end_year", "任期最长五年")
	}
	return nil
}

// Years lists the years of the term.
func (p Programme) Years() []int {
	var out []int
	for y := p.StartYear; y <= p.EndYear && len(out) < TermYears; y++ {
		out = append(out, y)
	}
	return out
}

// Term names the term: "2027—2031年".
func (p Programme) Term() string {
	return strconv.Itoa(p.StartYear) + "—" + strconv.Itoa(p.EndYear) + "年"
}

// Covers reports whether year is within the term.
func (p Programme) Covers(year int) bool { return year >= p.StartYear && year <= p.EndYear }

// Editable refuses a change of the goals, the milestones' text or the
// dispositions of an adopted programme.
func (p Programme) Editable() error {
	if p.Status == Adopted {
		return errs.New(errs.Conflict, "施政纲领已于"+p.Adoption.On.String()+"经"+p.Adoption.Meeting+
			"通过,目标、措施、里程碑和建议的处理不能再修改;只能报告里程碑的进展")
	}
	return nil
}

// Goal is one goal of a programme, with its measures and its milestones,
// one a year at most.
type Goal struct {
	ID         int64       `json:"id"`
	Seq        int         `json:"seq"` // its place, from 1
	Title      string      `json:"title"`
	Area       Area        `json:"area"`
	Measures   string      `json:"measures"` // one measure a line
	Milestones []Milestone `json:"milestones"`
}

// Validate trims g and checks it: a title, an area and at most 30
// measures in 2,000 characters. A goal may be saved before its measures
// are known; adoption asks for them.
func (g *Goal) Validate() error {
	g.Title = strings.TrimSpace(g.Title)
	g.Measures = strings.TrimSpace(strings.ReplaceAll(g.Measures, "\r\n", "\n"))
	switch {
	case g.Title == "" || tooLong(g.Title, MaxGoalTitle):
		return errs.OnField("title", "请填写目标(不超过60字)")
	case !g.Area.Valid():
		return errs.OnField("area", "请选择目标所属领域")
	case tooLong(g.Measures, MaxMeasures):
		return errs.OnField("measures", "措施合计不超过2000字")
	case strings.Count(g.Measures, "\n") >= MaxMeasureLines:
		return errs.OnField("measures", "每个目标最多30条措施(每行一条)")
	case g.Seq < 0 || g.Seq > MaxGoals:
		return errs.OnField("seq", "目标序号应为1到30")
	}
	return nil
}

// MeasureList is the goal's measures, one a line, blank lines left out.
func (g Goal) MeasureList() []string {
	var out []string
	for _, l := range strings.Split(g.Measures, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Milestone returns the goal's milestone of year and whether it has one.
func (g Goal) Milestone(year int) (Milestone, bool) {
	for _, m := range g.Milestones {
		if m.Year == year {
			return m, true
		}
	}
	return Milestone{}, false
}

// Milestone is what a goal is to reach in one year of the term, and how far
// it has got as last reported.
type Milestone struct {
	ID         int64      `json:"id"`
	Goal       int64      `json:"goal_id"`
	Year       int        `json:"year"`
	Text       string     `json:"text"`
	State      State      `json:"state"`
	Note       string     `json:"note"`
	ReportedOn civil.Date `json:"reported_on"` // "" until first reported
	ReportedBy string     `json:"reported_by"`
}

// Validate trims m's text and checks it against the term of p: a year
// within it and a text.
func (m *Milestone) Validate(p Programme) error {
	m.Text = strings.TrimSpace(m.Text)
	switch {
	case !p.Covers(m.Year):
		return errs.OnField("year", "里程碑年份应在任期内("+p.Term()+")")
	case m.Text == "" || tooLong(m.Text, MaxMilestone):
		return errs.OnField("text", "请填写该年度的里程碑(不超过300字)")
	}
	return nil
}

// Report is a milestone's progress as reported on a day.
type Report struct {
	State State  `json:"state"`
	Note  string `json:"note"`
}

// Validate trims r and checks it: a state, and a note, which a milestone
// reported late must have.
func (r *Report) Validate() error {
	r.Note = strings.TrimSpace(r.Note)
	switch {
	case !r.State.Valid():
		return errs.OnField("state", "进展只能是未开始、推进中、已完成或滞后")
	case tooLong(r.Note, MaxNote):
		return errs.OnField("note", "进展说明不超过500字")
	case r.State == Late && r.Note == "":
		return errs.OnField("note", "滞后的里程碑请说明原因和补救措施")
	}
	return nil
}

// CanReport refuses a progress report on a programme not adopted yet.
func (p Programme) CanReport() error {
	if p.Status != Adopted {
		return errs.New(errs.Conflict, "施政纲领经居民代表会议通过后,才能报告里程碑的进展")
	}
	return nil
}

// Proposal is what residents proposed for the programme on one visit of
// the round after the election (问计于民), and what became of it.
type Proposal struct {
	Visit       int64        `json:"visit_id"`
	Day         civil.Date   `json:"visited_on"`
	Visitors    []string     `json:"visitors"`
	Target      string       `json:"target"` // the household's address or the person's name
	Text        string       `json:"text"`
	Disposition *Disposition `json:"disposition"` // nil until disposed
}

// Disposition is what became of a proposal: adopted into a goal, merged
// into one with others (the note says with what), or declined (the note
// says why).
type Disposition struct {
	Outcome Outcome `json:"outcome"`
	Goal    int64   `json:"goal_id"` // 0 when declined
	Note    string  `json:"note"`
	// Filled by the store.
	GoalTitle string     `json:"goal_title"`
	DecidedOn civil.Date `json:"decided_on"`
	DecidedBy string     `json:"decided_by"`
}

// Validate trims d's note and checks it: an outcome; a goal for a
// proposal adopted or merged, none for one declined; a note for one
// merged (with what) or declined (why).
func (d *Disposition) Validate() error {
	d.Note = strings.TrimSpace(d.Note)
	switch {
	case !d.Outcome.Valid():
		return errs.OnField("outcome", "请选择采纳、合并采纳或不予采纳")
	case d.Goal < 0:
		return errs.OnField("goal_id", "没有找到该目标")
	case d.Outcome != Decline && d.Goal == 0:
		return errs.OnField("goal_id", "请选择纳入的目标")
	case d.Outcome == Decline && d.Goal != 0:
		return errs.OnField("goal_id", "不予采纳的建议不纳入目标")
	case tooLong(d.Note, MaxNote):
		return errs.OnField("note", "说明不超过500字")
	case d.Outcome == Decline && d.Note == "":
		return errs.OnField("note", "不予采纳的建议请写明理由")
	case d.Outcome == Merge && d.Note == "":
		return errs.OnField("note", "合并采纳的建议请写明与哪些建议合并、在目标中如何体现")
	}
	return nil
}

// Validate trims a and checks it against p and today: a day not after
// today nor after the term, the meeting and the document.
func (a *Adoption) Validate(p Programme, today civil.Date) error {
	a.Meeting, a.Document = strings.TrimSpace(a.Meeting), strings.TrimSpace(a.Document)
	switch {
	case !a.On.Valid():
		return errs.OnField("adopted_on", "通过日期应为日期,如 2027-03-15")
	case a.On > today:
		return errs.OnField("adopted_on", "通过日期不能晚于今天")
	case YearOf(a.On) > p.EndYear:
		return errs.OnField("adopted_on", "通过日期不能晚于任期("+p.Term()+")")
	case a.Meeting == "" || tooLong(a.Meeting, MaxMeeting):
		return errs.OnField("meeting", "请填写通过纲领的会议,如 居民代表会议(不超过60字)")
	case a.Document == "" || tooLong(a.Document, MaxDocument):
		return errs.OnField("document", "请填写决议文件名称或文号(不超过100字)")
	case a.File < 0:
		return errs.OnField("archive_file_id", "没有找到该档案文件")
	}
	return nil
}

// Adoptable checks that p may be adopted with pending proposals still
// without a disposition: a draft, every proposal disposed, at least one
// goal, each with at least one measure and one milestone.
func (p Programme) Adoptable(pending int) error {
	if err := p.Editable(); err != nil {
		return err
	}
	switch {
	case pending > 0:
		return errs.Newf(errs.Unprocessable, "还有 %d 条问计于民的建议没有处理(采纳、合并采纳或不予采纳),处理完后才能通过", pending)
	case len(p.Goals) == 0:
		return errs.New(errs.Unprocessable, "纲领还没有目标,至少要有一个目标才能通过")
	}
	for _, g := range p.Goals {
		switch {
		case len(g.MeasureList()) == 0:
			return errs.New(errs.Unprocessable, "目标“"+g.Title+"”还没有措施,每个目标至少要有一条措施")
		case len(g.Milestones) == 0:
			return errs.New(errs.Unprocessable, "目标“"+g.Title+"”还没有年度里程碑,每个目标至少要有一个里程碑")
		}
	}
	return nil
}

// Reorder moves the goal id to place pos (from 1; past the end is the
// end) of the goals ids in their order, and returns the new order.
func Reorder(ids []int64, id int64, pos int) []int64 {
	out := slices.DeleteFunc(slices.Clone(ids), func(x int64) bool { return x == id })
	pos = min(max(pos, 1), len(out)+1)
	return slices.Insert(out, pos-1, id)
}

// YearProgress counts the milestones of one year of the term (or of all,
// Year 0) by their last reported state. Overdue are those of a year
// already past that are not done, whatever was reported.
type YearProgress struct {
	Year       int `json:"year"`
	Milestones int `json:"milestones"`
	NotStarted int `json:"not_started"`
	Underway   int `json:"underway"`
	Done       int `json:"done"`
	Late       int `json:"late"`
	Overdue    int `json:"overdue"`
}

// Progress is the progress of p's milestones per year of the term, and
// over all of it, on day today.
func (p Programme) Progress(today civil.Date) (years []YearProgress, total YearProgress) {
	now := YearOf(today)
	at := map[int]int{}
	for _, y := range p.Years() {
		at[y] = len(years)
		years = append(years, YearProgress{Year: y})
	}
	for _, g := range p.Goals {
		for _, m := range g.Milestones {
			i, ok := at[m.Year]
			if !ok {
				continue
			}
			for _, c := range []*YearProgress{&years[i], &total} {
				c.Milestones++
				switch m.State {
				case Underway:
					c.Underway++
				case Done:
					c.Done++
				case Late:
					c.Late++
				default:
					c.NotStarted++
				}
				if m.Year < now && m.State != Done {
					c.Overdue++
				}
			}
		}
	}
	return years, total
}
