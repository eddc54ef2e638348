package vetting

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// RoundKind says whether a round is the first joint review or a later one.
type RoundKind string

// The kinds: the first joint review (联审) of every aspirant, and a second
// joint review (二次联审) the office orders on demand.
const (
	FirstRound  RoundKind = "first"  // 联审
	SecondRound RoundKind = "second" // 二次联审
)

var roundChoices = choices[RoundKind]{{FirstRound, "联审"}, {SecondRound, "二次联审"}}

// RoundKinds lists the kinds of rounds.
var RoundKinds = roundChoices.codes()

// Label is the Chinese name.
func (k RoundKind) Label() string { return roundChoices.label(k) }

// Valid reports whether k is known.
func (k RoundKind) Valid() bool { return roundChoices.valid(k) }

// Round is one round of joint review, kept with the document that ordered it.
type Round struct {
	ID        int64
	CycleID   int64
	Kind      RoundKind
	DocNo     string     // 文号, e.g. 开发区换届办〔2026〕3号
	Date      civil.Date // day it started, YYYY-MM-DD
	Deadline  civil.Date // departments answer by the end of this day, YYYY-MM-DD
	Only      []int64    // when set, only these aspirants are sent (each must be sendable)
	CreatedBy string
	CreatedAt time.Time
}

// Validate checks a new round against the rounds the cycle already has: a
// second joint review needs an earlier round. Only is sorted and freed of
// repeats.
func (r *Round) Validate(earlier []Round) error {
	if err := first(
		pick("kind", "联审轮次类型", r.Kind.Valid()),
		text("doc_no", "文号", &r.DocNo, 1, 60),
	); err != nil {
		return err
	}
	if err := first(day("date", "联审日期", r.Date), day("deadline", "答复期限", r.Deadline)); err != nil {
		return err
	}
	if r.Deadline < r.Date {
		return errs.OnField("deadline", "答复期限不能早于联审日期")
	}
	if r.Kind == SecondRound && len(earlier) == 0 {
		return errs.OnField("kind", "尚未开展联审,不能发起二次联审")
	}
	slices.Sort(r.Only)
	r.Only = slices.Compact(r.Only)
	if len(r.Only) > 0 && r.Only[0] <= 0 {
		return errs.OnField("aspirant_ids", "所选参选人编号无效")
	}
	return nil
}

// Verdict is a department's answer on one aspirant.
type Verdict string

// Verdicts: nothing found, or findings naming conditions.
const (
	Clean    Verdict = "clean"    // 未发现问题
	Findings Verdict = "findings" // 发现问题
)

var verdictChoices = choices[Verdict]{{Clean, "未发现问题"}, {Findings, "发现问题"}}

// Verdicts lists the verdicts.
var Verdicts = verdictChoices.codes()

// Label is the Chinese name.
func (v Verdict) Label() string { return verdictChoices.label(v) }

// Valid reports whether v is known.
func (v Verdict) Valid() bool { return verdictChoices.valid(v) }

// ParseVerdict accepts a code or a Chinese label (Excel answers).
func ParseVerdict(s string) (Verdict, bool) { return verdictChoices.parse(s) }

// Answer is what a department says about one aspirant (反馈结论 and 反馈意见).
type Answer struct {
	Verdict    Verdict  // "" while unanswered
	Conditions []string // Findings: the conditions found, codes of the department's checklist
	Note       string   // 反馈意见
	Attachment string   // SHA-256 of an attached file, optional
	By         string   // the reviewer who answered
	At         time.Time
}

// Validate normalises and checks an answer of department d: findings name at
// least one condition, all from d's checklist (the catch-all with a note
// saying what it is); a clean answer names none.
func (a *Answer) Validate(d Department) error {
	var conds []string
	for _, c := range a.Conditions {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(conds, c) {
			conds = append(conds, c)
		}
	}
	a.Conditions = conds
	if err := first(
		pick("verdict", "审查结论", a.Verdict.Valid()),
		text("note", "反馈意见", &a.Note, 0, 1000),
		attachment("attachment", a.Attachment),
	); err != nil {
		return err
	}
	switch {
	case a.Verdict == Clean && len(conds) > 0:
		return errs.OnField("conditions", "结论为“未发现问题”时不能勾选情形")
	case a.Verdict == Findings && len(conds) == 0:
		return errs.OnField("conditions", "结论为“发现问题”时须至少勾选一项情形")
	case a.Verdict == Findings && slices.Contains(conds, OtherCondition) && a.Note == "":
		return errs.OnField("note", "勾选“其他不宜情形”时须在反馈意见中写明具体情况")
	}
	for _, c := range conds {
		if !d.Checks(c) {
			return errs.OnField("conditions", "情形 "+c+" 不在"+d.Name+"的审查清单内")
		}
	}
	return nil
}

// Request asks one department about one aspirant in one round.
type Request struct {
	ID         int64
	RoundID    int64
	AspirantID int64
	Department string     // department code
	Deadline   civil.Date // YYYY-MM-DD, from the round
	Answer     Answer
}

// Answered reports whether the department has answered.
func (r Request) Answered() bool { return r.Answer.Verdict != "" }

// Overdue reports whether the request is unanswered after its deadline day
// (China time) has ended.
func (r Request) Overdue(now time.Time) bool {
	return !r.Answered() && r.Deadline != "" && civil.Of(now) > r.Deadline
}

// RoundAnswers is a round with its requests, the input of Misses.
type RoundAnswers struct {
	Round    Round
	Requests []Request
}

// Miss is a condition a department named in a later round about an aspirant
// it had answered in an earlier round without naming it: the kind of miss
// the second joint review exists to catch.
type Miss struct {
	AspirantID int64
	Department string
	Condition  string
	Missed     Round   // the earliest round the department answered without it
	Verdict    Verdict // what it answered then: Clean, or Findings naming other conditions
	Found      Round   // the round the department first named it
}

// Misses reports, for every aspirant and department, each condition the
// department named in a later round although it had answered an earlier
// round without naming it (as clean, or with other findings). Rounds are
// taken in order of date, then ID; unanswered requests are ignored. The
// result is ordered by the round of discovery, then aspirant, department
// and condition.
func Misses(rounds []RoundAnswers) []Miss {
	rounds = slices.Clone(rounds)
	slices.SortStableFunc(rounds, func(a, b RoundAnswers) int { return roundOrder(a.Round, b.Round) })
	type key struct {
		aspirant   int64
		department string
	}
	type history struct {
		first   Round   // the earliest round the department answered
		verdict Verdict // its answer then
		named   map[string]bool
	}
	seen := map[key]*history{}
	var out []Miss
	for _, ra := range rounds {
		for _, rq := range ra.Requests {
			if !rq.Answered() {
				continue
			}
			k := key{rq.AspirantID, rq.Department}
			h := seen[k]
			if h == nil {
				h = &history{first: ra.Round, verdict: rq.Answer.Verdict, named: map[string]bool{}}
				seen[k] = h
			}
			for _, c := range rq.Answer.Conditions {
				if !h.named[c] && h.first.ID != ra.Round.ID {
					out = append(out, Miss{rq.AspirantID, rq.Department, c, h.first, h.verdict, ra.Round})
				}
				h.named[c] = true
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Miss) int {
		return cmp.Or(roundOrder(a.Found, b.Found), cmp.Compare(a.AspirantID, b.AspirantID),
			strings.Compare(a.Department, b.Department), strings.Compare(a.Condition, b.Condition))
	})
	return out
}

// roundOrder orders rounds by date, then ID.
func roundOrder(a, b Round) int {
	return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.ID, b.ID))
}
