package assess

import (
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// Section is one part of a community's work plan (一社区一方案).
type Section string

// The four sections of the seed report.
const (
	Conflicts Section = "conflicts" // 化解矛盾纠纷
	Reserves  Section = "reserves"  // 人选考察储备
	Rectify   Section = "rectify"   // 社区组织整顿
	Publicity Section = "publicity" // 政策宣讲推介
)

// Sections lists them in order.
var Sections = []Section{Conflicts, Reserves, Rectify, Publicity}

var sectionLabels = map[Section]string{
	Conflicts: "化解矛盾纠纷", Reserves: "人选考察储备", Rectify: "社区组织整顿", Publicity: "政策宣讲推介",
}

// Label is the Chinese name of the section.
func (s Section) Label() string { return sectionLabels[s] }

// Valid reports whether s is one of the four.
func (s Section) Valid() bool { _, ok := sectionLabels[s]; return ok }

// PlanKind names a plan's place among a community's plans.
type PlanKind string

// A community has a main plan; B communities a fallback too, C communities a
// contingency plan as well.
const (
	MainPlan        PlanKind = "main"        // 主方案
	FallbackPlan    PlanKind = "fallback"    // 备用方案
	ContingencyPlan PlanKind = "contingency" // 应急预案
)

var planKindLabels = map[PlanKind]string{MainPlan: "主方案", FallbackPlan: "备用方案", ContingencyPlan: "应急预案"}

// PlanKinds lists them in order.
var PlanKinds = []PlanKind{MainPlan, FallbackPlan, ContingencyPlan}

// Label is the Chinese name of the plan kind.
func (k PlanKind) Label() string { return planKindLabels[k] }

// Valid reports whether k is known.
func (k PlanKind) Valid() bool { _, ok := planKindLabels[k]; return ok }

// Plan is one work plan of a community.
type Plan struct {
	ID       int64
	OrgCode  string
	Kind     PlanKind
	Title    string
	Sections map[Section]string // what the plan says under each section
	Measures []Measure
}

// Measure is one concrete step of a plan, with who does it and by when.
type Measure struct {
	ID      int64
	PlanID  int64
	Section Section
	Content string
	Owner   string
	Due     civil.Date // YYYY-MM-DD
	DoneOn  civil.Date // "" while open
}

// Overdue reports whether the measure is open past its due day.
func (m Measure) Overdue(today civil.Date) bool { return m.DoneOn == "" && m.Due < today }

// Validate checks a plan's own fields.
func (p *Plan) Validate() error {
	p.Title = strings.TrimSpace(p.Title)
	if !p.Kind.Valid() {
		return errs.OnField("kind", "方案类型须为主方案、备用方案或应急预案")
	}
	if p.Title == "" || utf8.RuneCountInString(p.Title) > 60 {
		return errs.OnField("title", "方案名称不能为空,且不超过60个字")
	}
	for s, text := range p.Sections {
		if !s.Valid() {
			return errs.OnField("sections", "未知的方案部分")
		}
		if utf8.RuneCountInString(text) > 5000 {
			return errs.OnField(string(s), s.Label()+"不超过5000字")
		}
	}
	return nil
}

// Validate checks a measure.
func (m *Measure) Validate() error {
	m.Content, m.Owner = strings.TrimSpace(m.Content), strings.TrimSpace(m.Owner)
	if !m.Section.Valid() {
		return errs.OnField("section", "请选择措施所属部分")
	}
	if m.Content == "" || utf8.RuneCountInString(m.Content) > 500 {
		return errs.OnField("content", "措施内容不能为空,且不超过500字")
	}
	if m.Owner == "" || utf8.RuneCountInString(m.Owner) > 20 {
		return errs.OnField("owner", "请填写责任人(不超过20字)")
	}
	if !m.Due.Valid() {
		return errs.OnField("due", "完成时限格式应为 2026-03-01")
	}
	return nil
}

// Shortfall is a community with fewer plans than its class needs.
type Shortfall struct {
	OrgCode, OrgName, District string
	Class                      Class
	Plans, Required            int
}
