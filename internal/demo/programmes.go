package demo

import (
	"fmt"
	"slices"
	"strings"

	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/programme"
	"github.com/huanjie/huanjie/internal/visit"
)

// The five-year programmes (issue 16, points 6 and 8), as the communities
// that elected their residents' committee first have begun them: their
// new members went out to ask the residents (问计于民, the round after the
// votes, which starts the day after the zone's first residents' vote)
// and drafted their programme from what they heard: goals with measures
// and a milestone for each year of the term, each proposal adopted into a
// goal, merged into one with a like proposal, or declined with its
// reason. One community's residents' representatives adopted theirs on
// the load day, and the first year's milestones have their first
// progress; the others are drafts at different steps: one ready to put to
// the representatives, one with proposals still to dispose of, one just
// begun. Drawn here, after every other draw of the zone, so the rest of
// the demo stays as it was; entered through the store's own writes
// (load_programmes.go).

// ProgrammesUpTo is how many communities of a zone have begun their
// programme.
const ProgrammesUpTo = 4

// DemoProgramme is a community's programme as its new committee drafted
// it from its proposals.
type DemoProgramme struct {
	OrgCode string
	Goals   []DemoGoal
	// Proposals are the community's visits of the round after the election
	// (by client id) and what became of each.
	Proposals []DemoProposal
	// Adoption is the residents' representatives' adoption, on the load
	// day; nil for a draft.
	Adoption *DemoAdoption
}

// DemoGoal is a goal of a programme: Milestones are the milestone of each
// year of the term from its first, "" for a year without one.
type DemoGoal struct {
	Title      string
	Area       programme.Area
	Measures   string
	Milestones []string
}

// DemoProposal is what became of the proposal heard on the visit ClientID:
// adopted or merged into goal Goal (an index of Goals), or declined with
// Note its reason; Outcome "" while still to be disposed of.
type DemoProposal struct {
	ClientID string
	Outcome  programme.Outcome
	Goal     int
	Note     string
}

// DemoAdoption is the representatives' adoption of a programme and the
// first progress reported on its milestones.
type DemoAdoption struct {
	Meeting, Document string
	Progress          []DemoProgress
}

// DemoProgress is how far the milestone of goal Goal (an index) in the
// Year-th year of the term (from 0) has got.
type DemoProgress struct {
	Goal, Year int
	State      programme.State
	Note       string
}

// A programme theme: a goal, its measures and milestones, and how
// residents put it when asked.
type programmeTheme struct {
	area       programme.Area
	title      string
	measures   string
	milestones [programme.TermYears]string
	proposals  []string
	done       string // how the first year's milestone was done, when reported done
}

var programmeThemes = []programmeTheme{
	{area: programme.Environment, title: "老旧小区环境整治",
		measures: "分批整治楼道堆物、破损道路和绿化\n每栋楼选一名楼栋长,每周巡查一次\n垃圾分类投放点覆盖全部楼栋",
		milestones: [programme.TermYears]string{"完成全部楼道堆物清理和问题摸底", "完成两个小区道路和绿化改造",
			"垃圾分类投放点覆盖全部楼栋", "完成其余小区改造", "建立长效管理机制,居民满意度达到九成"},
		proposals: []string{"希望集中清理楼道堆物,改善小区环境。", "小区绿化破损、道路坑洼,希望修一修。",
			"建议增加垃圾分类投放点,垃圾日产日清。"},
		done: "已组织党员志愿者和物业清理楼道堆物,建立问题台账。"},
	{area: programme.Livelihood, title: "居家养老和老年助餐服务",
		measures: "利用社区用房开办老年食堂\n组织志愿者结对探望独居和高龄老人\n联系卫生服务站每月上门巡诊",
		milestones: [programme.TermYears]string{"完成独居、高龄老人摸底并结对", "开办老年食堂,覆盖七十岁以上老人",
			"建成日间照料中心", "引入专业养老服务机构", "形成十五分钟养老服务圈"},
		proposals: []string{"希望社区办老年食堂,解决老人吃饭难。", "建议组织志愿者定期探望独居老人。",
			"老人看病不方便,希望医生能上门。"},
		done: "已完成摸底,62名独居和高龄老人全部结对。"},
	{area: programme.Governance, title: "规范物业管理,推动成立业主委员会",
		measures: "指导未成立业委会的小区依法成立业委会\n每季度召开物业、业委会、居民三方协调会\n物业服务质量每年向居民公开测评",
		milestones: [programme.TermYears]string{"召开首次三方协调会,公开物业服务标准", "两个小区成立业主委员会",
			"全部小区成立业委会或物业管理委员会", "物业服务测评满意率达到八成", "形成居民自治、物业服务、社区监督的长效机制"},
		proposals: []string{"物业服务差,希望社区协调成立业委会。", "小区停车乱,希望规范停车管理。",
			"物业收费不透明,希望公开收支。"},
		done: "已召开首次三方协调会,物业服务标准已张榜公开。"},
	{area: programme.Safety, title: "小区技防设施全覆盖",
		measures: "修复和增设小区监控、路灯\n建设电动车集中充电点\n组织平安志愿者夜间巡逻",
		milestones: [programme.TermYears]string{"修复全部损坏的监控和路灯", "建成电动车集中充电点",
			"主要出入口监控全覆盖", "各小区有平安志愿巡逻队", "小区刑事、治安案件明显下降"},
		proposals: []string{"建议修复小区监控和路灯,晚上太黑。", "希望建电动车集中充电点,别在楼道充电。"},
		done:      "已修复损坏的监控12处、路灯20盏。"},
	{area: programme.Culture, title: "丰富居民文体活动",
		measures: "改造社区活动室,对居民开放\n每季度举办一次邻里节或文艺活动\n扶持广场舞、书画等居民兴趣队伍",
		milestones: [programme.TermYears]string{"活动室改造完成并开放", "举办首届邻里文化节",
			"居民兴趣队伍达到十支", "建成社区书屋", "文体活动常态化,年参与超过三千人次"},
		proposals: []string{"希望多组织文体活动,有个活动室。", "建议办邻里节,让邻居多走动。"},
		done:      "活动室已改造完成,每天向居民开放。"},
	{area: programme.PartyBuilding, title: "网格党建,党员亮身份作表率",
		measures: "每个网格建立党小组\n党员在楼栋亮身份、设服务岗\n每月开展一次党员志愿服务",
		milestones: [programme.TermYears]string{"各网格建立党小组,党员亮身份", "每栋楼有党员服务岗",
			"党员志愿服务常态化", "培养发展年轻党员", "形成网格党建品牌"},
		proposals: []string{"建议党员在楼栋亮身份,有事能找到人。", "希望党员多带头参加志愿服务。"},
		done:      "各网格已建立党小组,党员在楼栋公示栏亮明身份。"},
}

// Proposals a committee declines, with its reason.
var declinedProposals = []struct{ text, reason string }{
	{"建议在小区里建一个大型地下停车场。", "小区内没有建设用地,且超出社区职责;已向街道反映,由城建部门统筹研究周边停车场建设。"},
	{"希望社区免除全部物业费。", "物业费由业主与物业服务企业按合同约定,社区无权减免;将在成立业委会后协商服务与收费标准。"},
	{"建议把小区门前道路改成步行街。", "道路属市政道路,改造须由交通和城建部门规划,社区已转交相关部门,不列入本社区纲领。"},
}

// programmes draws the programmes of the first communities that elected
// their residents' committee, and the visits of the round after on which
// their proposals were heard, added to those communities' visits.
func (d *visitDraw) programmes(codes []string, after DemoRound) {
	g, z := d.g, d.z
	v := &z.Visits
	var chosen []int
	for i, e := range z.Elections {
		if _, ok := e.Handover[org.ResidentsCommittee]; ok && -e.ResidentsIn > 1 { // a day to ask between the vote and the load day
			chosen = append(chosen, i)
		}
	}
	slices.SortStableFunc(chosen, func(a, b int) int { return z.Elections[a].ResidentsIn - z.Elections[b].ResidentsIn })
	chosen = chosen[:min(len(chosen), ProgrammesUpTo)]
	slices.Sort(chosen)
	added := map[string][]DemoVisit{}
	for k, i := range chosen {
		e, reg := z.Elections[i], v.Registers[i]
		c := &communityDraw{visitDraw: d, i: i, code: codes[i], reg: reg}
		visitors := []string{z.Aspirants[e.Officers.Secretary].Name}
		for _, dep := range e.Officers.Deputies {
			visitors = append(visitors, z.Aspirants[dep].Name)
		}
		r := DemoRound{Round: visit.After, StartsAgo: min(after.StartsAgo, -e.ResidentsIn-1), EndsAgo: 1}
		var reps []int
		for p, person := range reg.People {
			if person.Kind == visit.Representative {
				reps = append(reps, p)
			}
		}
		households := g.r.Perm(len(reg.Households))
		ask := func(text string) string {
			var dv DemoVisit
			if n := len(c.out); n%3 == 2 && n/3 < len(reps) { // a representatives' meeting
				dv = DemoVisit{HouseholdAt: -1, PersonAt: reps[n/3], MemberAt: -1}
			} else {
				dv = household(households[n%len(households)])
			}
			at := c.add(dv, visit.After, c.day(r, r.StartsAgo), visitors[:1+len(c.out)%min(len(visitors), 2)]...)
			at.Method = visit.Door
			if dv.PersonAt >= 0 {
				at.Method = visit.Meeting
			}
			at.Proposals = text
			return at.ClientID
		}
		p := DemoProgramme{OrgCode: codes[i]}
		themes := g.r.Perm(len(programmeThemes))[:3]
		for gi, t := range themes {
			th := programmeThemes[t]
			goal := DemoGoal{Title: th.title, Area: th.area, Measures: th.measures, Milestones: th.milestones[:]}
			if k == 3 && gi == 2 { // just begun: its last goal still without measures and milestones
				goal.Measures, goal.Milestones = "", nil
			}
			if k == 2 && gi > 0 { // milestones set for the first years only so far
				goal.Milestones = th.milestones[:2+gi%2]
			}
			p.Goals = append(p.Goals, goal)
			heard := g.r.Perm(len(th.proposals))[:1+g.r.IntN(len(th.proposals))]
			for n, h := range heard {
				dp := DemoProposal{ClientID: ask(th.proposals[h]), Outcome: programme.Adopt, Goal: gi}
				if n > 0 {
					dp.Outcome = programme.Merge
					dp.Note = "与“" + strings.TrimSuffix(th.proposals[heard[0]], "。") + "”合并,纳入目标“" + th.title + "”统筹落实"
				}
				p.Proposals = append(p.Proposals, dp)
			}
		}
		no := declinedProposals[(i+k)%len(declinedProposals)]
		p.Proposals = append(p.Proposals, DemoProposal{ClientID: ask(no.text), Outcome: programme.Decline, Goal: -1, Note: no.reason})
		// Make sure the adopted programme shows a merge: its first goal
		// heard twice.
		if k == 0 && !slices.ContainsFunc(p.Proposals, func(x DemoProposal) bool { return x.Outcome == programme.Merge }) {
			th := programmeThemes[themes[0]]
			p.Proposals = append(p.Proposals, DemoProposal{ClientID: ask(th.proposals[len(th.proposals)-1]), Outcome: programme.Merge, Goal: 0,
				Note: "与同类建议合并,纳入目标“" + th.title + "”统筹落实"})
		}
		switch k {
		case 0:
			name := ""
			for _, u := range z.Units {
				if u.Code == codes[i] {
					name = u.Name
				}
			}
			a := &DemoAdoption{Meeting: "居民代表会议", Document: fmt.Sprintf("%s居民代表会议关于通过五年施政纲领的决议", name)}
			for gi, t := range themes { // the first two goals' first milestones done, the last's under way
				pr := DemoProgress{Goal: gi, Year: 0, State: programme.Underway}
				if gi < 2 {
					pr.State, pr.Note = programme.Done, programmeThemes[t].done
				}
				a.Progress = append(a.Progress, pr)
			}
			p.Adoption = a
		case 2, 3: // proposals still to dispose of: the last two heard (the declined one among them)
			for n := len(p.Proposals) - 2; n < len(p.Proposals); n++ {
				p.Proposals[n].Outcome, p.Proposals[n].Goal, p.Proposals[n].Note = "", -1, ""
			}
		}
		v.Programmes = append(v.Programmes, p)
		added[codes[i]] = c.out
	}
	if len(added) == 0 {
		return
	}
	// Into each community's visits, oldest first as the others are.
	var all []DemoVisit
	for start := 0; start < len(v.Visits); {
		end := start
		for end < len(v.Visits) && v.Visits[end].Community == v.Visits[start].Community {
			end++
		}
		block := append(slices.Clone(v.Visits[start:end]), added[v.Visits[start].Community]...)
		slices.SortStableFunc(block, func(a, b DemoVisit) int { return b.DaysAgo - a.DaysAgo })
		all = append(all, block...)
		start = end
	}
	v.Visits = all
}
