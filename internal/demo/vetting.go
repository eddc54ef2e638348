package demo

import (
	"fmt"

	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Fate is what the gates make of a demo aspirant, drawn so that the demo
// zone tells the seed's story: two cases disqualify five aspirants in two
// communities, seven are persuaded to withdraw over a 不宜 finding of the
// first joint review, and the second joint review finds one 不得 condition
// the first round's department had answered clean.
type Fate string

// The fates.
const (
	Qualified     Fate = "qualified"    // clean in both rounds, qualified by the second review
	Withdrawn     Fate = "withdrawn"    // a 不宜 finding in round 1, persuaded to withdraw
	BarredLate    Fate = "barred_late"  // clean in round 1, a 不得 finding in round 2, barred
	Disqualified  Fate = "disqualified" // named in a case whose outcome is 取消参选资格
	PendingReview Fate = "pending"      // round 2 still unanswered by one department, overdue
	Late          Fate = "late"         // registered after round 2, sent alone to a later 联审, under review
)

// DemoAspirant is an aspirant with what becomes of them.
type DemoAspirant struct {
	vetting.Aspirant
	Fate       Fate
	Condition  string   // Withdrawn, BarredLate: the condition found
	Department string   // Withdrawn, BarredLate: the department that found it; PendingReview: the one that is late
	Case       int      // Disqualified: 1 or 2
	Batch      int      // Late: the later 联审 it was sent to, 1 to 3 (lateRounds)
	Answered   []string // Late: the departments that have answered it already
}

// The departments and conditions of the seed's story.
const (
	lateDepartment = "gaj"      // found the 不得 condition only in round 2
	lateCondition  = "criminal" // 受过刑事处罚
	slowDepartment = "wjj"      // has not answered round 2 for two aspirants
)

// withdrawnFindings are the 不宜 conditions of the seven persuaded to
// withdraw, each with a department whose checklist holds it.
var withdrawnFindings = [][2]string{
	{"detention", "gaj"}, {"petition", "xfj"}, {"defaulter", "fy"}, {"land", "zrzyj"},
	{"funds", "nyncj"}, {"absence", "zzb"}, {"credit", "rmyh"},
}

var educationCodes = map[string]vetting.Education{
	"初中": vetting.JuniorOrLess, "高中": vetting.HighSchool, "中专": vetting.HighSchool, "大专": vetting.College,
	"本科": vetting.Bachelor, "研究生": vetting.Postgraduate,
}

// aspirants draws 5 to 8 aspirants per community for both committees and
// deals out the fates, then the late registrations (after the others, so
// that they change none of the others' draws); codes are the communities in
// tree order.
func (g *gen) aspirants(codes []string) []DemoAspirant {
	var out []DemoAspirant
	seen := map[string]bool{} // one registration per ID number
	add := func(code string, c org.Committee, post, cross vetting.Post, party bool) {
		p := g.person(g.r.IntN(3) == 0, 1966, 2000)
		for seen[p.idNumber] {
			p = g.person(p.sex == "女", 1966, 2000)
		}
		seen[p.idNumber] = true
		a := vetting.Aspirant{OrgCode: code, Name: p.name, IDNumber: p.idNumber,
			Phone: fmt.Sprintf("199%08d", g.r.IntN(100000000)), Ethnicity: "汉族", Party: vetting.Masses,
			Committee: c, Post: post, CrossPost: cross, Education: educationCodes[p.education]}
		if party || c == org.PartyCommittee {
			a.Party = vetting.PartyMember
		}
		out = append(out, DemoAspirant{Aspirant: a, Fate: Qualified})
	}
	for _, code := range codes {
		cross := vetting.Post("")
		if g.r.IntN(4) > 0 {
			cross = vetting.Director // 一肩挑
		}
		add(code, org.PartyCommittee, vetting.Secretary, cross, true)
		for i, k := 0, 2+g.r.IntN(2); i < k; i++ {
			add(code, org.PartyCommittee, vetting.CommitteeMember, "", true)
		}
		if cross == "" {
			add(code, org.ResidentsCommittee, vetting.Director, "", g.r.IntN(2) == 0)
		}
		for i, k := 0, 2+g.r.IntN(3); i < k; i++ {
			add(code, org.ResidentsCommittee, vetting.CommitteeMember, "", g.r.IntN(3) == 0)
		}
	}
	// Cases in the second and third communities: three and two aspirants.
	byCommunity := map[string][]int{}
	for i, a := range out {
		byCommunity[a.OrgCode] = append(byCommunity[a.OrgCode], i)
	}
	if len(codes) >= 4 {
		for c, n := range map[int]int{1: 3, 2: 2} {
			for _, i := range byCommunity[codes[c]][1 : 1+n] {
				out[i].Fate, out[i].Case = Disqualified, c
			}
		}
	}
	// Withdrawals, the late 不得 finding and the pending reviews in other
	// communities, one aspirant each, spread over the zone.
	var others []int
	for ci, code := range codes {
		if len(codes) >= 4 && (ci == 1 || ci == 2) {
			continue
		}
		others = append(others, byCommunity[code][len(byCommunity[code])-1])
	}
	step := max(1, len(others)/10)
	pick := func(k int) (int, bool) {
		if k*step >= len(others) {
			return 0, false
		}
		return others[k*step], true
	}
	for k, f := range withdrawnFindings {
		if i, ok := pick(k); ok {
			out[i].Fate, out[i].Condition, out[i].Department = Withdrawn, f[0], f[1]
		}
	}
	if i, ok := pick(len(withdrawnFindings)); ok {
		out[i].Fate, out[i].Condition, out[i].Department = BarredLate, lateCondition, lateDepartment
	}
	for k := range 2 {
		if i, ok := pick(len(withdrawnFindings) + 1 + k); ok {
			out[i].Fate, out[i].Department = PendingReview, slowDepartment
		}
	}
	// Late registrations, spread over the zone, sent alone to the later
	// rounds; each department has answered some of them, not all.
	total, j := 0, 0
	for _, n := range lateBatches {
		total += n
	}
	for b, n := range lateBatches {
		first := len(out)
		for range n {
			add(codes[j*len(codes)/total], org.ResidentsCommittee, vetting.CommitteeMember, "", g.r.IntN(3) == 0)
			j++
		}
		batch := out[first:]
		for i := range batch {
			batch[i].Fate, batch[i].Batch = Late, b+1
		}
		for _, d := range vetting.DefaultDepartments() {
			open := g.r.IntN(len(batch))
			for i := range batch {
				if i != open && g.r.IntN(b+2) == 0 {
					batch[i].Answered = append(batch[i].Answered, d.Code)
				}
			}
		}
	}
	return out
}

// lateBatches is how many late registrations each later 联审 takes: the
// first is past its deadline, the second due today, the third due later
// (lateRounds). Every department keeps at least one of each batch open,
// which and how many differing from department to department.
var lateBatches = []int{4, 3, 3}

// DemoActivity is an entry of the publicity and warning-education log: the
// seed's 500 cartoons, 5 warning-education meetings and 10-odd posts.
type DemoActivity struct {
	vetting.Activity
	DaysAgo int
}

func activities(zone string) []DemoActivity {
	a := func(t vetting.ActivityType, n, daysAgo int, note string) DemoActivity {
		return DemoActivity{Activity: vetting.Activity{OrgCode: zone, Type: t, Quantity: n, Note: note}, DaysAgo: daysAgo}
	}
	out := []DemoActivity{
		a(vetting.Cartoon, 300, 60, "换届纪律宣传漫画(第一批)"), a(vetting.Cartoon, 220, 45, "换届纪律宣传漫画(第二批)"),
	}
	for i := range 5 {
		out = append(out, a(vetting.WarningMeeting, 1, 58-i*9, fmt.Sprintf("第%d场换届风气警示教育会", i+1)))
	}
	for i := range 12 {
		out = append(out, a(vetting.WechatPost, 1, 59-i*5, fmt.Sprintf("“严肃换届纪律”公众号推送第%d期", i+1)))
	}
	return out
}

// DemoCase is one of the seed's two cases; its aspirants are those whose
// Case is Number.
type DemoCase struct {
	Number  int
	OrgCode string
	Source  vetting.CaseSource
	Summary string
	FromTip bool // opened on the first tip about its community
}

// DemoTip is a public tip with where triage has taken it.
type DemoTip struct {
	vetting.Tip
	Status  vetting.TipStatus
	Result  string
	DaysAgo int
}

// casesAndTips writes the two cases (one from a tip, one from the police)
// and tips in every state for the communities codes.
func casesAndTips(codes []string, aspirants []DemoAspirant) ([]DemoCase, []DemoTip) {
	if len(codes) < 4 {
		return nil, nil
	}
	cases := []DemoCase{
		{1, codes[1], vetting.FromTip, "群众举报参选人串联拉票、承诺给予好处,经纪委公安联合调查属实", true},
		{2, codes[2], vetting.FromPolice, "公安机关在专项行动中查实参选人参与干扰选举的违法活动", false},
	}
	tips := []DemoTip{
		{Tip: vetting.Tip{OrgCode: codes[1], Category: vetting.TipBribery, Person: firstOfCase(aspirants, 1),
			Description: "有参选人挨家挨户打招呼,承诺当选后给予好处,请求组织核查。"},
			Status: vetting.TipClosed, Result: "经核查属实,已立案查处,取消相关人员参选资格。", DaysAgo: 35},
		{Tip: vetting.Tip{OrgCode: codes[0], Category: vetting.TipEligibility,
			Description: "反映某自荐人长期在外地经商,不能正常履行社区工作职责。"},
			Status: vetting.TipClosed, Result: "经核查,该人已返回社区居住并实际工作,反映问题不属实。", DaysAgo: 28},
		{Tip: vetting.Tip{OrgCode: codes[3], Category: vetting.TipIntegrity,
			Description: "反映社区集体资产出租收入去向不明,希望在换届前公开。"},
			Status: vetting.TipVerifying, DaysAgo: 6},
		{Tip: vetting.Tip{OrgCode: codes[len(codes)-1], Category: vetting.TipInterference,
			Description: "有人在居民群里散布某参选人的不实言论,影响选举氛围。"},
			Status: vetting.TipReceived, DaysAgo: 1},
		{Tip: vetting.Tip{OrgCode: codes[len(codes)/2], Category: vetting.TipOther,
			Description: "建议在社区公示栏张贴候选人资格审查结果,方便群众监督。"},
			Status: vetting.TipReceived, DaysAgo: 0},
	}
	return cases, tips
}

func firstOfCase(aspirants []DemoAspirant, n int) string {
	for _, a := range aspirants {
		if a.Case == n {
			return a.Name
		}
	}
	return ""
}
