package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/huanjie/huanjie/internal/assess"
)

// DemoAssessment is a community's assessment with its date as days before
// the day the demo is loaded.
type DemoAssessment struct {
	OrgCode   string
	DaysAgo   int
	Target    assess.Class // what the scores were drawn for; the rules decide
	Assessors []assess.Assessor
	Findings  string
	Scores    assess.Scores
}

// DemoPlan is a plan with measures due some days from the load day.
type DemoPlan struct {
	assess.Plan
	Measures []DemoMeasure
}

// DemoMeasure is a measure due DueIn days from the load day (negative: past),
// done DoneAgo days ago when Done.
type DemoMeasure struct {
	assess.Measure
	DueIn   int
	Done    bool
	DoneAgo int
}

// shares of the seed zone: 14 A, 10 B, 8 C of 32.
func classTargets(r *rand.Rand, n int) []assess.Class {
	a := (n*14 + 16) / 32
	b := (n*10 + 16) / 32
	out := make([]assess.Class, 0, n)
	for i := 0; i < n; i++ {
		switch {
		case i < a:
			out = append(out, assess.A)
		case i < a+b:
			out = append(out, assess.B)
		default:
			out = append(out, assess.C)
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

var findings = map[assess.Class][]string{
	assess.A: {"班子团结协作,群众满意度高,书记主任人选储备充足,换届条件成熟。", "社区稳定,无突出信访问题,党员队伍结构合理。"},
	assess.B: {"班子运转一般,个别成员履职不到位,选情较复杂,需重点关注。", "拆迁安置遗留问题尚未完全化解,竞争态势较激烈。"},
	assess.C: {"班子运转差,信访矛盾突出,存在宗族派性影响,极有可能影响换届。", "群体上访多发,书记人选不明朗,需提前制定应急预案。"},
}

// assessments draws scores for each community so that the default rules
// give the seed's split. The class is computed by assess.Classify, never
// assigned: a draw the rules would class otherwise is drawn again.
func (g *gen) assessments(codes []string) []DemoAssessment {
	rubric, rules := assess.DefaultRubric(), assess.DefaultRules()
	targets := classTargets(g.r, len(codes))
	out := make([]DemoAssessment, len(codes))
	for i, code := range codes {
		target := targets[i]
		var s assess.Scores
		for try := 0; ; try++ {
			s = g.scores(rubric, target)
			if assess.Classify(rubric, rules, s).Class == target {
				break
			}
			if try > 50 {
				panic(fmt.Sprintf("demo: cannot draw scores for class %s", target))
			}
		}
		out[i] = DemoAssessment{
			OrgCode: code, DaysAgo: daysAgo(i, g.r), Target: target, Scores: s,
			Findings:  findings[target][g.r.IntN(len(findings[target]))],
			Assessors: g.team(),
		}
	}
	return out
}

// scores draws answers: A high with no flag; B middling, or high with a
// yellow flag; C low, or middling with a red flag.
func (g *gen) scores(r assess.Rubric, target assess.Class) assess.Scores {
	lo, hi, flag := 0.84, 1.0, assess.Unassessed
	switch target {
	case assess.B:
		lo, hi = 0.63, 0.76
		if g.r.IntN(3) == 0 {
			lo, hi, flag = 0.84, 1.0, assess.B
		}
	case assess.C:
		lo, hi = 0.30, 0.55
		if g.r.IntN(2) == 0 {
			lo, hi, flag = 0.63, 0.76, assess.C
		}
	}
	s := assess.Scores{}
	var flags []string
	for _, ind := range r {
		switch ind.Kind {
		case assess.Score:
			f := lo + g.r.Float64()*(hi-lo)
			s[ind.Code] = int(float64(ind.Max)*f + 0.5)
		case assess.Flag:
			s[ind.Code] = 0
			if ind.Veto == flag {
				flags = append(flags, ind.Code)
			}
		}
	}
	if len(flags) > 0 {
		s[flags[g.r.IntN(len(flags))]] = 1
	}
	return s
}

func (g *gen) team() []assess.Assessor {
	var t []assess.Assessor
	for _, unit := range []string{"党群部", "纪检监察", "综治信访", "包社区干部"} {
		p := g.person(g.r.IntN(3) == 0, 1970, 1995)
		t = append(t, assess.Assessor{Unit: unit, Name: p.name})
	}
	return t
}

var measureTexts = map[assess.Section][]string{
	assess.Conflicts: {"逐户走访化解拆迁安置遗留问题", "召开居民议事会通报集体资产处置情况", "联合综治信访约谈重点信访人"},
	assess.Reserves:  {"摸排35岁以下后备人选并建立台账", "组织意向人选与包社区领导谈话", "考察外派年轻干部人选"},
	assess.Rectify:   {"调整不胜任班子成员分工", "开展软弱涣散党组织整顿", "规范三务公开栏"},
	assess.Publicity: {"张贴换届纪律宣传漫画", "召开党员大会宣讲换届政策", "推送换届纪律公众号文章"},
}

// plans gives each community the plans its class needs, except the first two
// B and first two C communities, which lack one: the shortfall list is not
// empty. Every plan has measures, some overdue, some done.
func (g *gen) plans(as []DemoAssessment) []DemoPlan {
	var out []DemoPlan
	short := map[assess.Class]int{assess.B: 2, assess.C: 2}
	for _, a := range as {
		need := assess.DefaultRules().PlansRequired[a.Target]
		if short[a.Target] > 0 {
			short[a.Target]--
			need--
		}
		for k := 0; k < need; k++ {
			kind := assess.PlanKinds[k]
			p := DemoPlan{Plan: assess.Plan{OrgCode: a.OrgCode, Kind: kind, Title: planTitles[kind],
				Sections: map[assess.Section]string{}}}
			for _, sec := range assess.Sections {
				p.Sections[sec] = "围绕" + sec.Label() + "开展工作,明确责任人和时间节点。"
			}
			for m, count := 0, 2+g.r.IntN(3); m < count; m++ {
				sec := assess.Sections[g.r.IntN(len(assess.Sections))]
				texts := measureTexts[sec]
				dm := DemoMeasure{Measure: assess.Measure{Section: sec, Content: texts[g.r.IntN(len(texts))],
					Owner: g.person(g.r.IntN(3) == 0, 1970, 1995).name}, DueIn: -10 + g.r.IntN(30)}
				if dm.DueIn < 0 && g.r.IntN(2) == 0 {
					dm.Done, dm.DoneAgo = true, g.r.IntN(-dm.DueIn+1)
				}
				p.Measures = append(p.Measures, dm)
			}
			out = append(out, p)
		}
	}
	return out
}

// daysAgo dates the first three assessments today, yesterday and the day
// before, so that the warning list has recent changes; the rest 3 to 27 days ago.
func daysAgo(i int, r *rand.Rand) int {
	if i < 3 {
		return i
	}
	return 3 + r.IntN(25)
}

// planTitles are what an office names its plans, not the kind's label again
// (the page shows "主方案:换届选举工作方案").
var planTitles = map[assess.PlanKind]string{
	assess.MainPlan:        "换届选举工作方案",
	assess.FallbackPlan:    "候选人人选不足时的备用方案",
	assess.ContingencyPlan: "选举日突发情况应急预案",
}
