package assess

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// Assessor is one member of the mixed research team (研判组): the party-masses
// department leads, with discipline, stability/petition, finance, social
// affairs and the leaders assigned to the district and community.
type Assessor struct {
	Unit string `json:"unit"` // 党群部, 纪检监察, 综治信访, 财政, 社事, 包片领导, 包社区干部 …
	Name string `json:"name"`
}

// AssessorUnits are the units of the research team the seed names.
var AssessorUnits = []string{"党群部", "纪检监察", "综治信访", "财政", "社事", "包片领导", "包社区干部"}

// Assessment is one visit's findings on a community. Assessments are kept as
// history; the latest one counts.
type Assessment struct {
	ID          int64
	OrgCode     string
	AssessedOn  civil.Date // YYYY-MM-DD
	Assessors   []Assessor
	Findings    string
	Scores      Scores
	Result      Result // as computed when it was entered
	CreatedBy   string
	CreatedAt   time.Time
	Attachments []Attachment
}

// Validate checks an assessment before it is stored.
func (a *Assessment) Validate(r Rubric, today civil.Date) error {
	if !a.AssessedOn.Valid() {
		return errs.OnField("assessed_on", "研判日期格式应为 2026-03-01")
	}
	if a.AssessedOn > today {
		return errs.OnField("assessed_on", "研判日期不能晚于今天")
	}
	a.Findings = strings.TrimSpace(a.Findings)
	if utf8.RuneCountInString(a.Findings) > 5000 {
		return errs.OnField("findings", "研判意见不超过5000字")
	}
	var team []Assessor
	for _, m := range a.Assessors {
		m.Unit, m.Name = strings.TrimSpace(m.Unit), strings.TrimSpace(m.Name)
		if m.Name == "" && m.Unit == "" {
			continue
		}
		if m.Name == "" || utf8.RuneCountInString(m.Name) > 20 || utf8.RuneCountInString(m.Unit) > 20 {
			return errs.OnField("assessors", "研判组成员须填写姓名(不超过20字)和单位")
		}
		team = append(team, m)
	}
	if len(team) == 0 {
		return errs.OnField("assessors", "至少填写一名研判组成员")
	}
	a.Assessors = team
	return a.Scores.Check(r)
}

// Standing is where a community stands now: the class its latest assessment
// computes under the current rules, and the office's override, if any.
type Standing struct {
	OrgCode        string
	Computed       Class
	Override       Class
	OverrideReason string
	OverrideBy     string
	OverrideAt     time.Time
	Explanation    string
	AssessmentID   int64
}

// Class is the class in force: the override where there is one.
func (s Standing) Class() Class {
	if s.Override != Unassessed {
		return s.Override
	}
	return s.Computed
}

// CheckOverride validates an override: a class (or none, to lift it) and,
// for a class, a written reason.
func CheckOverride(c Class, reason string) error {
	if c != Unassessed && !c.Valid() {
		return errs.OnField("class", "类别只能是A、B或C")
	}
	reason = strings.TrimSpace(reason)
	if c != Unassessed && utf8.RuneCountInString(reason) < 5 {
		return errs.OnField("reason", "调整类别必须写明理由(至少5个字)")
	}
	if utf8.RuneCountInString(reason) > 1000 {
		return errs.OnField("reason", "理由不超过1000字")
	}
	return nil
}

// Attachment is a file kept with an assessment: minutes, photos, recordings.
type Attachment struct {
	ID     int64
	SHA256 string
	Name   string
	Type   string
	Size   int64
}
