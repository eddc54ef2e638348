package vetting

import (
	"slices"
	"time"

	"github.com/huanjie/huanjie/internal/errs"
)

// CaseSource is where a discipline case came from.
type CaseSource string

// The sources: a public tip, the police, or an inspection (巡察).
const (
	FromTip        CaseSource = "tip"        // 群众举报
	FromPolice     CaseSource = "police"     // 公安移送
	FromInspection CaseSource = "inspection" // 巡察发现
)

var caseSourceChoices = choices[CaseSource]{{FromTip, "群众举报"}, {FromPolice, "公安移送"}, {FromInspection, "巡察发现"}}

// CaseSources lists them in order.
var CaseSources = caseSourceChoices.codes()

// Label is the Chinese name.
func (s CaseSource) Label() string { return caseSourceChoices.label(s) }

// Valid reports whether s is known.
func (s CaseSource) Valid() bool { return caseSourceChoices.valid(s) }

// CaseStatus is where a case stands.
type CaseStatus string

// Cases go accepted → investigating → handling → closed, no step skipped.
const (
	CaseAccepted      CaseStatus = "accepted"      // 受理
	CaseInvestigating CaseStatus = "investigating" // 调查
	CaseHandling      CaseStatus = "handling"      // 处理
	CaseClosed        CaseStatus = "closed"        // 办结
)

var caseStatusChoices = choices[CaseStatus]{
	{CaseAccepted, "受理"}, {CaseInvestigating, "调查"}, {CaseHandling, "处理"}, {CaseClosed, "办结"},
}

var caseMachine = machine[CaseStatus]{noun: "案件", states: caseStatusChoices, next: map[CaseStatus][]CaseStatus{
	CaseAccepted:      {CaseInvestigating},
	CaseInvestigating: {CaseHandling},
	CaseHandling:      {CaseClosed},
}}

// CaseStatuses lists them in order.
var CaseStatuses = caseStatusChoices.codes()

// Label is the Chinese name.
func (s CaseStatus) Label() string { return caseStatusChoices.label(s) }

// Valid reports whether s is known.
func (s CaseStatus) Valid() bool { return caseStatusChoices.valid(s) }

// CaseTransition checks one step of a case's status (code Conflict if refused).
func CaseTransition(from, to CaseStatus) error { return caseMachine.check(from, to) }

// Outcome is how a case was dealt with.
type Outcome string

// The outcomes. Disqualify (取消参选资格) takes the linked aspirants out of
// the election at once.
const (
	Disqualify Outcome = "disqualify" // 取消参选资格
	Punish     Outcome = "punish"     // 党纪政务处分或依法处理
	Admonish   Outcome = "admonish"   // 批评教育、诫勉谈话
	Unfounded  Outcome = "unfounded"  // 查无实据
)

var outcomeChoices = choices[Outcome]{
	{Disqualify, "取消参选资格"}, {Punish, "党纪政务处分或依法处理"}, {Admonish, "批评教育、诫勉谈话"}, {Unfounded, "查无实据"},
}

// Outcomes lists them in order.
var Outcomes = outcomeChoices.codes()

// Label is the Chinese name.
func (o Outcome) Label() string { return outcomeChoices.label(o) }

// Valid reports whether o is known.
func (o Outcome) Valid() bool { return outcomeChoices.valid(o) }

// Case is a discipline case of the election (换届纪律), shared by the
// discipline commission and the police.
type Case struct {
	ID          int64
	CycleID     int64
	OrgCode     string // the community
	Source      CaseSource
	TipID       int64 // the tip it came from, 0 if none
	Summary     string
	Parties     []string // the people involved, as named in the case
	AspirantIDs []int64  // the aspirants among them
	Status      CaseStatus
	Outcome     Outcome // "" until decided while handling
	OutcomeNote string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Validate normalises and checks what a user enters on a case.
func (c *Case) Validate() error {
	var parties []string
	for _, p := range c.Parties {
		if err := text("parties", "当事人姓名", &p, 0, 30); err != nil {
			return err
		}
		if p != "" && !slices.Contains(parties, p) {
			parties = append(parties, p)
		}
	}
	c.Parties = parties
	slices.Sort(c.AspirantIDs)
	c.AspirantIDs = slices.Compact(c.AspirantIDs)
	if err := first(
		text("community", "所在社区", &c.OrgCode, 1, 40),
		pick("source", "案件来源", c.Source.Valid()),
		text("summary", "案情摘要", &c.Summary, 5, 2000),
		text("outcome_note", "处理说明", &c.OutcomeNote, 0, 2000),
	); err != nil {
		return err
	}
	switch {
	case c.Source == FromTip && c.TipID == 0:
		return errs.OnField("tip_id", "来源为群众举报的案件须关联举报")
	case len(c.Parties) == 0 && len(c.AspirantIDs) == 0:
		return errs.OnField("parties", "请填写至少一名当事人")
	}
	return nil
}

// Decide records the outcome, which is decided while the case is being
// handled (处理). Disqualify needs linked aspirants: the caller then moves
// each of them that is not in a final status to Disqualified, in the same
// transaction. Disqualification cannot be undone by a later outcome: the
// aspirant's status has no way back.
func (c *Case) Decide(o Outcome, note string, now time.Time) error {
	switch {
	case c.Status != CaseHandling:
		return errs.Newf(errs.Conflict, "案件处于“%s”阶段,须进入“处理”阶段后才能作出处理结果", c.Status.Label())
	case !o.Valid():
		return errs.OnField("outcome", "请选择处理结果")
	case o == Disqualify && len(c.AspirantIDs) == 0:
		return errs.OnField("outcome", "取消参选资格须关联被取消资格的参选人")
	}
	if err := text("note", "处理说明", &note, 0, 2000); err != nil {
		return err
	}
	c.Outcome, c.OutcomeNote, c.UpdatedAt = o, note, now
	return nil
}

// Move takes the case one step on at now; closing it (办结) needs an outcome.
func (c *Case) Move(to CaseStatus, now time.Time) error {
	if err := CaseTransition(c.Status, to); err != nil {
		return err
	}
	if to == CaseClosed && c.Outcome == "" {
		return errs.New(errs.Unprocessable, "办结前须作出处理结果")
	}
	c.Status, c.UpdatedAt = to, now
	return nil
}

// Disqualifies lists the aspirants the case's outcome disqualifies.
func (c Case) Disqualifies() []int64 {
	if c.Outcome != Disqualify {
		return nil
	}
	return c.AspirantIDs
}
