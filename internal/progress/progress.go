// Package progress holds the procedural stages of the two elections (进度表):
// the default templates with their deadlines relative to the election day,
// the rule that a stage cannot be marked done before the stages it depends
// on, and the state of each community's stage on a day. No SQL, no HTTP.
package progress

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// Election is which of the two elections a stage belongs to.
type Election string

// The two elections of a community's re-election.
const (
	Party     Election = "party"     // 社区党组织
	Residents Election = "residents" // 居民委员会
)

// Label is the election's Chinese name.
func (e Election) Label() string {
	switch e {
	case Party:
		return "党组织换届"
	case Residents:
		return "居委会换届"
	}
	return string(e)
}

// Elections lists the two elections.
var Elections = []Election{Party, Residents}

// Valid reports a known election.
func (e Election) Valid() bool { return e == Party || e == Residents }

// Stage is one step of an election with its deadline relative to the
// election day (negative: before it) and the stages that must be done first.
type Stage struct {
	Code       string   `json:"code"`
	Election   Election `json:"election"`
	Name       string   `json:"name"`
	Sort       int      `json:"sort"`
	OffsetDays int      `json:"offset_days"`
	DependsOn  []string `json:"depends_on"`
}

// Deadline is the stage's last day for a community's election days: its
// offset counted from the day of its own election.
func (s Stage) Deadline(days Days) civil.Date {
	return days.For(s.Election).AddDays(s.OffsetDays)
}

// Days are a community's two election days: the party organisation votes
// first, then the residents' committee (先党内后党外).
type Days struct {
	Party     civil.Date `json:"party"`
	Residents civil.Date `json:"residents"`
}

// For is the day of election e.
func (d Days) For(e Election) civil.Date {
	if e == Party {
		return d.Party
	}
	return d.Residents
}

// DefaultElectionDay is the residents' vote deadlines count from while
// neither the community nor the cycle has one. It is fixed, not "today plus
// so many days", so that deadlines do not move and late stages stay late.
const DefaultElectionDay civil.Date = "2027-01-16"

// PartyLead is how many days before its residents' vote a community's party
// organisation votes while no party day is set (the seed finished the party
// elections about a month before the residents' ones).
const PartyLead = 28

// Resolve is a community's election days: its own where set, else the
// cycle's, else DefaultElectionDay for the residents' vote and PartyLead
// days before the residents' vote for the party's.
func Resolve(own, cycle Days) Days {
	pick := func(days ...civil.Date) civil.Date {
		for _, d := range days {
			if d.Valid() {
				return d
			}
		}
		return ""
	}
	out := Days{Residents: pick(own.Residents, cycle.Residents, DefaultElectionDay)}
	out.Party = pick(own.Party, cycle.Party, out.Residents.AddDays(-PartyLead))
	return out
}

// CheckDays refuses a pair of election days that a community cannot hold:
// a day that is not a date, or the residents' vote before the party's.
func CheckDays(d Days) error {
	if !d.Party.Valid() {
		return errs.OnField("party_day", "党组织选举日不是有效日期,格式如 2027-01-09")
	}
	if !d.Residents.Valid() {
		return errs.OnField("residents_day", "居委会选举日不是有效日期,格式如 2027-01-16")
	}
	if d.Residents < d.Party {
		return errs.OnField("residents_day", "居委会选举日("+d.Residents.String()+")不能早于党组织选举日("+
			d.Party.String()+"):先党内后党外")
	}
	return nil
}

// DueWithin is how many days before its deadline an open stage is "due".
const DueWithin = 7

// Defaults are the stage templates a cycle uses until the office edits
// them. A residents' stage counts from the residents' vote; the party
// organisation elects first (先党内后党外), and its stages count from its own
// vote. Order and the party steps follow
// reference/rules.md §2 (common practice); the residents' numbers are the
// law's: voter list at least 20 days before, candidates at least 5 days
// before, handover within 10 days. The third gate's steps (两推, 考察, the
// higher level's review, the notice, the formal list) are stages of their own.
func Defaults() []Stage {
	return []Stage{
		{"party_request", Party, "换届请示", 10, -47, nil},
		{"party_reply", Party, "上级批复", 20, -37, []string{"party_request"}},
		{"party_nominate", Party, "两推(党员推荐、群众推荐)", 30, -27, []string{"party_reply"}},
		{"party_vetting", Party, "资格联审", 40, -17, []string{"party_nominate"}},
		{"party_assess", Party, "组织考察", 45, -13, []string{"party_vetting"}},
		{"party_review", Party, "候选人预备人选报上级审查", 50, -10, []string{"party_assess"}},
		{"party_publicity", Party, "候选人预备人选公示", 60, -5, []string{"party_review"}},
		{"party_formal", Party, "确定正式候选人", 65, -1, []string{"party_publicity"}},
		{"party_congress", Party, "党员大会选举", 70, 0, []string{"party_formal"}},
		{"party_approval", Party, "选举结果报上级批准", 80, 7, []string{"party_congress"}},
		{"party_handover", Party, "党组织交接归档", 90, 14, []string{"party_approval"}},
		{"res_committee", Residents, "推选选举委员会", 110, -30, nil},
		{"res_voters", Residents, "选民登记及名单公布", 120, -20, []string{"res_committee"}},
		{"res_nominate", Residents, "提名候选人", 130, -12, []string{"res_voters"}},
		{"res_assess", Residents, "候选人考察", 135, -8, []string{"res_nominate"}},
		{"res_candidates", Residents, "正式候选人名单公布", 140, -5, []string{"res_assess"}},
		{"res_vote", Residents, "投票选举", 150, 0, []string{"res_candidates"}},
		{"res_results", Residents, "公布选举结果", 160, 0, []string{"res_vote"}},
		{"res_handover", Residents, "工作交接", 170, 10, []string{"res_results"}},
	}
}

var codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Validate checks a cycle's templates: codes unique and well formed, known
// elections, names given, offsets within a year, dependencies on existing
// stages without a cycle. A dependency may name its stage by code or by
// name (as the page shows it): names become codes. The stages are then
// sorted by Sort.
func Validate(stages []Stage) error {
	if len(stages) == 0 {
		return errs.OnField("stages", "至少需要一个环节")
	}
	if len(stages) > 60 {
		return errs.OnField("stages", "环节不能超过60个")
	}
	byCode := map[string]Stage{}
	for i, s := range stages {
		field := fmt.Sprintf("stages[%d]", i)
		if !codePattern.MatchString(s.Code) {
			return errs.OnField(field+".code", "环节编码“"+s.Code+"”无效:只能用小写字母、数字和下划线,以字母开头")
		}
		if _, dup := byCode[s.Code]; dup {
			return errs.OnField(field+".code", "环节编码“"+s.Code+"”重复")
		}
		if !s.Election.Valid() {
			return errs.OnField(field+".election", "选举只能是"+Party.Label()+"或"+Residents.Label())
		}
		if strings.TrimSpace(s.Name) == "" || len([]rune(s.Name)) > 40 {
			return errs.OnField(field+".name", "请填写环节名称(不超过40字)")
		}
		if s.OffsetDays < -365 || s.OffsetDays > 365 {
			return errs.OnField(field+".offset_days", "期限须在选举日前后365天以内")
		}
		byCode[s.Code] = s
	}
	byName := map[string]string{}
	for _, s := range stages {
		byName[s.Name] = s.Code
	}
	for i, s := range stages {
		for j, d := range s.DependsOn {
			if _, ok := byCode[d]; !ok && byName[d] != "" {
				d = byName[d] // named as the page shows it
				s.DependsOn[j] = d
			}
			if _, ok := byCode[d]; !ok {
				return errs.OnField(fmt.Sprintf("stages[%d].depends_on", i), "“"+s.Name+"”依赖的环节“"+d+"”不存在")
			}
			if d == s.Code {
				return errs.OnField(fmt.Sprintf("stages[%d].depends_on", i), "“"+s.Name+"”不能依赖自己")
			}
		}
	}
	// A cycle of dependencies would make its stages impossible to mark.
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(code string) error
	visit = func(code string) error {
		switch state[code] {
		case 1:
			return errs.OnField("stages", "环节依赖关系出现循环(涉及“"+byCode[code].Name+"”)")
		case 2:
			return nil
		}
		state[code] = 1
		for _, d := range byCode[code].DependsOn {
			if err := visit(d); err != nil {
				return err
			}
		}
		state[code] = 2
		return nil
	}
	for _, s := range stages {
		if err := visit(s.Code); err != nil {
			return err
		}
	}
	SortStages(stages)
	return nil
}

// SortStages orders stages by Sort, then code.
func SortStages(stages []Stage) {
	slices.SortStableFunc(stages, func(a, b Stage) int {
		if a.Sort != b.Sort {
			return a.Sort - b.Sort
		}
		return strings.Compare(a.Code, b.Code)
	})
}

// Find returns the stage with code.
func Find(stages []Stage, code string) (Stage, bool) {
	for _, s := range stages {
		if s.Code == code {
			return s, true
		}
	}
	return Stage{}, false
}

// CheckMark says whether a community may mark stage done on day doneOn
// (YYYY-MM-DD), given the days its other stages were done (code → day) and
// today: the stage must exist, the day be a real day not after today, every
// stage it depends on be done, and not later than this one.
func CheckMark(stages []Stage, done map[string]civil.Date, code string, doneOn, today civil.Date) error {
	s, ok := Find(stages, code)
	if !ok {
		return errs.New(errs.NotFound, "没有找到该环节")
	}
	if !doneOn.Valid() {
		return errs.OnField("done_on", "完成日期格式应为 2026-03-01")
	}
	if doneOn > today {
		return errs.OnField("done_on", "完成日期不能晚于今天")
	}
	var missing, later []string
	for _, dep := range s.DependsOn {
		name := dep
		if ds, ok := Find(stages, dep); ok {
			name = ds.Name
		}
		day, ok := done[dep]
		switch {
		case !ok:
			missing = append(missing, "“"+name+"”")
		case day > doneOn:
			later = append(later, "“"+name+"”("+day.String()+")")
		}
	}
	if len(missing) > 0 {
		return errs.New(errs.Unprocessable, "“"+s.Name+"”依赖的环节"+strings.Join(missing, "、")+"尚未完成,不能标记完成")
	}
	if len(later) > 0 {
		return errs.OnField("done_on", "“"+s.Name+"”的完成日期不能早于其依赖环节"+strings.Join(later, "、")+"的完成日期")
	}
	return nil
}

// CheckUnmark says whether a community may take back the mark of stage
// code: not while a stage that depends on it is done.
func CheckUnmark(stages []Stage, done map[string]civil.Date, code string) error {
	s, ok := Find(stages, code)
	if !ok {
		return errs.New(errs.NotFound, "没有找到该环节")
	}
	if _, ok := done[code]; !ok {
		return errs.New(errs.Unprocessable, "“"+s.Name+"”尚未标记完成")
	}
	var after []string
	for _, o := range stages {
		if _, ok := done[o.Code]; ok && slices.Contains(o.DependsOn, code) {
			after = append(after, "“"+o.Name+"”")
		}
	}
	if len(after) > 0 {
		return errs.New(errs.Unprocessable, "依赖“"+s.Name+"”的环节"+strings.Join(after, "、")+"已完成,请先撤销它们")
	}
	return nil
}

// State is the state of one community's stage on a day.
type State string

// The states, as the progress table colours them.
const (
	Done       State = "done"        // 已完成
	Due        State = "due"         // 临期: open, deadline within DueWithin days
	Late       State = "late"        // 逾期: open, deadline passed
	NotStarted State = "not_started" // 未开始: open, deadline further away
)

// States lists the states a stage may be in.
var States = []State{Done, Due, Late, NotStarted}

// Label is the state's Chinese name.
func (s State) Label() string {
	return map[State]string{Done: "已完成", Due: "临期", Late: "逾期", NotStarted: "未开始"}[s]
}

// StateOf is a stage's state: done when doneOn is set; otherwise late after
// the deadline, due within DueWithin days of it, not started before.
func StateOf(deadline, today, doneOn civil.Date) State {
	if doneOn != "" {
		return Done
	}
	switch {
	case today > deadline:
		return Late
	case deadline <= today.AddDays(DueWithin):
		return Due
	}
	return NotStarted
}

// Summary counts a community's stages by state.
type Summary struct {
	Done, Due, Late, NotStarted, Total int
}

// Share is the share of stages done, 0..1.
func (s Summary) Share() float64 {
	if s.Total == 0 {
		return 0
	}
	return float64(s.Done) / float64(s.Total)
}

// Summarise counts the states of one community's stages.
func Summarise(stages []Stage, days Days, today civil.Date, done map[string]civil.Date) Summary {
	var sum Summary
	for _, s := range stages {
		switch StateOf(s.Deadline(days), today, done[s.Code]) {
		case Done:
			sum.Done++
		case Due:
			sum.Due++
		case Late:
			sum.Late++
		default:
			sum.NotStarted++
		}
		sum.Total++
	}
	return sum
}
