package assess

import (
	"fmt"
	"sort"
	"strings"

	"github.com/huanjie/huanjie/internal/errs"
)

// Class is the result of classification (三类).
type Class string

// The classes. Unassessed is a community without an assessment.
const (
	Unassessed Class = ""
	A          Class = "A" // 班子运转好、社区稳定
	B          Class = "B" // 班子运转一般、选情较复杂: 黄色预警
	C          Class = "C" // 班子运转差、选情复杂: 红色预警
)

// Classes lists the classes in order of concern.
var Classes = []Class{A, B, C}

// Label is the Chinese name of the class: A类, B类, C类, or 未研判.
func (c Class) Label() string {
	if c.Valid() {
		return string(c) + "类"
	}
	return "未研判"
}

// Valid reports whether c is A, B or C.
func (c Class) Valid() bool { return c == A || c == B || c == C }

// rank orders classes by concern: A < B < C.
func (c Class) rank() int { return strings.Index("ABC", string(c)) }

// Worse returns the more worrying of c and d.
func (c Class) Worse(d Class) Class {
	if d.rank() > c.rank() {
		return d
	}
	return c
}

// Warning is the alert a class raises.
type Warning string

// Warnings: B is 黄色预警, C is 红色预警.
const (
	NoWarning Warning = "none"
	Yellow    Warning = "yellow"
	Red       Warning = "red"
)

// Warnings lists the alerts, the mildest first.
var Warnings = []Warning{NoWarning, Yellow, Red}

// Warning returns the alert of the class.
func (c Class) Warning() Warning {
	switch c {
	case B:
		return Yellow
	case C:
		return Red
	}
	return NoWarning
}

// Label is the Chinese name of the warning.
func (w Warning) Label() string {
	switch w {
	case Yellow:
		return "黄色预警"
	case Red:
		return "红色预警"
	}
	return "无预警"
}

// Rules turn scores into a class. The thresholds are percentages of the
// rubric's maximum; PlansRequired says how many plans each class needs
// (一村一策: the seed has B two and C three). All are settings the office
// edits, with these defaults.
type Rules struct {
	AMin, BMin    int // A at or above AMin percent, B at or above BMin, else C
	PlansRequired map[Class]int
}

// DefaultRules: A from 80%, B from 60%; plans 1, 2, 3.
func DefaultRules() Rules {
	return Rules{AMin: 80, BMin: 60, PlansRequired: map[Class]int{A: 1, B: 2, C: 3}}
}

// Validate checks the thresholds and plan counts.
func (r Rules) Validate() error {
	if r.BMin < 0 || r.AMin > 100 || r.BMin >= r.AMin {
		return errs.OnField("a_min", "分类线须满足 0 ≤ B类线 < A类线 ≤ 100")
	}
	for _, c := range []Class{A, B, C} {
		if n := r.PlansRequired[c]; n < 0 || n > 9 {
			return errs.OnField("plans."+string(c), "每类所需方案数须在0到9之间")
		}
	}
	return nil
}

// Scores are the answers of one assessment: points for score indicators,
// 1 for a flag that is present (0 or absent when not).
type Scores map[string]int

// Check validates scores against the rubric: every score indicator answered
// within 0..Max, flags 0 or 1, no unknown codes.
func (s Scores) Check(r Rubric) error {
	for code, v := range s {
		ind, ok := r.Find(code)
		if !ok {
			return errs.OnField(code, "未知的指标:"+code)
		}
		if ind.Kind == Score && (v < 0 || v > ind.Max) {
			return errs.OnField(code, fmt.Sprintf("“%s”的得分须在0到%d之间", ind.Name, ind.Max))
		}
		if ind.Kind == Flag && v != 0 && v != 1 {
			return errs.OnField(code, fmt.Sprintf("“%s”只能填“是”或“否”", ind.Name))
		}
	}
	for _, ind := range r {
		if _, ok := s[ind.Code]; !ok && ind.Kind == Score {
			return errs.OnField(ind.Code, fmt.Sprintf("“%s”未评分", ind.Name))
		}
	}
	return nil
}

// Result is a computed classification with its reasons.
type Result struct {
	Class       Class
	Total, Max  int
	Percent     int                  // Total/Max, rounded down
	ByDimension map[Dimension][2]int // points and maximum per dimension
	ScoreClass  Class                // what the total alone gives
	Vetoes      []Indicator          // flags present, most severe first
	Explanation string               // in Chinese: which scores and vetoes decided it
}

// Classify computes the class of scores under rubric and rules. Scores must
// have passed Check. Codes the rubric no longer has are ignored, and a score
// above a lowered maximum counts as the maximum, so that old assessments
// still classify after the rubric changes.
func Classify(r Rubric, rules Rules, s Scores) Result {
	res := Result{Max: r.MaxTotal(), ByDimension: map[Dimension][2]int{}}
	for _, ind := range r {
		v := s[ind.Code]
		switch ind.Kind {
		case Score:
			v = min(max(v, 0), ind.Max)
			res.Total += v
			d := res.ByDimension[ind.Dimension]
			res.ByDimension[ind.Dimension] = [2]int{d[0] + v, d[1] + ind.Max}
		case Flag:
			if v == 1 {
				res.Vetoes = append(res.Vetoes, ind)
			}
		}
	}
	if res.Max > 0 {
		res.Percent = res.Total * 100 / res.Max
	}
	switch {
	case res.Percent >= rules.AMin:
		res.ScoreClass = A
	case res.Percent >= rules.BMin:
		res.ScoreClass = B
	default:
		res.ScoreClass = C
	}
	sort.SliceStable(res.Vetoes, func(i, j int) bool { return res.Vetoes[i].Veto.rank() > res.Vetoes[j].Veto.rank() })
	res.Class = res.ScoreClass
	for _, v := range res.Vetoes {
		res.Class = res.Class.Worse(v.Veto)
	}
	res.Explanation = explain(res, rules)
	return res
}

func explain(res Result, rules Rules) string {
	var b strings.Builder
	fmt.Fprintf(&b, "总分 %d/%d(%d%%)", res.Total, res.Max, res.Percent)
	switch res.ScoreClass {
	case A:
		fmt.Fprintf(&b, ",达到A类线%d%%,按得分为A类", rules.AMin)
	case B:
		fmt.Fprintf(&b, ",低于A类线%d%%、不低于B类线%d%%,按得分为B类", rules.AMin, rules.BMin)
	default:
		fmt.Fprintf(&b, ",低于B类线%d%%,按得分为C类", rules.BMin)
	}
	weakest := weakestDimension(res)
	if weakest != "" {
		d := res.ByDimension[weakest]
		fmt.Fprintf(&b, ";得分率最低的维度是%s(%d/%d)", weakest.Label(), d[0], d[1])
	}
	if len(res.Vetoes) == 0 {
		b.WriteString(";无否决项")
	} else {
		var names []string
		for _, v := range res.Vetoes {
			names = append(names, fmt.Sprintf("“%s”(至少%s类)", v.Name, v.Veto))
		}
		b.WriteString(";否决项:" + strings.Join(names, "、"))
		if res.Class != res.ScoreClass {
			fmt.Fprintf(&b, ",由%s类提至%s类", res.ScoreClass, res.Class)
		}
	}
	fmt.Fprintf(&b, "。结论:%s类", res.Class)
	if w := res.Class.Warning(); w != NoWarning {
		b.WriteString("," + w.Label())
	}
	b.WriteString("。")
	return b.String()
}

func weakestDimension(res Result) Dimension {
	var weakest Dimension
	best := 2.0
	for _, d := range Dimensions {
		v, ok := res.ByDimension[d]
		if !ok || v[1] == 0 {
			continue
		}
		if r := float64(v[0]) / float64(v[1]); r < best {
			weakest, best = d, r
		}
	}
	return weakest
}
