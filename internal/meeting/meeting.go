// Package meeting is the daily meeting (工作例会) of the three ones: an agenda
// generated from the day's data, attendance, minutes and decisions, each of
// which becomes a ledger item with an owner and a due day. It holds plain
// types and rules only: no SQL, no HTTP.
package meeting

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// Agenda is what the day's meeting goes through, generated from the data
// and kept with the meeting as it was on the day. Every line names the code
// of its community, so that a reader of a meeting above its own scope is
// shown only the lines about its communities (Only).
type Agenda struct {
	Day        civil.Date     `json:"day"`
	Decisions  []DecisionLine `json:"decisions"`   // the previous meeting's decisions and where they stand
	Due        []ItemLine     `json:"due"`         // ledger items due today or overdue
	Warnings   []WarningLine  `json:"warnings"`    // class changes and new warnings since the day before
	Tips       []TipLine      `json:"tips"`        // tips received since the day before
	LateStages []StageLine    `json:"late_stages"` // election stages past their deadline and not done
	Targets    []TargetLine   `json:"targets"`     // communities whose predicted slate misses a hard structure target
	// The elections (issue 15, point 9).
	Votes     []VoteLine     `json:"votes"`     // ballots held today
	Counts    []CountLine    `json:"counts"`    // counts awaiting a clerk's second entry or the coordinator
	Voids     []VoidLine     `json:"voids"`     // void elections with their re-run day, the late first
	Handovers []HandoverLine `json:"handovers"` // handovers past their due day
	Reports   []ReportLine   `json:"reports"`   // confirmed ballots whose result report is not filed
	// The visits (issue 16, point 4): communities short of their round's
	// targets near or past the round's end day.
	Coverage []CoverageLine `json:"coverage"`
	// Capped names the sections cut at SectionMax lines (their keys:
	// "late_stages", "warnings"); the progress table and the warning list
	// hold the rest.
	Capped []string `json:"capped,omitempty"`
}

// SectionMax is how many lines an agenda keeps of a section that grows
// with the zone (the late stages, the class changes): a zone of 100,000
// communities four stages late would list 400,000.
const SectionMax = 200

// Cut reports whether section (its JSON key) was cut at SectionMax lines.
func (a Agenda) Cut(section string) bool { return slices.Contains(a.Capped, section) }

// MaxLines is SectionMax, for the pages.
func (Agenda) MaxLines() int { return SectionMax }

// CoverageLine is a community short of its round's visit targets within
// a week of the round's end day or after it: households reached against
// the register and the target, talks still owed under 全谈. Its words and
// figures are kept as the day's agenda said them.
type CoverageLine struct {
	Code       string     `json:"code,omitempty"` // of the community
	Community  string     `json:"community"`
	Round      string     `json:"round"`      // the round's code, for links
	RoundName  string     `json:"round_name"` // 选举前调研走访
	Households int        `json:"households"`
	Reached    int        `json:"reached"`
	Percent    int        `json:"percent"`
	Target     int        `json:"target_percent"`
	Needed     int        `json:"needed"`     // households the target asks to reach
	Below      bool       `json:"below"`      // fewer households reached than needed
	TalksOwed  int        `json:"talks_owed"` // under 全谈, else 0
	EndsOn     civil.Date `json:"ends_on"`
	Late       bool       `json:"late"` // the round's end day has passed
}

// VoteLine is a ballot held today. Its words (committee, round, state)
// are kept as the day's agenda said them.
type VoteLine struct {
	BallotID  int64  `json:"ballot_id"`
	Code      string `json:"code,omitempty"` // of the community
	Community string `json:"community"`
	Ballot    string `json:"ballot"` // 党组织委员会 · 第一次投票
	State     string `json:"state"`
}

// CountLine is a ballot whose count waits: its stations awaiting the
// second entry, the coordinator over a difference, the coordinator's
// confirmation, or, all confirmed, the ballot's.
type CountLine struct {
	BallotID  int64  `json:"ballot_id"`
	Code      string `json:"code,omitempty"` // of the community
	Community string `json:"community"`
	Ballot    string `json:"ballot"`
	Waiting   string `json:"waiting"` // 待第二次录入2个计票点,两次录入不一致1个
}

// VoidLine is a void election to be held again by its re-run day.
type VoidLine struct {
	BallotID  int64      `json:"ballot_id"`
	Code      string     `json:"code,omitempty"` // of the community
	Community string     `json:"community"`
	Ballot    string     `json:"ballot"`
	Reason    string     `json:"reason"`
	RerunBy   civil.Date `json:"rerun_by"`
	Late      bool       `json:"late"`
}

// HandoverLine is a committee not handed over past its due day.
type HandoverLine struct {
	Code      string     `json:"code,omitempty"` // of the community
	Community string     `json:"community"`
	Committee string     `json:"committee"`
	ElectedOn civil.Date `json:"elected_on"`
	Due       civil.Date `json:"due"`
}

// ReportLine is a confirmed ballot whose result report is not filed.
type ReportLine struct {
	BallotID  int64  `json:"ballot_id"`
	Code      string `json:"code,omitempty"` // of the community
	Community string `json:"community"`
	Ballot    string `json:"ballot"`
}

// TargetLine is a community whose predicted slate misses hard targets.
type TargetLine struct {
	Code      string `json:"code,omitempty"` // of the community
	Community string `json:"community"`
	Unmet     string `json:"unmet"` // each target missed with its reason, in Chinese
}

// DecisionLine is an earlier decision with the state of its ledger item.
type DecisionLine struct {
	MeetingDay civil.Date `json:"meeting_day"`
	Content    string     `json:"content"`
	Code       string     `json:"code,omitempty"` // of the community
	Community  string     `json:"community"`
	Owner      string     `json:"owner"`
	Due        civil.Date `json:"due"`
	Status     string     `json:"status"` // of its ledger item: open, in_progress, closed
}

// ItemLine is a ledger item due or overdue.
type ItemLine struct {
	ID        int64      `json:"id"`
	Code      string     `json:"code,omitempty"` // of the community
	Community string     `json:"community"`
	Content   string     `json:"content"`
	Owner     string     `json:"owner"`
	Due       civil.Date `json:"due"`
	Overdue   bool       `json:"overdue"`
}

// WarningLine is a move of a community's class.
type WarningLine struct {
	Code      string `json:"code,omitempty"` // of the community
	Community string `json:"community"`
	From, To  string `json:"-"`
	Change    string `json:"change"` // e.g. A类 → C类(红色预警)
	Cause     string `json:"cause"`
}

// TipLine is a tip received.
type TipLine struct {
	ID        int64  `json:"id"`
	Code      string `json:"code,omitempty"` // of the community
	Community string `json:"community"`
	Category  string `json:"category"`
	Status    string `json:"status"`
}

// StageLine is a stage of a community past its deadline and not done.
type StageLine struct {
	Code      string     `json:"code,omitempty"` // of the community
	Community string     `json:"community"`
	Stage     string     `json:"stage"`
	Deadline  civil.Date `json:"deadline"`
}

// Size is how many lines the agenda holds.
func (a Agenda) Size() int {
	return len(a.Decisions) + len(a.Due) + len(a.Warnings) + len(a.Tips) + len(a.LateStages) + len(a.Targets) + len(a.Votes) +
		len(a.Counts) + len(a.Voids) + len(a.Handovers) + len(a.Reports) + len(a.Coverage)
}

// Only is the agenda with the lines about the communities keep accepts; a
// line that names no community (kept before lines named theirs) is left out.
func (a Agenda) Only(keep func(code string) bool) Agenda {
	ok := func(code string) bool { return code != "" && keep(code) }
	return Agenda{Day: a.Day, Decisions: filter(a.Decisions, func(l DecisionLine) bool { return ok(l.Code) }),
		Due:        filter(a.Due, func(l ItemLine) bool { return ok(l.Code) }),
		Warnings:   filter(a.Warnings, func(l WarningLine) bool { return ok(l.Code) }),
		Tips:       filter(a.Tips, func(l TipLine) bool { return ok(l.Code) }),
		LateStages: filter(a.LateStages, func(l StageLine) bool { return ok(l.Code) }),
		Targets:    filter(a.Targets, func(l TargetLine) bool { return ok(l.Code) }),
		Votes:      filter(a.Votes, func(l VoteLine) bool { return ok(l.Code) }),
		Counts:     filter(a.Counts, func(l CountLine) bool { return ok(l.Code) }),
		Voids:      filter(a.Voids, func(l VoidLine) bool { return ok(l.Code) }),
		Handovers:  filter(a.Handovers, func(l HandoverLine) bool { return ok(l.Code) }),
		Reports:    filter(a.Reports, func(l ReportLine) bool { return ok(l.Code) }),
		Coverage:   filter(a.Coverage, func(l CoverageLine) bool { return ok(l.Code) }), Capped: a.Capped}
}

func filter[T any](list []T, keep func(T) bool) []T {
	var out []T
	for _, x := range list {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// Meeting is one day's meeting of a unit: the subtree of the office that
// opened it ("/" for the whole tree).
type Meeting struct {
	ID         int64
	CycleID    int64
	Unit       string // path of the unit, "/" for the whole tree
	UnitName   string // "全区" for the whole tree
	HeldOn     civil.Date
	Agenda     Agenda
	Attendance []string // who took part
	Minutes    string
	Decisions  []Decision
	CreatedBy  string
	CreatedAt  time.Time
	// Partial: the reader's scope lies below the meeting's unit, so it is
	// shown only the agenda lines and decisions about its communities, and
	// neither attendance, minutes nor checkpoint.
	Partial bool
	// The audit checkpoint signed when the minutes were last recorded: the
	// chain's head then (sequence number, keyed hash); 0 and "" before.
	CheckpointSeq  int64
	CheckpointHash string
}

// UnitCode is the code of the unit at path, "" for the whole tree ("/").
func UnitCode(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	return parts[len(parts)-1]
}

// CheckpointText is the line the minutes carry about the audit log's head
// when they were recorded, "" before they were.
func (m Meeting) CheckpointText() string {
	if m.CheckpointSeq == 0 || m.CheckpointHash == "" {
		return ""
	}
	h := m.CheckpointHash
	if len(h) > 16 {
		h = h[:16]
	}
	return "审计日志截至第 " + strconv.FormatInt(m.CheckpointSeq, 10) + " 条,校验值 " + h + "…"
}

// Decision is a decision of a meeting; it becomes a ledger item.
type Decision struct {
	ID           int64      `json:"id"`
	Content      string     `json:"content"`
	Community    string     `json:"community"` // code
	Owner        string     `json:"owner"`
	Due          civil.Date `json:"due"`
	LedgerItemID int64      `json:"ledger_item_id"`
}

// Validate checks a decision against the meeting's day: content, a
// community, an owner and a due day not before the meeting.
func (d *Decision) Validate(heldOn civil.Date) error {
	d.Content, d.Owner, d.Community = strings.TrimSpace(d.Content), strings.TrimSpace(d.Owner), strings.TrimSpace(d.Community)
	switch {
	case d.Content == "" || utf8.RuneCountInString(d.Content) > 500:
		return errs.OnField("content", "决定事项不能为空,且不超过500字")
	case d.Community == "":
		return errs.OnField("community", "请选择决定事项所涉社区")
	case d.Owner == "" || utf8.RuneCountInString(d.Owner) > 40:
		return errs.OnField("owner", "请填写责任人(不超过40字)")
	}
	if !d.Due.Valid() {
		return errs.OnField("due", "完成时限应为日期,如 2026-12-01")
	}
	if d.Due < heldOn {
		return errs.OnField("due", "完成时限不能早于会议日期")
	}
	return nil
}

// CheckRecord checks the attendance and minutes of a meeting.
func CheckRecord(attendance []string, minutes string) error {
	for _, a := range attendance {
		if utf8.RuneCountInString(a) > 40 {
			return errs.OnField("attendance", "参会人姓名不超过40字")
		}
	}
	if utf8.RuneCountInString(minutes) > 20000 {
		return errs.OnField("minutes", "会议纪要不超过20000字")
	}
	return nil
}

// Attendees splits a typed list of names on commas, 、 and new lines.
func Attendees(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '\uff0c' || r == '、' || r == '\n' || r == ';' || r == '\uff1b'
	}) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// Yesterday is the campaign day before day.
func Yesterday(day civil.Date) civil.Date { return day.AddDays(-1) }
