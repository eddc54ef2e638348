// Package assess is the first of the four threes (三类): assessing each
// community on six dimensions, classifying it A, B or C by rules the office
// can edit, explaining the class in Chinese, and the plans each class needs.
package assess

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/errs"
)

// Dimension is one of the six aspects a community is assessed on.
type Dimension string

// The six dimensions of the seed report, in its order.
const (
	Basic   Dimension = "basic"   // 基本情况
	Team    Dimension = "team"    // 班子运转
	Members Dimension = "members" // 党员现状
	Reserve Dimension = "reserve" // 人员储备
	Demands Dimension = "demands" // 群众诉求
	Risks   Dimension = "risks"   // 风险隐患
)

// Dimensions lists the six in display order.
var Dimensions = []Dimension{Basic, Team, Members, Reserve, Demands, Risks}

var dimensionLabels = map[Dimension]string{
	Basic: "基本情况", Team: "班子运转", Members: "党员现状", Reserve: "人员储备", Demands: "群众诉求", Risks: "风险隐患",
}

// Label is the Chinese name of the dimension.
func (d Dimension) Label() string { return dimensionLabels[d] }

// Valid reports whether d is one of the six.
func (d Dimension) Valid() bool { _, ok := dimensionLabels[d]; return ok }

// Kind says how an indicator is answered.
type Kind string

// Indicator kinds: a score from 0 to Max (higher is better), or a risk flag
// (present or not) that, when present, forces at least its Veto class.
const (
	Score Kind = "score"
	Flag  Kind = "flag"
)

// Indicator is one line of the rubric.
type Indicator struct {
	Code      string
	Dimension Dimension
	Name      string
	Kind      Kind
	Max       int   // Score: the most points it gives
	Veto      Class // Flag: the class it forces at least (B or C)
}

// Rubric is the list of indicators of a cycle, editable by the office.
type Rubric []Indicator

var indicatorCode = regexp.MustCompile(`^[a-z][a-z0-9_]{0,29}$`)

// reservedCodes are the assessment form's own fields, which an indicator's
// code (the name of its field there) must not take.
var reservedCodes = map[string]bool{"assessed_on": true, "assessors": true, "findings": true, "scores": true, "attachments": true}

// Validate checks a rubric as a whole: codes and names unique (the
// assessment template finds an indicator's column by its name), every field
// sensible, at least one score indicator. A refusal names the field rubric[N].code
// (.dimension, .name, .max, .veto, .kind) of the indicator N counted from 0.
func (r Rubric) Validate() error {
	seen, names := map[string]bool{}, map[string]int{}
	scores := 0
	for i, ind := range r {
		where := fmt.Sprintf("第 %d 项指标", i+1)
		field := fmt.Sprintf("rubric[%d].", i)
		switch {
		case !indicatorCode.MatchString(ind.Code):
			return errs.OnField(field+"code", where+"的编码须为小写字母开头的字母、数字或下划线,不超过30位")
		case reservedCodes[ind.Code]:
			return errs.OnField(field+"code", where+"的编码 "+ind.Code+" 是研判表单自用的名称,请换一个")
		case seen[ind.Code]:
			return errs.OnField(field+"code", where+"的编码 "+ind.Code+" 重复")
		case !ind.Dimension.Valid():
			return errs.OnField(field+"dimension", where+"的维度无效")
		case strings.TrimSpace(ind.Name) == "" || utf8.RuneCountInString(ind.Name) > 40:
			return errs.OnField(field+"name", where+"的名称不能为空,且不超过40个字")
		case ind.Kind == Score && (ind.Max < 1 || ind.Max > 100):
			return errs.OnField(field+"max", where+"的满分须在1到100之间")
		case ind.Kind == Flag && ind.Veto != B && ind.Veto != C:
			return errs.OnField(field+"veto", where+"是否决项,须指定至少定为B类或C类")
		case ind.Kind != Score && ind.Kind != Flag:
			return errs.OnField(field+"kind", where+"的类型须为评分项或否决项")
		case names[strings.TrimSpace(ind.Name)] > 0:
			return errs.OnField(field+"name", fmt.Sprintf("%s的名称与第 %d 项相同,请换一个", where, names[strings.TrimSpace(ind.Name)]))
		}
		seen[ind.Code] = true
		names[strings.TrimSpace(ind.Name)] = i + 1
		if ind.Kind == Score {
			scores++
		}
	}
	if scores == 0 {
		return errs.OnField("rubric", "评分标准至少要有一项评分项")
	}
	return nil
}

// Find returns the indicator with code.
func (r Rubric) Find(code string) (Indicator, bool) {
	for _, ind := range r {
		if ind.Code == code {
			return ind, true
		}
	}
	return Indicator{}, false
}

// MaxTotal is the most points the rubric gives.
func (r Rubric) MaxTotal() int {
	n := 0
	for _, ind := range r {
		if ind.Kind == Score {
			n += ind.Max
		}
	}
	return n
}

// DefaultRubric is the rubric a new cycle starts with: the six dimensions of
// the seed report scored to 100 points, and as veto flags the reasons the
// civil-affairs statistics give for a difficult village (难点村), such as
// 班子软弱涣散, 宗族派性严重 and 群体上访不断 (reference/cn-systems.md §3.8).
// Which reason forces which class is practice, not law: the office edits it.
func DefaultRubric() Rubric {
	s := func(code string, d Dimension, name string, max int) Indicator {
		return Indicator{Code: code, Dimension: d, Name: name, Kind: Score, Max: max}
	}
	f := func(code string, d Dimension, name string, veto Class) Indicator {
		return Indicator{Code: code, Dimension: d, Name: name, Kind: Flag, Veto: veto}
	}
	return Rubric{
		s("basic_stable", Basic, "人口结构和社区规模稳定", 5),
		s("basic_assets", Basic, "集体经济和资产底数清楚", 5),
		s("basic_projects", Basic, "拆迁安置、合村并居等重大事项平稳", 5),
		f("basic_demolition", Basic, "拆迁合并改制任务重", B),
		s("team_unity", Team, "班子团结、履职尽责", 10),
		s("team_leader", Team, "书记威信和驾驭能力", 10),
		f("team_incomplete", Team, "班子不健全", B),
		f("team_weak", Team, "班子软弱涣散", C),
		s("members_structure", Members, "党员队伍结构合理", 5),
		s("members_role", Members, "党员先锋作用发挥", 10),
		s("reserve_leader", Reserve, "书记主任人选储备充足", 10),
		s("reserve_young", Reserve, "35岁以下和女性后备力量", 10),
		f("reserve_none", Reserve, "无合适书记主任人选", B),
		s("demands_satisfaction", Demands, "群众对班子满意度", 10),
		s("demands_handling", Demands, "群众诉求办理及时", 5),
		f("demands_tension", Demands, "干群关系紧张", B),
		s("risks_disputes", Risks, "矛盾纠纷化解情况", 10),
		s("risks_competition", Risks, "换届竞争态势平稳", 5),
		f("risks_legacy", Risks, "遗留问题未解决", B),
		f("risks_fierce", Risks, "经济发达竞争激烈", B),
		f("risks_petition", Risks, "群体上访不断", C),
		f("risks_clan", Risks, "宗族派性严重", C),
	}
}
