// Package visit holds the rules of the three rounds of visits (issue 16,
// points 1–4): the registers a community is visited from (households with
// their residents' group, party members, residents' representatives; the
// sitting committee members are org.Member), the rounds of a cycle with
// their dates and targets, the research activities of the round before the
// election, the visit records with the problems they raise, and coverage:
// households reached against the target and talks still owed. No SQL, no
// HTTP: the store reads and writes, the web layer serves.
package visit

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// Round is one of the three rounds of a cycle.
type Round string

// The rounds, in the order of the campaign.
const (
	Before Round = "before" // 选举前调研走访: research visits, 全谈 and ≥70% of households
	During Round = "during" // 选举中"学党史、察民情、解民忧、开新局"走访 by the newly elected members
	After  Round = "after"  // 选举后问计于民: proposals for the five-year programme
)

// Rounds lists the rounds in order.
var Rounds = []Round{Before, During, After}

var roundLabels = map[Round]string{
	Before: "选举前调研走访",
	During: "选举中“学党史、察民情、解民忧、开新局”走访",
	After:  "选举后问计于民",
}

var roundShort = map[Round]string{Before: "选举前", During: "选举中", After: "选举后"}

// Label is the round's Chinese name.
func (r Round) Label() string { return roundLabels[r] }

// Short is the round's short Chinese name (选举前…).
func (r Round) Short() string { return roundShort[r] }

// Valid reports whether r is a known round.
func (r Round) Valid() bool { _, ok := roundLabels[r]; return ok }

// Method is how a visit was made.
type Method string

// The methods.
const (
	Door    Method = "door"    // 上门
	Phone   Method = "phone"   // 电话
	Meeting Method = "meeting" // 座谈
)

// Methods lists the methods.
var Methods = []Method{Door, Phone, Meeting}

var methodLabels = map[Method]string{Door: "上门", Phone: "电话", Meeting: "座谈"}

// Label is the method's Chinese name.
func (m Method) Label() string { return methodLabels[m] }

// Valid reports whether m is a known method.
func (m Method) Valid() bool { _, ok := methodLabels[m]; return ok }

// PersonKind is which group a person talked to belongs to (全谈).
type PersonKind string

// The groups. Sitting committee members are the members of the cycle
// (org.Member), not entered here.
const (
	PartyMember    PersonKind = "party_member"   // 党员
	Representative PersonKind = "representative" // 居民代表
	Committee      PersonKind = "committee"      // 现任两委成员 (the members table)
)

// PersonKinds lists the groups entered in the people register.
var PersonKinds = []PersonKind{PartyMember, Representative}

// TalkKinds lists the three groups owed a talk (全谈).
var TalkKinds = []PersonKind{Committee, PartyMember, Representative}

var kindLabels = map[PersonKind]string{PartyMember: "党员", Representative: "居民代表", Committee: "现任两委成员"}

// Label is the group's Chinese name.
func (k PersonKind) Label() string { return kindLabels[k] }

// Valid reports whether k is a group of the people register.
func (k PersonKind) Valid() bool { return k == PartyMember || k == Representative }

// ParsePersonKind reads a group by its Chinese name or its code.
func ParsePersonKind(s string) (PersonKind, bool) {
	s = strings.TrimSpace(s)
	for _, k := range PersonKinds {
		if s == k.Label() || s == string(k) {
			return k, true
		}
	}
	return "", false
}

// Intention is a sitting member's or aspirant's intention to stand, heard
// in the round before the election.
type Intention string

// The intentions; "" when not asked.
const (
	Stands    Intention = "stands"    // 有意参选
	NotStand  Intention = "not_stand" // 无意参选
	Undecided Intention = "undecided" // 未表态
)

// Intentions lists the intentions.
var Intentions = []Intention{Stands, NotStand, Undecided}

var intentionLabels = map[Intention]string{Stands: "有意参选", NotStand: "无意参选", Undecided: "未表态"}

// Label is the intention's Chinese name.
func (i Intention) Label() string { return intentionLabels[i] }

// Valid reports whether i is a known intention.
func (i Intention) Valid() bool { _, ok := intentionLabels[i]; return ok }

// Category is what a problem raised on a visit is about.
type Category string

// The categories.
const (
	Environment Category = "environment" // 环境卫生
	Property    Category = "property"    // 物业管理
	Safety      Category = "safety"      // 治安安全
	Services    Category = "services"    // 民生服务
	Facilities  Category = "facilities"  // 基础设施
	Election    Category = "election"    // 换届选举
	Other       Category = "other"       // 其他
)

// Categories lists the categories.
var Categories = []Category{Environment, Property, Safety, Services, Facilities, Election, Other}

var categoryLabels = map[Category]string{Environment: "环境卫生", Property: "物业管理", Safety: "治安安全", Services: "民生服务",
	Facilities: "基础设施", Election: "换届选举", Other: "其他"}

// Label is the category's Chinese name.
func (c Category) Label() string { return categoryLabels[c] }

// Valid reports whether c is a known category.
func (c Category) Valid() bool { _, ok := categoryLabels[c]; return ok }

// Urgency is how soon a problem must be dealt with.
type Urgency string

// The urgencies, most urgent first.
const (
	Urgent Urgency = "urgent" // 紧急
	Soon   Urgency = "soon"   // 较急
	Normal Urgency = "normal" // 一般
)

// Urgencies lists the urgencies, most urgent first.
var Urgencies = []Urgency{Urgent, Soon, Normal}

var urgencyLabels = map[Urgency]string{Urgent: "紧急", Soon: "较急", Normal: "一般"}

// Label is the urgency's Chinese name.
func (u Urgency) Label() string { return urgencyLabels[u] }

// Valid reports whether u is a known urgency.
func (u Urgency) Valid() bool { _, ok := urgencyLabels[u]; return ok }

// Risk is the ledger's risk level a problem of urgency u is entered with
// ("high", "medium", "low": ledger.Risk's codes).
func (u Urgency) Risk() string {
	switch u {
	case Urgent:
		return "high"
	case Soon:
		return "medium"
	}
	return "low"
}

// Bounds of every input: a visit is typed on a phone, synced later, and
// must never make the server do unbounded work.
const (
	MaxText       = 1000 // runes of one content field
	MaxName       = 40   // runes of a name (head, person, visitor)
	MaxAddress    = 100  // runes of an address
	MaxGroup      = 40   // runes of a residents' group (楼栋/网格)
	MaxVisitors   = 10
	MaxProblems   = 10
	MaxHousehold  = 30 // people in one household
	MaxImportRows = 20000
)

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

var phoneRE = regexp.MustCompile(`^[0-9][0-9-]{5,18}[0-9]$`)

func checkPhone(p string) error {
	if p != "" && !phoneRE.MatchString(p) {
		return errs.OnField("phone", "电话号码只能包含数字和“-”,7到20位")
	}
	return nil
}

// Household is a household of a community's register (入户走访).
type Household struct {
	ID        int64  `json:"id"`
	Community string `json:"community"`
	Address   string `json:"address"`
	Head      string `json:"head"`  // 户主
	Size      int    `json:"size"`  // 人口
	Phone     string `json:"phone"` // sealed at rest, masked in lists
	Group     string `json:"group"` // 居民小组、楼栋或网格
}

// Validate trims h and checks it.
func (h *Household) Validate() error {
	h.Address, h.Head, h.Phone, h.Group = strings.TrimSpace(h.Address), strings.TrimSpace(h.Head), strings.TrimSpace(h.Phone),
		strings.TrimSpace(h.Group)
	switch {
	case h.Address == "" || tooLong(h.Address, MaxAddress):
		return errs.OnField("address", "请填写住址(不超过100字)")
	case h.Head == "" || tooLong(h.Head, MaxName):
		return errs.OnField("head", "请填写户主姓名(不超过40字)")
	case h.Size < 1 || h.Size > MaxHousehold:
		return errs.OnField("size", "户人口应为1到30人")
	case tooLong(h.Group, MaxGroup):
		return errs.OnField("group", "居民小组(楼栋、网格)不超过40字")
	}
	return checkPhone(h.Phone)
}

// Key tells two households of a community apart: one address once.
func (h Household) Key() string { return h.Address }

// ValidateCorrection trims h and checks it as the correction of a
// household on the register. Its phone is kept sealed and shown masked, so
// a form cannot hand it back: a number typed replaces it, none keeps it,
// and clearPhone removes it (with no number typed).
func (h *Household) ValidateCorrection(clearPhone bool) error {
	if err := h.Validate(); err != nil {
		return err
	}
	if clearPhone && h.Phone != "" {
		return errs.OnField("phone", "要清除联系电话就不要再填写号码;要改号码就不要勾选清除")
	}
	return nil
}

// Removable refuses to remove household h from the register once visits
// (of any round, missed ones too) were recorded to it: coverage and the
// household's history across the rounds are counted from it. A household
// entered by mistake and never visited may go; one whose details are
// wrong is corrected instead.
func (h Household) Removable(visits int) error {
	if visits > 0 {
		return errs.Newf(errs.Conflict, "住址“%s”已有 %d 次走访记录,走访覆盖和这户的走访历史都以它为准,不能删除;"+
			"如住址、户主等登记有误,请修改", h.Address, visits)
	}
	return nil
}

// Person is a party member or residents' representative of a community's
// register, owed a talk in the round before the election (全谈).
type Person struct {
	ID        int64      `json:"id"`
	Community string     `json:"community"`
	Kind      PersonKind `json:"kind"`
	Name      string     `json:"name"`
	Group     string     `json:"group"`
	Phone     string     `json:"phone"`
}

// Validate trims p and checks it.
func (p *Person) Validate() error {
	p.Name, p.Group, p.Phone = strings.TrimSpace(p.Name), strings.TrimSpace(p.Group), strings.TrimSpace(p.Phone)
	switch {
	case !p.Kind.Valid():
		return errs.OnField("kind", "类别只能是党员或居民代表")
	case p.Name == "" || tooLong(p.Name, MaxName):
		return errs.OnField("name", "请填写姓名(不超过40字)")
	case tooLong(p.Group, MaxGroup):
		return errs.OnField("group", "居民小组(楼栋、网格)不超过40字")
	}
	return checkPhone(p.Phone)
}

// Key tells two people of a community's register apart: one name once per
// group.
func (p Person) Key() string { return string(p.Kind) + "|" + p.Name + "|" + p.Group }

// Campaign is one round of a cycle as the office set it: its dates and
// targets. A round not set has no dates (visits of any day count) and the
// default targets.
type Campaign struct {
	Round            Round      `json:"round"`
	StartsOn         civil.Date `json:"starts_on"`
	EndsOn           civil.Date `json:"ends_on"`
	HouseholdPercent int        `json:"household_percent"` // households reached, % of the register
	TalkAll          bool       `json:"talk_all"`          // 全谈: every sitting member, party member and representative
}

// DefaultHouseholdPercent is the seed's target: at least 70% of households.
const DefaultHouseholdPercent = 70

// DefaultCampaign is round r before the office sets it: 70% of households,
// and 全谈 in the round before the election.
func DefaultCampaign(r Round) Campaign {
	return Campaign{Round: r, HouseholdPercent: DefaultHouseholdPercent, TalkAll: r == Before}
}

// Validate checks c.
func (c *Campaign) Validate() error {
	switch {
	case !c.Round.Valid():
		return errs.OnField("round", "请选择走访轮次")
	case c.StartsOn != "" && !c.StartsOn.Valid():
		return errs.OnField("starts_on", "开始日期应为日期,如 2026-10-01")
	case c.EndsOn != "" && !c.EndsOn.Valid():
		return errs.OnField("ends_on", "结束日期应为日期,如 2026-12-31")
	case (c.StartsOn == "") != (c.EndsOn == ""):
		return errs.OnField("ends_on", "开始日期和结束日期须同时填写或同时不填")
	case c.EndsOn < c.StartsOn:
		return errs.OnField("ends_on", "结束日期不能早于开始日期")
	case c.HouseholdPercent < 0 || c.HouseholdPercent > 100:
		return errs.OnField("household_percent", "入户走访目标应为0到100之间的百分比")
	}
	return nil
}

// Covers reports whether day falls within the round's dates (any day when
// none are set).
func (c Campaign) Covers(day civil.Date) bool {
	return c.StartsOn == "" || (day >= c.StartsOn && day <= c.EndsOn)
}

// Needed is how many households of total the target asks to reach
// (rounded up: 70% of 7 is 5).
func (c Campaign) Needed(total int) int { return (total*c.HouseholdPercent + 99) / 100 }

// Activity is a research activity of the round before the election, as the
// office defines it (the seed ran 重点社区蹲点调研, 分片研判调研 and 研判 of
// communities where self-nomination was complex): its communities, team,
// dates and findings.
type Activity struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	StartsOn    civil.Date `json:"starts_on"`
	EndsOn      civil.Date `json:"ends_on"`
	Team        []string   `json:"team"`
	Communities []string   `json:"communities"` // codes
	Findings    []Finding  `json:"findings"`
}

// Bounds of an activity.
const (
	MaxTeam        = 30
	MaxCommunities = 500
)

// Validate trims a and checks it.
func (a *Activity) Validate() error {
	a.Name = strings.TrimSpace(a.Name)
	team := a.Team[:0]
	for _, n := range a.Team {
		if n = strings.TrimSpace(n); n != "" {
			team = append(team, n)
		}
	}
	a.Team = team
	switch {
	case a.Name == "" || tooLong(a.Name, 60):
		return errs.OnField("name", "请填写活动名称(不超过60字)")
	case !a.StartsOn.Valid():
		return errs.OnField("starts_on", "开始日期应为日期,如 2026-10-01")
	case !a.EndsOn.Valid():
		return errs.OnField("ends_on", "结束日期应为日期,如 2026-10-31")
	case a.EndsOn < a.StartsOn:
		return errs.OnField("ends_on", "结束日期不能早于开始日期")
	case len(a.Team) == 0 || len(a.Team) > MaxTeam:
		return errs.OnField("team", "请填写调研组成员(1到30人)")
	case len(a.Communities) == 0 || len(a.Communities) > MaxCommunities:
		return errs.OnField("communities", "请选择调研的社区(1到500个)")
	}
	for _, n := range a.Team {
		if tooLong(n, MaxName) {
			return errs.OnField("team", "调研组成员姓名不超过40字")
		}
	}
	return nil
}

// Finding is what a research activity found in one community on a day of
// the activity; it may be attached to the community's three-class
// assessment or to one of its plans, where it is read beside them.
type Finding struct {
	ID           int64      `json:"id"`
	Community    string     `json:"community"`
	Text         string     `json:"text"`
	AssessmentID int64      `json:"assessment_id"` // 0: not attached
	PlanID       int64      `json:"plan_id"`       // 0: not attached
	Day          civil.Date `json:"day"`           // the day the finding was made, not the day it was entered
	By           string     `json:"by"`            // the account that entered it
	// Filled by the store: the display name of the account By, as pages
	// name a person (By itself for the platform's own actors).
	ByName string `json:"by_name"`
}

// FindingDay is the day a finding of a is dated when its author gives
// none: today, or the activity's last day once it has ended.
func (a Activity) FindingDay(today civil.Date) civil.Date {
	if a.EndsOn != "" && today > a.EndsOn {
		return a.EndsOn
	}
	return today
}

// Validate trims f and checks it as a finding of activity a entered on
// today: a community, a text, and the day it was made, FindingDay when
// not given, within the activity's dates and not after today.
func (f *Finding) Validate(a Activity, today civil.Date) error {
	f.Text = strings.TrimSpace(f.Text)
	f.Day = civil.Date(strings.TrimSpace(string(f.Day)))
	if f.Day == "" {
		f.Day = a.FindingDay(today)
	}
	switch {
	case strings.TrimSpace(f.Community) == "":
		return errs.OnField("community", "请选择社区")
	case f.Text == "" || tooLong(f.Text, MaxText):
		return errs.OnField("text", "请填写调研发现(不超过1000字)")
	case f.AssessmentID < 0 || f.PlanID < 0:
		return errs.OnField("plan_id", "关联的研判或方案不存在")
	case !f.Day.Valid():
		return errs.OnField("day", "发现日期应为日期,如 2026-10-08")
	case f.Day > today:
		return errs.OnField("day", "发现日期不能晚于今天")
	case f.Day < a.StartsOn || f.Day > a.EndsOn:
		return errs.OnField("day", "发现日期应在调研活动的日期内("+a.StartsOn.String()+"至"+a.EndsOn.String()+")")
	}
	return nil
}
