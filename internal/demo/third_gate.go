package demo

import (
	"fmt"
	"slices"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The third gate, 人选考察关, as the seed tells it: "实行预判人选与选举结果比对制度,
// 综合考虑一肩挑、女性干部、35岁以下干部等硬指标,逐个社区进行分析研究……通过外派、内选等
// 方式大胆选用年轻干部,对辛庄、长远、西山等社区及时选拔了3名35岁以下优秀年轻干部参选书记主任".
// Every community with aspirants gets the seats of both committees, the
// two recommendations of each committee agreeing with the predicted slate
// on most posts, an assessment team with its persons at varied steps, a
// predicted slate filling every seat (一肩挑 in most communities, a woman on
// each committee and a member 35岁以下 in all but a few), and in about half
// of them a reserve list. People are aspirants, by their index in
// Zone.Aspirants; days count back from the day the demo is loaded.

// DemoGate is one community's third gate.
type DemoGate struct {
	OrgCode string
	Seats   []slate.Seats // the party committee's, then the residents'
	Recs    []DemoRecommendation
	Team    slate.Team
	Steps   []DemoSteps
	Dual    bool
	Picks   []DemoPick
	// Replaced: a person of the first prediction replaced after an
	// objection in the notice was found true; nil in most communities.
	Replaced *DemoReplacement
	Reserve  []slate.ReservePerson
	// Misses is the hard target the community misses, "" for none.
	Misses string
}

// DemoPick is a predicted person: the aspirant of index Aspirant.
type DemoPick struct {
	Committee org.Committee
	Post      vetting.Post
	Aspirant  int
	Source    slate.Origin
	Notes     string
}

// DemoReplacement is a change of the predicted slate: From (an index into
// Zone.Aspirants) was predicted on the post and replaced by To for Reason.
type DemoReplacement struct {
	Committee org.Committee
	Post      vetting.Post
	From, To  int
	Reason    string
}

// DemoRecommendation is one of a committee's two recommendations, held
// DaysAgo days before the load (or before a week ahead of the party's
// election day, when that comes first).
type DemoRecommendation struct {
	Committee         org.Committee
	Kind              slate.Kind
	Expected, Present int
	DaysAgo           int
	Votes             []DemoVote
}

// DemoVote is the votes of the aspirant of index Aspirant for Post.
type DemoVote struct {
	Aspirant int
	Post     vetting.Post
	Votes    int
}

// DemoSteps is how far the assessment of one aspirant has come: Stage is
// where they stand on the load day (slate.StagePending: not assessed yet);
// StageFailed is a person the team did not recommend, or with Objection
// one whose notice brought an objection found true.
type DemoSteps struct {
	Aspirant  int
	Stage     slate.Stage
	Objection bool
}

// What a community may miss of the hard targets.
const (
	missWoman = "女性成员"
	missYoung = "35岁以下成员"
)

// seedYoung are the seed's three communities whose young cadres stood for
// secretary and director, and how each came.
var seedYoung = map[string]slate.Origin{"辛庄": slate.Inside, "长远": slate.Outside, "西山": slate.Inside}

// demoDays are the election days of a new demo database: neither the
// communities nor the cycle have their own.
func demoDays() progress.Days { return progress.Resolve(progress.Days{}, progress.Days{}) }

// community is what thirdGate keeps while it builds a community's slate.
type community struct {
	g      *gen
	z      *Zone
	code   string
	seen   map[string]bool
	days   progress.Days
	picked map[org.Committee][]DemoPick
}

// named reports whether one of the community's aspirants has name.
func (c *community) named(name string) bool {
	for _, a := range c.z.Aspirants {
		if a.OrgCode == c.code && a.Name == name {
			return true
		}
	}
	return false
}

func (c *community) a(i int) vetting.Aspirant { return c.z.Aspirants[i].Aspirant }

func (c *community) age(i int, on org.Committee) int {
	return slate.AgeOn(civil.Date(c.a(i).BirthDate()), c.days.For(progress.Election(on)))
}

func (c *community) young(i int, on org.Committee) bool { return slate.Young(c.age(i, on)) }

func (c *community) female(i int) bool { return c.a(i).Sex() == "女" }

// register registers a new aspirant of the community, qualified by the
// gates like the others, and returns its index. Its name is none of the
// community's aspirants': a ballot names its candidates, and two of one
// name on one list could not be told apart (the 2,000-community zone drew
// a second 秦鹏 for a party committee, whose votes then counted as one).
func (c *community) register(com org.Committee, post, cross vetting.Post, female bool, from, to int, current string) int {
	g := c.g
	p := g.person(female, from, to)
	for c.seen[p.idNumber] || c.named(p.name) {
		p = g.person(female, from, to)
	}
	c.seen[p.idNumber] = true
	a := vetting.Aspirant{OrgCode: c.code, Name: p.name, IDNumber: p.idNumber,
		Phone: fmt.Sprintf("199%08d", g.r.IntN(100000000)), Ethnicity: "汉族", Party: vetting.Masses,
		Committee: com, Post: post, CrossPost: cross, Education: educationCodes[p.education], CurrentPost: current}
	if com == org.PartyCommittee || cross != "" || g.r.IntN(3) == 0 {
		a.Party = vetting.PartyMember
	}
	c.z.Aspirants = append(c.z.Aspirants, DemoAspirant{Aspirant: a, Fate: Qualified})
	return len(c.z.Aspirants) - 1
}

// on lists the aspirants predicted on committee com.
func (c *community) on(com org.Committee) []int {
	var out []int
	for _, p := range c.picked[com] {
		out = append(out, p.Aspirant)
	}
	return out
}

func (c *community) isPicked(i int, com org.Committee) bool { return slices.Contains(c.on(com), i) }

// thirdGate builds the third gate of every community of codes, in tree
// order; names are the communities' names by code. It registers the
// aspirants a community needs beyond those the gates qualified (appended
// to z.Aspirants, so that no earlier draw changes).
func (g *gen) thirdGate(z *Zone, codes []string, names map[string]string) {
	if len(codes) < 4 {
		return
	}
	seen := map[string]bool{}
	for _, a := range z.Aspirants {
		seen[a.IDNumber] = true
	}
	households := map[string]int{}
	for _, u := range z.Units {
		households[u.Code] = u.Households
	}
	young := map[string]slate.Origin{}
	for code, name := range names {
		for base, origin := range seedYoung {
			if name == base+"社区" {
				young[code] = origin
			}
		}
	}
	// Four communities, spread over the zone, miss a hard target: two
	// have no woman on the residents' committee, two nobody 35岁以下; in two
	// of them the secretary is not planned to be the director.
	misses, noDual := map[string]string{}, map[string]bool{}
	if n := len(codes); n >= 8 {
		for k, m := range []string{missWoman, missYoung, missWoman, missYoung} {
			i := (2*k + 1) * n / 8
			for young[codes[i]] != "" || misses[codes[i]] != "" {
				i = (i + 1) % n
			}
			misses[codes[i]] = m
			noDual[codes[i]] = k == 1 || k == 2
		}
	}
	for i, code := range codes {
		c := &community{g: g, z: z, code: code, seen: seen, days: demoDays(), picked: map[org.Committee][]DemoPick{}}
		gate := g.communitySlate(c, young[code], misses[code], noDual[code], households[code])
		gate.OrgCode, gate.Misses = code, misses[code]
		g.recommendations(c, &gate, i, households[code])
		g.assessment(c, &gate, i)
		if i%2 == 0 {
			gate.Reserve = g.reserve(c)
		}
		z.Gates = append(z.Gates, gate)
	}
}

// seatsOf are a community's seats: a party committee of 5, or 7 where the
// organisation has 100 full members or more; a residents' committee of 5
// to 7 by its households.
func (g *gen) seatsOf(households int) []slate.Seats {
	full := 30 + g.r.IntN(91)
	party := slate.Seats{Committee: org.PartyCommittee, FullMembers: full, Chief: 1, Deputies: 1, Members: 3}
	if full >= 100 {
		party.Members = 5
	}
	res := slate.Seats{Committee: org.ResidentsCommittee, Body: slate.ResidentsBody, Chief: 1, Deputies: 1, Members: 3}
	switch {
	case households >= 2500:
		res.Deputies, res.Members = 2, 4
	case households >= 1500:
		res.Members = 4
	}
	return []slate.Seats{party, res}
}

// communitySlate draws the seats and the predicted slate of a community:
// youngOrigin is how its young secretary came ("" for none), miss the hard
// target it misses, noDual that its secretary is not planned as director.
func (g *gen) communitySlate(c *community, youngOrigin slate.Origin, miss string, noDual bool, households int) DemoGate {
	gate := DemoGate{Seats: g.seatsOf(households), Dual: !noDual}
	var pool []int // the community's qualified aspirants, in registration order
	qualified := func() {
		pool = pool[:0]
		for i, a := range c.z.Aspirants {
			if a.OrgCode == c.code && a.Fate == Qualified {
				pool = append(pool, i)
			}
		}
	}
	qualified()
	pick := func(com org.Committee, post vetting.Post, i int) {
		c.picked[com] = append(c.picked[com], DemoPick{Committee: com, Post: post, Aspirant: i})
	}
	// ok is whether aspirant i may stand on committee com here.
	ok := func(i int, com org.Committee) bool {
		switch {
		case miss == missYoung && c.young(i, com):
			return false
		case miss == missWoman && com == org.ResidentsCommittee && c.female(i):
			return false
		}
		return slate.Stands(c.a(i), com)
	}
	// The secretary: the seed's young cadre, else the aspirant who
	// registered for it (not a young one: the seed's three are the zone's
	// young secretaries), else one registered now.
	sec := -1
	if youngOrigin != "" {
		current := "社区党委委员、网格长"
		if youngOrigin == slate.Outside {
			current = "开发区党群部科员(选派)"
		}
		sec = c.register(org.PartyCommittee, vetting.Secretary, vetting.Director, g.r.IntN(3) == 0, 1992, 1995, current)
		a := &c.z.Aspirants[sec].Aspirant
		a.Education = []vetting.Education{vetting.Bachelor, vetting.Postgraduate}[g.r.IntN(2)]
	} else {
		for _, i := range pool {
			female := c.female(i) && miss == missWoman && gate.Dual
			if c.a(i).Post == vetting.Secretary && c.a(i).Committee == org.PartyCommittee && !c.young(i, org.PartyCommittee) &&
				!c.young(i, org.ResidentsCommittee) && !female {
				sec = i
				break
			}
		}
		if sec < 0 {
			sec = c.register(org.PartyCommittee, vetting.Secretary, vetting.Director, !(miss == missWoman && gate.Dual) && g.r.IntN(5) == 0,
				1968, 1984, "")
		}
	}
	if gate.Dual && c.a(sec).CrossPost == "" {
		// Registered for the party committee alone, and persuaded to stand
		// for director too: the plan is 一肩挑.
		c.z.Aspirants[sec].CrossPost = vetting.Director
	}
	pick(org.PartyCommittee, vetting.Secretary, sec)
	if youngOrigin != "" {
		c.picked[org.PartyCommittee][0].Source = youngOrigin
		c.picked[org.PartyCommittee][0].Notes = "35岁以下优秀年轻干部," + youngOrigin.Label() + "产生,拟任书记并通过法定程序担任主任"
	}
	dir := sec
	if !gate.Dual {
		dir = -1
		for _, i := range pool {
			if i != sec && ok(i, org.ResidentsCommittee) && !c.young(i, org.ResidentsCommittee) &&
				(c.a(i).Post == vetting.Director || c.a(i).CrossPost == vetting.Director) {
				dir = i
				break
			}
		}
		if dir < 0 {
			dir = c.register(org.ResidentsCommittee, vetting.Director, "", miss != missWoman && g.r.IntN(3) == 0, 1970, 1985, "")
		}
	}
	pick(org.ResidentsCommittee, vetting.Director, dir)
	if !gate.Dual {
		c.picked[org.ResidentsCommittee][0].Notes = "书记、主任暂不一肩挑,主任由本社区居民选出"
	}
	// The other seats, from the aspirants who registered for the
	// committee, then those standing for it by a second post; the rest
	// registered now.
	for k, com := range org.Committees {
		qualified()
		s := gate.Seats[k]
		want := s.Total() - 1
		var took []int
		for _, pass := range []bool{true, false} {
			for _, i := range pool {
				if len(took) < want && i != sec && i != dir && ok(i, com) && (c.a(i).Committee == com) == pass && !slices.Contains(took, i) {
					took = append(took, i)
				}
			}
		}
		for len(took) < want {
			to := 1988 // 37 or more on the election days
			if miss != missYoung && g.r.IntN(3) == 0 {
				to = 2000
			}
			female := !(miss == missWoman && com == org.ResidentsCommittee) && g.r.IntN(3) == 0
			cross := vetting.Post("")
			if com == org.PartyCommittee && g.r.IntN(2) == 0 {
				cross = vetting.CommitteeMember // stands for both: 交叉任职
			}
			took = append(took, c.register(com, vetting.CommitteeMember, cross, female, 1966, to, ""))
		}
		for j, i := range took {
			post := vetting.CommitteeMember
			if j < s.Deputies {
				post = vetting.DeputySecretary
				if com == org.ResidentsCommittee {
					post = vetting.DeputyDirector
				}
			}
			pick(com, post, i)
		}
	}
	// A woman on each committee and a member 35岁以下, unless the community
	// is one that misses the target: a member who is not the only woman
	// gives way to an aspirant who meets it, found or registered.
	qualified()
	swapIn := func(com org.Committee, want func(int) bool, female bool, from, to int) {
		var cand = -1
		for _, i := range pool {
			if want(i) && ok(i, com) && !c.isPicked(i, com) && i != sec && i != dir {
				cand = i
				break
			}
		}
		if cand < 0 {
			cand = c.register(com, vetting.CommitteeMember, "", female, from, to, "")
		}
		women := 0
		for _, i := range c.on(com) {
			if c.female(i) {
				women++
			}
		}
		list := c.picked[com]
		for j := len(list) - 1; j > 0; j-- {
			if list[j].Post == vetting.CommitteeMember && !(c.female(list[j].Aspirant) && women == 1) && !c.young(list[j].Aspirant, com) {
				list[j].Aspirant = cand
				return
			}
		}
	}
	for _, com := range org.Committees {
		if miss == missWoman && com == org.ResidentsCommittee {
			continue
		}
		if !slices.ContainsFunc(c.on(com), c.female) {
			swapIn(com, c.female, true, 1970, 1988)
		}
	}
	if miss != missYoung {
		met := false
		for _, com := range org.Committees {
			for _, i := range c.on(com) {
				met = met || c.young(i, com)
			}
		}
		if !met {
			com := org.ResidentsCommittee
			swapIn(com, func(i int) bool { return c.young(i, com) && (miss != missWoman || !c.female(i)) }, miss != missWoman && g.r.IntN(2) == 0, 1993, 1999)
		}
	}
	// Every young member's origin: from the community (内选), but the
	// seed's young secretaries, given above.
	for _, com := range org.Committees {
		for j, p := range c.picked[com] {
			if p.Source == "" && c.young(p.Aspirant, com) {
				if p.Aspirant == sec && youngOrigin != "" {
					c.picked[com][j].Source = youngOrigin
					continue
				}
				c.picked[com][j].Source = slate.Inside
				c.picked[com][j].Notes = "本社区35岁以下年轻党员群众,内选产生"
			}
		}
	}
	// One aspirant beyond the seats on each committee at least, for the
	// recommendations to rank below the predicted ones.
	for _, com := range org.Committees {
		extra := false
		for _, i := range pool {
			extra = extra || (slate.Stands(c.a(i), com) && !c.isPicked(i, com) && i != sec && i != dir)
		}
		if !extra {
			c.register(com, vetting.CommitteeMember, "", g.r.IntN(3) == 0, 1966, 1990, "")
		}
	}
	gate.Picks = append(c.picked[org.PartyCommittee], c.picked[org.ResidentsCommittee]...)
	return gate
}

// others are the community's qualified aspirants standing for com who are
// not predicted on it, in registration order.
func (c *community) others(com org.Committee) []int {
	var out []int
	for i, a := range c.z.Aspirants {
		if a.OrgCode == c.code && a.Fate == Qualified && slate.Stands(a.Aspirant, com) && !c.isPicked(i, com) &&
			!(com == org.ResidentsCommittee && c.isPicked(i, org.PartyCommittee) && a.CrossPost == "") {
			out = append(out, i)
		}
	}
	return out
}

// recommendations draws the two recommendations of each committee: the
// party members' and the residents' representatives' (or, in some
// communities, the residents'), each ranking the predicted persons first;
// in four communities the residents' recommendation of the party
// committee puts another aspirant before the predicted deputy secretary.
func (g *gen) recommendations(c *community, gate *DemoGate, i, households int) {
	full := gate.Seats[0].FullMembers
	disagree := i%8 == 3
	for k, com := range org.Committees {
		others := c.others(com)
		for _, kind := range []slate.Kind{slate.MembersKind, slate.DelegatesKind} {
			r := DemoRecommendation{Committee: com, Kind: kind, DaysAgo: 18 - 3*k + g.r.IntN(3)}
			switch {
			case kind == slate.MembersKind:
				r.Expected = full
			case i%4 == 2:
				r.Kind, r.Expected = slate.MassesKind, households/8+g.r.IntN(40)
			default:
				r.Expected = 30 + households/80 + g.r.IntN(10)
			}
			r.Present = r.Expected * (86 + g.r.IntN(12)) / 100
			share := func(lo, hi int) int { return r.Present * (lo + g.r.IntN(hi-lo+1)) / 100 }
			rival := 0
			for _, post := range vetting.PostsOf(com) {
				var mine []int
				for _, p := range c.picked[com] {
					if p.Post == post {
						mine = append(mine, p.Aspirant)
					}
				}
				if len(mine) == 0 {
					continue
				}
				var votes []int
				switch post {
				case vetting.Secretary, vetting.Director:
					votes = []int{share(72, 92)}
				case vetting.DeputySecretary, vetting.DeputyDirector:
					for range mine {
						votes = append(votes, share(60, 80))
					}
				default:
					for range mine {
						votes = append(votes, share(50, 82))
					}
				}
				low := slices.Min(votes)
				for j, a := range mine {
					r.Votes = append(r.Votes, DemoVote{Aspirant: a, Post: post, Votes: votes[j]})
				}
				// The others standing for the committee trail the predicted
				// ones: on the chief's post one of them, on the members'
				// every one; a deputy's post draws one of the members.
				var trail []int
				switch post {
				case vetting.Secretary, vetting.Director:
					if len(others) > 0 {
						trail = others[rival%len(others) : rival%len(others)+1]
						rival++
					}
				case vetting.CommitteeMember:
					trail = others
				default:
					for _, p := range c.picked[com] {
						if p.Post == vetting.CommitteeMember {
							trail = []int{p.Aspirant}
							break
						}
					}
				}
				for _, a := range trail {
					v := low * (20 + g.r.IntN(50)) / 100
					if disagree && com == org.PartyCommittee && kind != slate.MembersKind && post == vetting.DeputySecretary {
						v = min(r.Present, votes[0]+1+g.r.IntN(5)) // the residents prefer another
					}
					r.Votes = append(r.Votes, DemoVote{Aspirant: a, Post: post, Votes: v})
				}
			}
			gate.Recs = append(gate.Recs, r)
		}
	}
}

// assessment draws the community's assessment team and how far each
// predicted person has come, by the community's place in the zone: most
// assessed and recommended, some approved by the party committee, a few
// through the higher level and the notice (one with an objection found
// true, who was replaced on the slate), a few not yet assessed.
func (g *gen) assessment(c *community, gate *DemoGate, i int) {
	leader := g.person(g.r.IntN(3) == 0, 1970, 1985).name
	gate.Team = slate.Team{Leader: leader, Members: []slate.TeamMember{{Name: leader, Department: "zzb"}}}
	for _, d := range []string{"jwjw", []string{"xfj", "zfw", "mzj"}[g.r.IntN(3)]} {
		name := g.person(g.r.IntN(3) == 0, 1975, 1995).name
		for slices.ContainsFunc(gate.Team.Members, func(m slate.TeamMember) bool { return m.Name == name }) {
			name = g.person(false, 1975, 1995).name
		}
		gate.Team.Members = append(gate.Team.Members, slate.TeamMember{Name: name, Department: d})
	}
	stage := slate.StageRecommended
	switch {
	case i%16 == 5:
		stage = slate.StageNoticing
	case i%16 == 13:
		stage = slate.StagePassed
	case i%8 == 7:
		stage = slate.StagePending
	case i%8 == 4:
		stage = slate.StageAssessed
	case i%8 == 2 || i%8 == 6:
		stage = slate.StageApproved
	}
	persons := map[int]bool{}
	for j, p := range gate.Picks {
		if persons[p.Aspirant] {
			continue // one record a person, 交叉任职 or not
		}
		persons[p.Aspirant] = true
		st := stage
		last := j == len(gate.Picks)-1
		switch {
		case stage == slate.StageAssessed && j%2 == 0:
			st = slate.StageRecommended // recommended; the others still without a conclusion
		case stage == slate.StageApproved && last:
			st = slate.StageRecommended // awaits the committee's next meeting
		}
		gate.Steps = append(gate.Steps, DemoSteps{Aspirant: p.Aspirant, Stage: st})
	}
	others := c.others(org.PartyCommittee)
	switch {
	case stage == slate.StagePassed && i < 16 && len(others) > 0:
		// The first prediction named an aspirant whose notice brought an
		// objection found true; the office replaced them.
		for _, p := range gate.Picks {
			if p.Committee == org.PartyCommittee && p.Post == vetting.CommitteeMember && p.Source == "" {
				gate.Replaced = &DemoReplacement{Committee: p.Committee, Post: p.Post, From: others[0], To: p.Aspirant,
					Reason: "公示期间群众反映该同志违规占用集体土地,经核实属实,不再作为预判人选"}
				gate.Steps = append(gate.Steps, DemoSteps{Aspirant: others[0], Stage: slate.StageFailed, Objection: true})
				for k := range gate.Steps {
					if gate.Steps[k].Aspirant == p.Aspirant {
						gate.Steps[k].Stage = slate.StageRecommended // assessed since
					}
				}
				break
			}
		}
	case stage == slate.StageRecommended && i%8 == 1 && len(others) > 0:
		// An aspirant the team did not recommend.
		gate.Steps = append(gate.Steps, DemoSteps{Aspirant: others[0], Stage: slate.StageFailed})
	}
}

var reserveWork = []string{"社区网格员", "开发区党群部选派干部", "返乡创业大学生", "辖区企业办公室主任", "社区卫生服务站医生",
	"物业服务中心主管", "社区志愿服务队队长", "辖区小学教师"}

var reserveNotes = []string{"群众基础好,可作为委员人选培养", "熟悉社区情况,建议纳入后备干部台账",
	"学历高、工作积极,拟安排参与换届具体工作锻炼", "退役军人,作风过硬,可重点培养"}

// reserve draws two to four promising people of a community, most of them
// young.
func (g *gen) reserve(c *community) []slate.ReservePerson {
	var out []slate.ReservePerson
	for range 2 + g.r.IntN(3) {
		p := g.person(g.r.IntN(2) == 0, 1986, 2001)
		party := []vetting.Party{vetting.PartyMember, vetting.PartyMember, vetting.Probationary, vetting.League, vetting.Masses}[g.r.IntN(5)]
		out = append(out, slate.ReservePerson{Name: p.name, Sex: p.sex, BirthDate: civil.Date(p.birth),
			Education: educationCodes[p.education], Party: party, Workplace: reserveWork[g.r.IntN(len(reserveWork))],
			Note: reserveNotes[g.r.IntN(len(reserveNotes))]})
	}
	return out
}
