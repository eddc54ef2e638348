package vetting

import (
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// Meeting is a party-committee meeting of the second review (二次审核).
type Meeting struct {
	ID      int64
	CycleID int64
	HeldOn  civil.Date // YYYY-MM-DD
	Title   string     // e.g. 开发区党工委会议
	DocNo   string     // 纪要号, optional
	Note    string
}

// Validate normalises and checks a meeting record.
func (m *Meeting) Validate(today civil.Date) error {
	return first(
		pastDay("held_on", "会议日期", m.HeldOn, today),
		text("title", "会议名称", &m.Title, 2, 60),
		text("doc_no", "纪要号", &m.DocNo, 0, 60),
		text("note", "备注", &m.Note, 0, 2000),
	)
}

// Persuasion is the record of a persuaded-withdrawal talk (劝退谈话).
type Persuasion struct {
	By        string     // who talked with the aspirant
	On        civil.Date // YYYY-MM-DD
	Withdrawn bool       // the aspirant agreed to withdraw
	Note      string     // how it went
}

// Decision is the second review's decision on one aspirant.
type Decision struct {
	ID         int64
	MeetingID  int64
	AspirantID int64
	Outcome    Status      // Qualified, Barred, Unsuitable or Disqualified
	Condition  string      // Barred: a 不得 condition; Unsuitable: a 不宜 condition
	CaseID     int64       // Disqualified: the case that disqualifies
	Persuasion *Persuasion // Unsuitable: the talk, once it has taken place
	Note       string
	By         string
	At         time.Time
}

// Validate normalises and checks a decision against the catalogue: a barred
// or unsuitable decision names a condition of that tier, a disqualification
// names its case, only an unsuitable decision has a persuasion record.
func (d *Decision) Validate(cat Catalogue, today civil.Date) error {
	if err := text("note", "审核意见", &d.Note, 0, 2000); err != nil {
		return err
	}
	switch d.Outcome {
	case Qualified, Barred, Unsuitable, Disqualified:
	default:
		return errs.OnField("outcome", "请选择审核结论:资格通过、存在不得情形、存在不宜情形或取消参选资格")
	}
	cond, named := cat.Find(d.Condition)
	switch {
	case d.Condition != "" && !named:
		return errs.OnField("condition", "未知的情形 "+d.Condition)
	case (d.Outcome == Barred || d.Outcome == Unsuitable) && !named:
		return errs.OnField("condition", "请选择所属情形")
	case named && cond.Tier.Status() != d.Outcome:
		return errs.OnField("condition", "情形“"+cond.Text+"”属于"+cond.Tier.Label()+"情形,与审核结论不符")
	case d.Outcome == Disqualified && d.CaseID == 0:
		return errs.OnField("case_id", "取消参选资格须关联案件")
	case d.Outcome != Disqualified && d.CaseID != 0:
		return errs.OnField("case_id", "只有取消参选资格的决定才关联案件")
	case d.Persuasion != nil && d.Outcome != Unsuitable:
		return errs.OnField("persuasion", "只有存在不宜情形的参选人才有劝退记录")
	case d.Persuasion != nil:
		return d.Persuasion.Validate(today)
	}
	return nil
}

// Validate normalises and checks a persuasion record.
func (p *Persuasion) Validate(today civil.Date) error {
	return first(
		text("persuasion_by", "谈话人", &p.By, 2, 40),
		pastDay("persuasion_on", "谈话日期", p.On, today),
		text("persuasion_note", "谈话情况", &p.Note, 0, 1000),
	)
}

// Steps are the statuses the decision moves the aspirant through: an
// unsuitable aspirant who agreed to withdraw goes on to Withdrawn.
func (d Decision) Steps() []Status {
	if d.Outcome == Unsuitable && d.Persuasion != nil && d.Persuasion.Withdrawn {
		return []Status{Unsuitable, Withdrawn}
	}
	return []Status{d.Outcome}
}

// Status is the aspirant's status once the decision is applied.
func (d Decision) Status() Status { s := d.Steps(); return s[len(s)-1] }

// Apply checks every step of the decision from the aspirant's current status
// and returns the status it ends in. A persuasion recorded later on an
// aspirant already unsuitable skips the step it has made.
func (d Decision) Apply(from Status) (Status, error) {
	for _, to := range d.Steps() {
		if from == Unsuitable && to == Unsuitable && d.Outcome == Unsuitable {
			continue
		}
		if err := Transition(from, to); err != nil {
			return from, err
		}
		from = to
	}
	return from, nil
}
