// Package ledger is a community's ledger (台账) of the three ones: items with
// a source, a risk level, an owner, the leader in charge and a due day, run
// as a project — daily scheduling, daily analysis, daily closing (日调度、
// 日分析、日销号). An item moves open → in_progress → closed; closing (销号)
// needs a closing note, reopening a reason. It holds plain types and rules
// only: no SQL, no HTTP.
package ledger

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// Source is where an item came from.
type Source string

// The sources of items.
const (
	FromPlan    Source = "plan"    // 计划措施: a measure of the community's work plan
	FromVisit   Source = "visit"   // 走访问题: a problem found on a visit
	FromTip     Source = "tip"     // 举报: a tip
	FromMeeting Source = "meeting" // 会议决定: a decision of the daily meeting
	FromManual  Source = "manual"  // 手工: entered by hand
)

// Sources lists the sources in display order.
var Sources = []Source{FromPlan, FromVisit, FromTip, FromMeeting, FromManual}

var sourceLabels = map[Source]string{FromPlan: "计划措施", FromVisit: "走访问题", FromTip: "举报", FromMeeting: "会议决定", FromManual: "手工"}

// Label is the Chinese name of the source.
func (s Source) Label() string { return sourceLabels[s] }

// Valid reports whether s is a known source.
func (s Source) Valid() bool { _, ok := sourceLabels[s]; return ok }

// Risk is an item's risk level.
type Risk string

// The risk levels.
const (
	High   Risk = "high"
	Medium Risk = "medium"
	Low    Risk = "low"
)

// Risks lists the levels, highest first.
var Risks = []Risk{High, Medium, Low}

var riskLabels = map[Risk]string{High: "高", Medium: "中", Low: "低"}

// Label is the Chinese name of the level.
func (r Risk) Label() string { return riskLabels[r] }

// Valid reports whether r is a known level.
func (r Risk) Valid() bool { _, ok := riskLabels[r]; return ok }

// Status is where an item stands.
type Status string

// The statuses.
const (
	Open       Status = "open"
	InProgress Status = "in_progress"
	Closed     Status = "closed"
)

// Statuses lists the statuses in their order.
var Statuses = []Status{Open, InProgress, Closed}

var statusLabels = map[Status]string{Open: "待办", InProgress: "办理中", Closed: "已销号"}

// Label is the Chinese name of the status.
func (s Status) Label() string { return statusLabels[s] }

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := statusLabels[s]; return ok }

// Item is a ledger item.
type Item struct {
	ID          int64
	CycleID     int64
	OrgCode     string // the community's code
	Community   string // its name
	District    string // the name of its district (片区)
	Source      Source
	SourceRef   string // e.g. the meeting id of a meeting decision
	Content     string
	Risk        Risk
	Owner       string     // 责任人
	Leader      string     // 包社区领导
	Due         civil.Date // YYYY-MM-DD
	Status      Status
	ClosedOn    civil.Date // YYYY-MM-DD when closed
	ClosingNote string     // 销号依据
	ClosingFile string     // SHA-256 of the evidence in the file store, optional
	CreatedOn   civil.Date
	CreatedBy   string
	Notes       []Note  // daily progress, oldest first
	NotesTotal  int     // all its notes, when Notes holds only the latest
	Events      []Event // status changes, oldest first
}

// Overdue reports whether the item is not closed past its due day; today
// is a campaign day in China time (Store.Today).
func (it Item) Overdue(today civil.Date) bool { return it.Status != Closed && it.Due < today }

// Note is a day's progress note on an item (每日进展, 日分析).
type Note struct {
	ID     int64
	ItemID int64
	Day    civil.Date
	Note   string
	By     string
	At     time.Time
}

// Event is a change of an item's status; the first event of an item (from
// "") is its creation.
type Event struct {
	ItemID   int64
	Day      civil.Date
	At       time.Time
	From, To Status
	Note     string
	By       string
}

// Validate checks a new item and trims its text. today is the campaign day:
// an item cannot be due before the day it is entered.
func (it *Item) Validate(today civil.Date) error {
	it.Content, it.Owner, it.Leader, it.SourceRef = strings.TrimSpace(it.Content), strings.TrimSpace(it.Owner),
		strings.TrimSpace(it.Leader), strings.TrimSpace(it.SourceRef)
	if it.Source == "" {
		it.Source = FromManual
	}
	switch {
	case strings.TrimSpace(it.OrgCode) == "":
		return errs.OnField("community", "请选择社区")
	case !it.Source.Valid():
		return errs.OnField("source", "来源只能是计划措施、走访问题、举报、会议决定或手工")
	case it.Content == "" || utf8.RuneCountInString(it.Content) > 500:
		return errs.OnField("content", "事项内容不能为空,且不超过500字")
	case !it.Risk.Valid():
		return errs.OnField("risk", "风险等级只能是高、中、低")
	case it.Owner == "" || utf8.RuneCountInString(it.Owner) > 40:
		return errs.OnField("owner", "请填写责任人(不超过40字)")
	case utf8.RuneCountInString(it.Leader) > 40:
		return errs.OnField("leader", "包社区领导不超过40字")
	case utf8.RuneCountInString(it.SourceRef) > 100:
		return errs.OnField("source_ref", "来源编号不超过100字")
	case !it.Due.Valid():
		return errs.OnField("due", "计划完成日应为日期,如 2026-12-01")
	case it.Due < today:
		return errs.OnField("due", "计划完成日不能早于今天")
	}
	return nil
}

// CheckNote checks a progress note.
func CheckNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	if note == "" || utf8.RuneCountInString(note) > 1000 {
		return note, errs.OnField("note", "请填写进展情况(不超过1000字)")
	}
	return note, nil
}

// Start checks the move of an item in status from to in progress.
func Start(from Status) error {
	if from != Open {
		return errs.Newf(errs.Conflict, "只有待办事项可以开始办理,该事项%s", from.Label())
	}
	return nil
}

// Close checks the closing (销号) of an item in status from: a closing
// note is required. It returns the trimmed note.
func Close(from Status, note string) (string, error) {
	note = strings.TrimSpace(note)
	if note == "" {
		return note, errs.OnField("note", "销号须填写销号说明(办结情况、依据)")
	}
	if utf8.RuneCountInString(note) > 1000 {
		return note, errs.OnField("note", "销号说明不超过1000字")
	}
	if from == Closed {
		return note, errs.New(errs.Conflict, "该事项已销号")
	}
	return note, nil
}

// Reopen checks the reopening of an item in status from: only a closed
// item reopens, and a reason is required. It returns the trimmed reason.
func Reopen(from Status, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 1000 {
		return reason, errs.OnField("reason", "重新打开须填写理由(不超过1000字)")
	}
	if from != Closed {
		return reason, errs.New(errs.Conflict, "只有已销号的事项可以重新打开")
	}
	return reason, nil
}
