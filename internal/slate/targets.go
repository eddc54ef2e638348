package slate

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Structure targets (硬指标, rules.md §4): computed per community on the
// predicted slate now and on the election results later, the same way, so
// the two can be compared (预判人选与选举结果比对).

// Holder is one person on one committee of a community: predicted or
// elected. Key identifies the person across the two committees (the same
// key on both is 交叉任职; the 书记 and the 主任 with one key is 一肩挑).
type Holder struct {
	Key       string            `json:"key"`
	Name      string            `json:"name"`
	Committee org.Committee     `json:"committee"`
	Post      vetting.Post      `json:"post"`
	Sex       string            `json:"sex"` // 男 / 女
	Age       int               `json:"age"` // on the community's election day of that committee
	Education vetting.Education `json:"education"`
	Party     vetting.Party     `json:"party"`
}

// Lineup is a community's two committees as predicted or elected.
type Lineup struct {
	Code, Name, District string
	Holders              []Holder
}

// Rule is the kind of a structure target, from a small fixed set.
type Rule string

// The rules. A threshold is a count (women, young), a percentage (shares)
// or an age (average age); 一肩挑 has none.
const (
	OneShoulder    Rule = "one_shoulder"    // 一肩挑: the party secretary is the residents' committee director
	WomenEach      Rule = "women_each"      // at least N women on each committee
	YoungMembers   Rule = "young_members"   // at least N members 35岁以下 on the two committees
	CrossShare     Rule = "cross_share"     // 交叉任职: at least N% of the people sit on both committees
	CollegeShare   Rule = "college_share"   // at least N% of the people have 大专 or higher
	HighShare      Rule = "high_share"      // at least N% of the people have 高中(中专) or higher
	MaxAverageAge  Rule = "max_average_age" // the people's average age at most N
	SecretaryYoung Rule = "secretary_age"   // the party secretary at most N years old
)

var ruleChoices = []struct {
	rule  Rule
	label string
	unit  string // of the threshold: 名, %, 岁; "" none
}{
	{OneShoulder, "书记、主任“一肩挑”", ""},
	{WomenEach, "每个委员会女性成员不少于", "名"},
	{YoungMembers, "两委中35岁以下成员不少于", "名"},
	{CrossShare, "两委交叉任职比例不低于", "%"},
	{CollegeShare, "大专及以上学历比例不低于", "%"},
	{HighShare, "高中(中专)及以上学历比例不低于", "%"},
	{MaxAverageAge, "两委成员平均年龄不超过", "岁"},
	{SecretaryYoung, "党组织书记年龄不超过", "岁"},
}

// Rules lists the rules in order.
func Rules() []Rule {
	out := make([]Rule, len(ruleChoices))
	for i, c := range ruleChoices {
		out[i] = c.rule
	}
	return out
}

// Label is the rule's Chinese name.
func (r Rule) Label() string {
	for _, c := range ruleChoices {
		if c.rule == r {
			return c.label
		}
	}
	return ""
}

// Unit is the unit of the rule's threshold, "" when it has none.
func (r Rule) Unit() string {
	for _, c := range ruleChoices {
		if c.rule == r {
			return c.unit
		}
	}
	return ""
}

// Valid reports a known rule.
func (r Rule) Valid() bool { return r.Label() != "" }

// Target is one structure target of a cycle: a name, a rule and its
// threshold. Hard targets list a community that fails them as a warning;
// soft ones are shown only.
type Target struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Rule      Rule    `json:"rule"`
	Threshold float64 `json:"threshold"`
	Hard      bool    `json:"hard"`
}

// Text says what the target asks, e.g. "每个委员会女性成员不少于1名".
func (t Target) Text() string {
	if t.Rule.Unit() == "" {
		return t.Rule.Label()
	}
	return t.Rule.Label() + strconv.FormatFloat(t.Threshold, 'f', -1, 64) + t.Rule.Unit()
}

// DefaultTargets are the seed's hard targets (一肩挑, a woman on each
// committee, a member 35岁以下), with the shares of rules.md §4 as soft
// ones: 交叉任职 at least a third (older guidance; UNCONFIRMED for the
// current round) and 高中(中专) or higher at 74% (the national result).
func DefaultTargets() []Target {
	return []Target{
		{Name: "一肩挑", Rule: OneShoulder, Hard: true},
		{Name: "女性成员", Rule: WomenEach, Threshold: 1, Hard: true},
		{Name: "35岁以下成员", Rule: YoungMembers, Threshold: 1, Hard: true},
		{Name: "交叉任职", Rule: CrossShare, Threshold: 33.3},
		{Name: "学历结构", Rule: HighShare, Threshold: 74},
	}
}

// Validate checks a target the office adds.
func (t *Target) Validate() error {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" || utf8.RuneCountInString(t.Name) > 30 {
		return errs.OnField("name", "指标名称不能为空,且不超过30个字")
	}
	if !t.Rule.Valid() {
		return errs.OnField("rule", "请选择指标规则")
	}
	if math.IsNaN(t.Threshold) || math.IsInf(t.Threshold, 0) {
		return errs.OnField("threshold", "阈值须为数字")
	}
	switch t.Rule.Unit() {
	case "":
		t.Threshold = 0
	case "名":
		if t.Threshold < 0 || t.Threshold > 9 || t.Threshold != math.Trunc(t.Threshold) {
			return errs.OnField("threshold", "人数须为0到9的整数")
		}
	case "%":
		if t.Threshold < 0 || t.Threshold > 100 {
			return errs.OnField("threshold", "比例须在0到100之间")
		}
	case "岁":
		if t.Threshold < 18 || t.Threshold > 80 {
			return errs.OnField("threshold", "年龄须在18到80之间")
		}
	}
	return nil
}

// TargetResult is one target evaluated on one community's lineup.
type TargetResult struct {
	Target Target  `json:"target"`
	Met    bool    `json:"met"`
	Value  float64 `json:"value"`  // what was found: a count, a percentage or an age
	Reason string  `json:"reason"` // why it is not met, in Chinese; "" when met
}

// people are the distinct persons of a lineup, by key.
func (l Lineup) people() []Holder {
	seen := map[string]bool{}
	var out []Holder
	for _, h := range l.Holders {
		if !seen[h.Key] {
			seen[h.Key] = true
			out = append(out, h)
		}
	}
	return out
}

// on lists the holders of committee c; with post p set, of that post only.
func (l Lineup) on(c org.Committee, p vetting.Post) []Holder {
	var out []Holder
	for _, h := range l.Holders {
		if h.Committee == c && (p == "" || h.Post == p) {
			out = append(out, h)
		}
	}
	return out
}

// Cross counts the persons on both committees.
func (l Lineup) Cross() int {
	party := map[string]bool{}
	for _, h := range l.on(org.PartyCommittee, "") {
		party[h.Key] = true
	}
	n := 0
	seen := map[string]bool{}
	for _, h := range l.on(org.ResidentsCommittee, "") {
		if party[h.Key] && !seen[h.Key] {
			seen[h.Key] = true
			n++
		}
	}
	return n
}

// OneShouldered reports whether the party secretary is the director.
func (l Lineup) OneShouldered() bool {
	sec, dir := l.on(org.PartyCommittee, vetting.Secretary), l.on(org.ResidentsCommittee, vetting.Director)
	return len(sec) == 1 && len(dir) == 1 && sec[0].Key == dir[0].Key
}

// AtLeast reports whether an education level is e or higher.
func AtLeast(have, e vetting.Education) bool {
	rank := func(x vetting.Education) int {
		for i, y := range vetting.Educations { // highest first
			if x == y {
				return len(vetting.Educations) - i
			}
		}
		return 0
	}
	return rank(have) >= rank(e) && rank(have) > 0
}

// Evaluate evaluates every target on a community's lineup.
func Evaluate(l Lineup, targets []Target) []TargetResult {
	out := make([]TargetResult, len(targets))
	people := l.people()
	for i, t := range targets {
		r := TargetResult{Target: t}
		switch t.Rule {
		case OneShoulder:
			r.Met = l.OneShouldered()
			if r.Met {
				r.Value = 1
			} else {
				sec, dir := l.on(org.PartyCommittee, vetting.Secretary), l.on(org.ResidentsCommittee, vetting.Director)
				switch {
				case len(sec) == 0:
					r.Reason = "尚无党组织书记人选"
				case len(dir) == 0:
					r.Reason = "尚无居委会主任人选"
				default:
					r.Reason = "书记(" + sec[0].Name + ")与主任(" + dir[0].Name + ")不是同一人"
				}
			}
		case WomenEach:
			r.Met = true
			var short []string
			for _, c := range org.Committees {
				n := 0
				for _, h := range l.on(c, "") {
					if h.Sex == "女" {
						n++
					}
				}
				if c == org.PartyCommittee || r.Value > float64(n) {
					r.Value = float64(n)
				}
				if float64(n) < t.Threshold {
					r.Met = false
					short = append(short, fmt.Sprintf("%s女性%d名", c.Label(), n))
				}
			}
			if !r.Met {
				r.Reason = strings.Join(short, ",") + ",少于" + strconv.FormatFloat(t.Threshold, 'f', -1, 64) + "名"
			}
		case YoungMembers:
			n := 0
			for _, h := range people {
				if Young(h.Age) {
					n++
				}
			}
			r.Value, r.Met = float64(n), float64(n) >= t.Threshold
			if !r.Met {
				r.Reason = fmt.Sprintf("两委中35岁以下成员%d名,少于%s名", n, strconv.FormatFloat(t.Threshold, 'f', -1, 64))
			}
		case CrossShare, CollegeShare, HighShare:
			n := 0
			switch t.Rule {
			case CrossShare:
				n = l.Cross()
			default:
				level := vetting.College
				if t.Rule == HighShare {
					level = vetting.HighSchool
				}
				for _, h := range people {
					if AtLeast(h.Education, level) {
						n++
					}
				}
			}
			r.Value = Share(n, len(people))
			r.Met = len(people) > 0 && r.Value >= t.Threshold
			if !r.Met {
				r.Reason = fmt.Sprintf("为%s(%d/%d人),低于%s%%", Percent(r.Value), n, len(people), strconv.FormatFloat(t.Threshold, 'f', -1, 64))
			}
		case MaxAverageAge:
			sum := 0
			for _, h := range people {
				sum += h.Age
			}
			if len(people) > 0 {
				r.Value = math.Round(float64(sum)*10/float64(len(people))) / 10
			}
			r.Met = len(people) > 0 && r.Value <= t.Threshold
			if !r.Met {
				r.Reason = fmt.Sprintf("平均年龄%s岁,超过%s岁", strconv.FormatFloat(r.Value, 'f', 1, 64), strconv.FormatFloat(t.Threshold, 'f', -1, 64))
			}
		case SecretaryYoung:
			sec := l.on(org.PartyCommittee, vetting.Secretary)
			if len(sec) > 0 {
				r.Value = float64(sec[0].Age)
			}
			r.Met = len(sec) > 0 && r.Value <= t.Threshold
			if !r.Met {
				if len(sec) == 0 {
					r.Reason = "尚无党组织书记人选"
				} else {
					r.Reason = fmt.Sprintf("书记%s %d岁,超过%s岁", sec[0].Name, sec[0].Age, strconv.FormatFloat(t.Threshold, 'f', -1, 64))
				}
			}
		}
		if len(l.Holders) == 0 && !r.Met {
			r.Reason = "尚无人选"
		}
		out[i] = r
	}
	return out
}

// Ratios are the structure of many communities' lineups together, against
// the goals a zone reports (rules.md §4).
type Ratios struct {
	Communities  int     `json:"communities"`
	WithLineup   int     `json:"with_lineup"` // communities with at least one person
	People       int     `json:"people"`
	OneShoulder  float64 `json:"one_shoulder"`  // % of communities with a lineup
	Cross        float64 `json:"cross"`         // % of people on both committees
	Women        float64 `json:"women"`         // % of people
	Young        float64 `json:"young"`         // % of people 35岁以下
	College      float64 `json:"college"`       // % of people 大专 or higher
	HighOrAbove  float64 `json:"high_or_above"` // % of people 高中(中专) or higher
	AverageAge   float64 `json:"average_age"`
	SecretaryAge float64 `json:"secretary_age"` // average age of the party secretaries
}

// Tally is what one lineup adds to the zone's ratios.
type Tally struct {
	People, Women, Young, College, High, Cross, AgeSum int
	OneShoulder                                        bool
	SecretaryAge                                       int // -1 without a secretary
}

// TallyOf counts a lineup's people.
func TallyOf(l Lineup) Tally {
	people := l.people()
	t := Tally{People: len(people), Cross: l.Cross(), OneShoulder: l.OneShouldered(), SecretaryAge: -1}
	for _, h := range people {
		if h.Sex == "女" {
			t.Women++
		}
		if Young(h.Age) {
			t.Young++
		}
		if AtLeast(h.Education, vetting.College) {
			t.College++
		}
		if AtLeast(h.Education, vetting.HighSchool) {
			t.High++
		}
		t.AgeSum += h.Age
	}
	if sec := l.on(org.PartyCommittee, vetting.Secretary); len(sec) > 0 {
		t.SecretaryAge = sec[0].Age
	}
	return t
}

// Sum computes the ratios of many lineups.
func Sum(lineups []Lineup) Ratios {
	tallies := make([]Tally, len(lineups))
	for i, l := range lineups {
		tallies[i] = TallyOf(l)
	}
	return SumTallies(tallies)
}

// Totals are many lineups' tallies added up, what the ratios are made of.
type Totals struct {
	Communities, WithLineup, OneShoulder, SecretaryN, SecretarySum int
	People, Women, Young, College, High, Cross, AgeSum             int
}

// SumTallies computes the ratios of many lineups' tallies.
func SumTallies(tallies []Tally) Ratios {
	var t Totals
	for _, x := range tallies {
		t.Communities++
		if x.People == 0 {
			continue
		}
		t.WithLineup++
		if x.OneShoulder {
			t.OneShoulder++
		}
		if x.SecretaryAge >= 0 {
			t.SecretaryN++
			t.SecretarySum += x.SecretaryAge
		}
		t.People, t.Women, t.Young, t.College = t.People+x.People, t.Women+x.Women, t.Young+x.Young, t.College+x.College
		t.High, t.Cross, t.AgeSum = t.High+x.High, t.Cross+x.Cross, t.AgeSum+x.AgeSum
	}
	return RatiosOf(t)
}

// RatiosOf computes the ratios from totals.
func RatiosOf(t Totals) Ratios {
	r := Ratios{Communities: t.Communities, WithLineup: t.WithLineup, People: t.People}
	r.OneShoulder = Share(t.OneShoulder, t.WithLineup)
	r.Cross, r.Women, r.Young = Share(t.Cross, t.People), Share(t.Women, t.People), Share(t.Young, t.People)
	r.College, r.HighOrAbove = Share(t.College, t.People), Share(t.High, t.People)
	if t.People > 0 {
		r.AverageAge = math.Round(float64(t.AgeSum)*10/float64(t.People)) / 10
	}
	if t.SecretaryN > 0 {
		r.SecretaryAge = math.Round(float64(t.SecretarySum)*10/float64(t.SecretaryN)) / 10
	}
	return r
}

// PostKey names a post of a committee.
type PostKey struct {
	Committee org.Committee
	Post      vetting.Post
}

// Firsts are, for one community, the persons (by key) ranked first on each
// post in one recommendation (ties share the first rank).
type Firsts map[PostKey]map[string]bool

// Unity counts the "unity" of organisational intent and the two
// recommendations (组织意图和党员、群众推荐意向的统一): of the lineup's posts
// (each holder once), how many went to a person ranked first on that post
// in both the party members' and the residents' recommendation.
func Unity(l Lineup, party, public Firsts) (united, posts int) {
	for _, h := range l.Holders {
		posts++
		k := PostKey{h.Committee, h.Post}
		if party[k][h.Key] && public[k][h.Key] {
			united++
		}
	}
	return united, posts
}

// ValidateTargets checks a cycle's list of targets: at most 30, each valid,
// names unique. A refusal names its row: "targets[2].threshold".
func ValidateTargets(ts []Target) error {
	if len(ts) > 30 {
		return errs.OnField("targets", "指标不能超过30项")
	}
	names := map[string]int{}
	for i := range ts {
		if err := ts[i].Validate(); err != nil {
			return errs.OnField(fmt.Sprintf("targets[%d].%s", i, errs.FieldOf(err)), fmt.Sprintf("第%d项:%s", i+1, errs.MessageOf(err)))
		}
		if j, dup := names[ts[i].Name]; dup {
			return errs.OnField(fmt.Sprintf("targets[%d].name", i), fmt.Sprintf("第%d项:指标名称“%s”与第%d项重复", i+1, ts[i].Name, j+1))
		}
		names[ts[i].Name] = i
	}
	return nil
}
