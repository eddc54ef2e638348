package org

import (
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/errs"
)

// Duty is what an assigned person answers for (包保责任).
type Duty string

// The duties of the seed report: leaders over a district, leaders and cadres
// over a community, and members of a community's research team.
const (
	DistrictLeader  Duty = "district_leader"  // 包片领导
	CommunityLeader Duty = "community_leader" // 包社区领导
	CommunityCadre  Duty = "community_cadre"  // 包社区干部
	ResearchMember  Duty = "research_member"  // 研判组成员
)

// Duties lists them in order.
var Duties = []Duty{DistrictLeader, CommunityLeader, CommunityCadre, ResearchMember}

var dutyLabels = map[Duty]string{
	DistrictLeader: "包片领导", CommunityLeader: "包社区领导", CommunityCadre: "包社区干部", ResearchMember: "研判组成员",
}

// Label is the Chinese name of the duty.
func (d Duty) Label() string { return dutyLabels[d] }

// Valid reports whether d is known.
func (d Duty) Valid() bool { _, ok := dutyLabels[d]; return ok }

// On reports the kind of unit the duty attaches to.
func (d Duty) On() Kind {
	if d == DistrictLeader {
		return District
	}
	return Community
}

// Assignment puts a person in charge of a unit for a cycle. When it names an
// account, that account's scope follows its assignments.
type Assignment struct {
	ID       int64
	OrgCode  string
	OrgName  string
	Duty     Duty
	Name     string
	Unit     string // 单位/部门: 党群部, 纪检监察, 综治信访 …
	Phone    string // sealed at rest, masked in lists
	Username string // optional account
}

// Validate checks an assignment for a unit of kind k.
func (a *Assignment) Validate(k Kind) error {
	a.Name, a.Unit, a.Phone, a.Username = strings.TrimSpace(a.Name), strings.TrimSpace(a.Unit), strings.TrimSpace(a.Phone), strings.TrimSpace(a.Username)
	switch {
	case !a.Duty.Valid():
		return errs.OnField("duty", "请选择包保职责")
	case a.Duty.On() != k:
		return errs.OnField("duty", a.Duty.Label()+"只能指派到"+a.Duty.On().Label())
	case a.Name == "" || utf8.RuneCountInString(a.Name) > 20:
		return errs.OnField("name", "请填写姓名(不超过20字)")
	case utf8.RuneCountInString(a.Unit) > 30:
		return errs.OnField("unit", "单位不超过30字")
	case a.Phone != "" && !phonePattern(a.Phone):
		return errs.OnField("phone", "电话号码只能由数字和短横线组成,7至15位")
	}
	return nil
}

func phonePattern(p string) bool {
	digits := 0
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '-':
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}

// CommonScope is the deepest unit path that contains every given path: the
// scope an account needs to see all units it is assigned to. "" for none.
func CommonScope(paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	common := strings.Split(strings.Trim(paths[0], "/"), "/")
	for _, p := range paths[1:] {
		parts := strings.Split(strings.Trim(p, "/"), "/")
		n := 0
		for n < len(common) && n < len(parts) && common[n] == parts[n] {
			n++
		}
		common = common[:n]
	}
	if len(common) == 0 {
		return "/"
	}
	return "/" + strings.Join(common, "/") + "/"
}
