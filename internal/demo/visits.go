package demo

import (
	"fmt"
	"slices"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/visit"
)

// The three rounds of visits (issue 16, point 8), as the seed tells them,
// in a zone that has held its elections (the rounds are dated from its
// votes): the part of each community's register the office has imported so
// far; the round before the votes, with the seed's three research
// activities, their findings (some attached to the community's
// three-class assessment or its main plan), household visits reaching
// about 70% of the register (most communities above the target, about a
// fifth below it), a few missed calls, and the talks to the sitting
// members, party members and representatives (全谈), some still owed; the
// round during the elections as far as the days since the first vote
// allow; the round after them (问计于民), begun the day after the zone's
// first residents' vote, in the few communities that have begun their
// five-year programme (programmes.go). Some visits
// raise problems; some of those need follow-up and become ledger items,
// of which some are under way and some closed by the load day. Every
// figure is drawn here, once; the loader enters it through the store's
// own writes (load_visits.go).

// DemoVisits are a zone's three rounds of visits.
type DemoVisits struct {
	Rounds    []DemoRound
	Registers []DemoRegister // one per community, in the zone's order
	Research  []DemoResearch
	// Visits by community, in the registers' order, each community's
	// oldest first.
	Visits []DemoVisit
	// Programmes are the five-year programmes begun from the proposals of
	// the round after (programmes.go).
	Programmes []DemoProgramme
}

// DemoRound is a round's dates as days before the load day (negative:
// after it).
type DemoRound struct {
	Round              visit.Round
	StartsAgo, EndsAgo int
}

// DemoRegister is the part of a community's visit register the office has
// imported so far: the households of a few grids (40 to 65 of the
// community's 600 and more) and its party members and residents'
// representatives. Only part, as an office imports its register grid by
// grid, and as the whole (100,000 households over the zone) would make the
// demo's load, which the tests repeat many times, several times slower.
type DemoRegister struct {
	OrgCode    string
	Households []visit.Household
	People     []visit.Person
}

// DemoResearch is a research activity of the round before the election,
// dated in days before the load day.
type DemoResearch struct {
	Name               string
	StartsAgo, EndsAgo int
	Team               []string
	Communities        []string
	Findings           []DemoFinding
}

// DemoFinding is what a research activity found in one community,
// DaysAgo, a day of the activity, attached to the community's current
// assessment or to its main plan.
type DemoFinding struct {
	OrgCode    string
	Text       string
	DaysAgo    int
	Assessment bool
	Plan       bool
}

// DemoVisit is one visit or talk of a community: visit.Visit without the
// store's ids (nor its day or its problems' due days), its target an index
// into the community's register (HouseholdAt, PersonAt) or into
// Zone.Members (MemberAt), -1 where it is not that kind. Research is the
// index of the research activity it was made in plus one (0: none).
type DemoVisit struct {
	visit.Visit
	DaysAgo                         int
	HouseholdAt, PersonAt, MemberAt int
	Research                        int
	// Follow-up, one per problem of Visit.Problems (nil without): what
	// became of the ledger item each problem with follow-up became.
	Follow []DemoFollow
}

// DemoFollow is the follow-up of one problem: its ledger item due DueIn
// days after the load day, and by then still open, under way, or closed
// with a closing note (Note).
type DemoFollow struct {
	DueIn  int
	Status ledger.Status
	Note   string
}

// name draws a fictional name, as person does, without the rest of a
// person.
func (g *gen) name(female bool) string {
	given := maleGiven
	if female {
		given = femaleGiven
	}
	n := g.pick(surnames) + g.pick(given)
	if g.r.IntN(3) > 0 {
		n += g.pick(given)
	}
	return n
}

// The research team's units, the first leading (seed: 党群部 leads, with
// discipline, stability and petitions, finance and social affairs).
var researchUnits = []string{"党群部", "纪工委", "综治信访办", "财政局", "社会事业局"}

// The share of communities below the household target in the round
// before: about a fifth.
func belowCount(n int) int { return (n + 2) / 5 }

// visits draws the three rounds of the zone's communities (codes, in the
// zone's order), dated from its elections; a zone without elections has
// none.
func (g *gen) visits(z *Zone, codes []string) {
	if len(z.Elections) != len(codes) || len(z.Assignments) == 0 {
		return
	}
	first := 0 // days since the zone's first party vote
	for _, e := range z.Elections {
		first = max(first, e.PartyAgo)
	}
	before := DemoRound{Round: visit.Before, StartsAgo: first + 63, EndsAgo: first + 1}
	during := DemoRound{Round: visit.During, StartsAgo: first, EndsAgo: first - 60}
	// The round after, 问计于民, begins the day after the zone's first
	// residents' vote, as the new committees take over.
	after := DemoRound{Round: visit.After, StartsAgo: during.EndsAgo - 1, EndsAgo: during.EndsAgo - 120}
	for _, e := range z.Elections {
		if -e.ResidentsIn > 1 {
			after.StartsAgo = max(after.StartsAgo, -e.ResidentsIn-1)
		}
	}
	v := &z.Visits
	v.Rounds = []DemoRound{before, during, after}
	d := visitDraw{g: g, z: z, before: before}
	d.people()
	for _, code := range codes {
		v.Registers = append(v.Registers, g.register(code))
	}
	v.Research = d.research(codes)
	below := map[int]bool{}
	for _, i := range g.r.Perm(len(codes))[:belowCount(len(codes))] {
		below[i] = true
	}
	for i, code := range codes {
		c := d.community(i, code, below[i])
		c.roundBefore()
		c.roundDuring(z.Elections[i])
		slices.SortStableFunc(c.out, func(a, b DemoVisit) int { return b.DaysAgo - a.DaysAgo })
		v.Visits = append(v.Visits, c.out...)
	}
	d.programmes(codes, after) // after every other draw
}

// register draws the imported part of a community's register: the flats
// of a few buildings of one compound, two buildings a grid (网格), some
// flats not on it yet; heads with fictional names and phones; its party
// members and representatives by grid.
func (g *gen) register(code string) DemoRegister {
	r := DemoRegister{OrgCode: code}
	road := placeNames[g.r.IntN(len(placeNames))] + []string{"路", "街", "大道"}[g.r.IntN(3)]
	number := 1 + g.r.IntN(199)
	n := 40 + g.r.IntN(26)
	buildings := n/24 + 2 // 24 flats a building: 2 units, 6 floors, 2 flats a floor
	type flat struct{ building, unit, floor, room int }
	var flats []flat
	for b := 1; b <= buildings; b++ {
		for u := 1; u <= 2; u++ {
			for f := 1; f <= 6; f++ {
				for k := 1; k <= 2; k++ {
					flats = append(flats, flat{b, u, f, k})
				}
			}
		}
	}
	on := g.r.Perm(len(flats))[:n]
	slices.Sort(on)
	grid := func(building int) string { return "第" + chineseDigits[(building-1)/2%len(chineseDigits)] + "网格" }
	sizes := []int{1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 6}
	for _, k := range on {
		f := flats[k]
		h := visit.Household{
			Address: fmt.Sprintf("%s%d号%d栋%d单元%d%02d", road, number, f.building, f.unit, f.floor, f.room),
			Head:    g.name(g.r.IntN(10) < 3),
			Size:    sizes[g.r.IntN(len(sizes))],
			Group:   grid(f.building),
		}
		if g.r.IntN(100) < 85 {
			h.Phone = g.phone()
		}
		r.Households = append(r.Households, h)
	}
	seen := map[string]bool{}
	add := func(kind visit.PersonKind, count int) {
		for len(r.People) < count {
			p := visit.Person{Kind: kind, Name: g.name(g.r.IntN(5) < 2), Group: grid(1 + g.r.IntN(buildings))}
			if g.r.IntN(100) < 70 {
				p.Phone = g.phone()
			}
			if !seen[p.Key()] {
				seen[p.Key()] = true
				r.People = append(r.People, p)
			}
		}
	}
	add(visit.PartyMember, 8+g.r.IntN(6))
	add(visit.Representative, len(r.People)+6+g.r.IntN(5))
	return r
}

// visitDraw is what visits keeps while it draws.
type visitDraw struct {
	g      *gen
	z      *Zone
	before DemoRound
	// By community: its 包社区领导 and 包社区干部, its sitting members'
	// indexes in z.Members (each person once: a member holding both posts
	// by their first row, so talked to once), who carries an item of a
	// given post.
	patron, cadre map[string]string
	members       map[string][]int
	holders       map[[2]string]string
	districtLead  map[string]string
	district      map[string]string
	standing      map[string]bool // community|ID number of the aspirants
}

func (d *visitDraw) people() {
	z := d.z
	d.patron, d.cadre, d.districtLead = map[string]string{}, map[string]string{}, map[string]string{}
	for _, a := range z.Assignments {
		m := map[org.Duty]map[string]string{org.CommunityLeader: d.patron, org.CommunityCadre: d.cadre, org.DistrictLeader: d.districtLead}[a.Duty]
		if m != nil && m[a.OrgCode] == "" {
			m[a.OrgCode] = a.Name
		}
	}
	d.members, d.holders = map[string][]int{}, map[[2]string]string{}
	person := map[[2]string]bool{}
	for i, m := range z.Members {
		if k := [2]string{m.OrgCode, m.IDNumber}; !person[k] {
			person[k] = true
			d.members[m.OrgCode] = append(d.members[m.OrgCode], i)
		}
		if k := [2]string{m.OrgCode, m.Post}; d.holders[k] == "" {
			d.holders[k] = m.Name
		}
	}
	d.district = z.Parents()
	d.standing = map[string]bool{}
	for _, a := range z.Aspirants {
		d.standing[a.OrgCode+"|"+a.IDNumber] = true
	}
}

// owner is who carries a community's item raised on a visit: the sitting
// member holding post, else its 包社区领导.
func (d *visitDraw) owner(code, post string) string {
	if n := d.holders[[2]string{code, post}]; n != "" {
		return n
	}
	return d.patron[code]
}

// research draws the seed's three research activities of the round
// before: 重点社区蹲点调研 in the communities classed C, 分片研判调研 over
// every district, and 研判 of the communities where self-nomination was
// complex (an aspirant persuaded to withdraw, barred or disqualified).
func (d *visitDraw) research(codes []string) []DemoResearch {
	g, z, b := d.g, d.z, d.before.StartsAgo
	team := func(units []string) []string {
		var out []string
		for _, u := range units {
			out = append(out, g.name(g.r.IntN(3) == 0)+"("+u+")")
		}
		return out
	}
	class := map[string]assess.Class{}
	for _, a := range z.Assessments {
		class[a.OrgCode] = a.Target
	}
	key := DemoResearch{Name: "重点社区蹲点调研", StartsAgo: b - 3, EndsAgo: b - 23, Team: team(researchUnits)}
	parts := DemoResearch{Name: "分片研判调研", StartsAgo: b - 18, EndsAgo: b - 31}
	complexR := DemoResearch{Name: "自荐情况复杂社区研判", StartsAgo: b - 33, EndsAgo: b - 43, Team: team(researchUnits[:3])}
	for _, u := range z.Units {
		if u.Kind == org.District && z.Filled[u.Code] && len(parts.Team) < 28 { // a team is 30 at most, two units below
			parts.Team = append(parts.Team, d.districtLead[u.Code]+"("+u.Name+")")
		}
	}
	parts.Team = append(parts.Team, team(researchUnits[:2])...)
	complexity := map[string][3]int{} // aspirants, withdrawn, barred or disqualified
	for _, a := range z.Aspirants {
		c := complexity[a.OrgCode]
		c[0]++
		switch a.Fate {
		case Withdrawn:
			c[1]++
		case BarredLate, Disqualified:
			c[2]++
		}
		complexity[a.OrgCode] = c
	}
	mainPlan := map[string]bool{}
	for _, p := range z.Plans {
		if p.Kind == assess.MainPlan {
			mainPlan[p.OrgCode] = true
		}
	}
	for i, code := range codes {
		if class[code] == assess.C {
			key.Communities = append(key.Communities, code)
			key.Findings = append(key.Findings, DemoFinding{OrgCode: code, Text: keyFindings[g.r.IntN(len(keyFindings))], Assessment: true})
		}
		parts.Communities = append(parts.Communities, code)
		if i%3 == 1 {
			f := DemoFinding{OrgCode: code, Text: partFindings[g.r.IntN(len(partFindings))]}
			f.Plan = mainPlan[code] && i%2 == 0
			parts.Findings = append(parts.Findings, f)
		}
		if c := complexity[code]; c[1]+c[2] > 0 {
			complexR.Communities = append(complexR.Communities, code)
			text := fmt.Sprintf("共%d名自荐参选人", c[0])
			if c[1] > 0 {
				text += fmt.Sprintf(",%d名经联审存在不宜情形,已做劝退工作", c[1])
			}
			if c[2] > 0 {
				text += fmt.Sprintf(",%d名存在不得情形或违反换届纪律,已取消参选资格", c[2])
			}
			text += "。" + complexFindings[g.r.IntN(len(complexFindings))]
			f := DemoFinding{OrgCode: code, Text: text, Assessment: true}
			if len(complexR.Findings)%2 == 1 && mainPlan[code] {
				f.Assessment, f.Plan = false, true
			}
			complexR.Findings = append(complexR.Findings, f)
		}
	}
	out := []DemoResearch{key, parts}
	if len(complexR.Communities) > 0 {
		out = append(out, complexR)
	}
	// Each finding made on a day of its activity, spread over it (no draw:
	// the rest of the zone stays as drawn).
	for i := range out {
		a := &out[i]
		span := a.StartsAgo - a.EndsAgo + 1
		for k := range a.Findings {
			a.Findings[k].DaysAgo = a.EndsAgo + (k*5+2)%span
		}
	}
	return out
}

// communityDraw draws one community's visits.
type communityDraw struct {
	*visitDraw
	i        int
	code     string
	reg      DemoRegister
	below    bool
	research []int // indexes of the research activities over it
	out      []DemoVisit
	follows  int // problems with follow-up in the round so far
}

func (d *visitDraw) community(i int, code string, below bool) *communityDraw {
	c := &communityDraw{visitDraw: d, i: i, code: code, reg: d.z.Visits.Registers[i], below: below}
	for k, r := range d.z.Visits.Research {
		if slices.Contains(r.Communities, code) {
			c.research = append(c.research, k)
		}
	}
	return c
}

// clientID is a client's id as a phone makes one (a version 4 UUID),
// drawn from the seed.
func (g *gen) clientID() string {
	return fmt.Sprintf("%08x-%04x-4%03x-%x%03x-%012x", g.r.Uint32(), g.r.IntN(1<<16), g.r.IntN(1<<12), 8+g.r.IntN(4),
		g.r.IntN(1<<12), g.r.Uint64()&(1<<48-1))
}

// day draws a day of round r as days before the load day, never the load
// day itself or after it, nor before from.
func (c *communityDraw) day(r DemoRound, from int) int {
	hi, lo := min(r.StartsAgo, from), max(r.EndsAgo, 1)
	if hi < lo {
		return lo
	}
	return lo + c.g.r.IntN(hi-lo+1)
}

// add appends a visit of round r made daysAgo, linking it to a research
// activity over the community that ran that day.
func (c *communityDraw) add(v DemoVisit, r visit.Round, daysAgo int, visitors ...string) *DemoVisit {
	v.Community, v.Round, v.ClientID, v.DaysAgo, v.Visitors = c.code, r, c.g.clientID(), daysAgo, visitors
	if r == visit.Before {
		for _, k := range c.research {
			if a := c.z.Visits.Research[k]; daysAgo <= a.StartsAgo && daysAgo >= a.EndsAgo {
				v.Research = k + 1
				break
			}
		}
	}
	c.out = append(c.out, v)
	return &c.out[len(c.out)-1]
}

func household(i int) DemoVisit { return DemoVisit{HouseholdAt: i, PersonAt: -1, MemberAt: -1} }

// problem may give v a problem (one visit in chance), with follow-up for
// some, up to most in the round.
func (c *communityDraw) problem(v *DemoVisit, chance, most int) {
	g := c.g
	if g.r.IntN(chance) != 0 {
		return
	}
	cat := visit.Categories[g.r.IntN(len(visit.Categories))]
	texts := problemTexts[cat]
	p := visit.Problem{Category: cat, Urgency: visit.Normal, Text: texts[g.r.IntN(len(texts))]}
	switch g.r.IntN(10) {
	case 0:
		p.Urgency = visit.Urgent
	case 1, 2, 3:
		p.Urgency = visit.Soon
	}
	f := DemoFollow{}
	if c.follows < most && (p.Urgency != visit.Normal || g.r.IntN(3) == 0) {
		c.follows++
		post := []string{"书记", "主任", "副主任"}[g.r.IntN(3)]
		p.FollowUp, p.Owner = true, c.owner(c.code, post)
		f.DueIn, f.Status = 2+g.r.IntN(19), ledger.Open
		switch g.r.IntN(5) {
		case 0, 1:
			f.Status, f.Note = ledger.Closed, closingNotes[cat]
		case 2:
			f.Status = ledger.InProgress
		}
	}
	v.Problems = append(v.Problems, p)
	v.Follow = append(v.Follow, f)
}

// roundBefore draws the round before the election: households reached around
// the target, missed calls, and the talks, some owed.
func (c *communityDraw) roundBefore() {
	g, r := c.g, c.before
	n := len(c.reg.Households)
	needed := visit.DefaultCampaign(visit.Before).Needed(n)
	reached := needed + g.r.IntN(max(1, n*95/100-needed+1)) // 70% to 95%
	if c.below {
		low := n * 45 / 100
		reached = low + g.r.IntN(needed-low) // 45% to just under 70%
	}
	team := []string{c.cadre[c.code]}
	both := []string{c.patron[c.code], c.cadre[c.code]}
	order := g.r.Perm(n)
	for k, h := range order {
		if k >= reached {
			if g.r.IntN(8) == 0 { // called on, nobody home
				v := c.add(household(h), visit.Before, c.day(r, r.StartsAgo), team...)
				v.Method, v.Missed = visit.Door, true
			}
			continue
		}
		day := c.day(r, r.StartsAgo)
		if g.r.IntN(20) == 0 && day > max(r.EndsAgo, 1) { // nobody home the first time
			v := c.add(household(h), visit.Before, day, team...)
			v.Method, v.Missed = visit.Door, true
			day = c.day(r, day-1)
		}
		visitors := team
		if g.r.IntN(2) == 0 {
			visitors = both
		}
		v := c.add(household(h), visit.Before, day, visitors...)
		v.Method = visit.Door
		if g.r.IntN(7) == 0 {
			v.Method = visit.Phone
		}
		v.CommitteeOpinions = committeeOpinions[g.r.IntN(len(committeeOpinions))]
		if g.r.IntN(4) == 0 {
			v.AspirantOpinions = aspirantOpinions[g.r.IntN(len(aspirantOpinions))]
		}
		c.problem(v, 6, 3)
		if g.r.IntN(30) == 0 && day > max(r.EndsAgo, 1) { // called on again: counted once
			again := c.add(household(h), visit.Before, c.day(r, day-1), team...)
			again.Method = visit.Door
			again.CommitteeOpinions = "回访:" + committeeOpinions[g.r.IntN(len(committeeOpinions))]
		}
	}
	// The talks (全谈): every sitting member but, in a few communities,
	// one; the party members and representatives but a few in about half
	// the communities and more where households lag.
	members := c.members[c.code]
	owedMembers := 0
	if c.i%6 == 2 {
		owedMembers = 1
	}
	for k, m := range members[:len(members)-owedMembers] {
		member := c.z.Members[m]
		v := c.add(DemoVisit{HouseholdAt: -1, PersonAt: -1, MemberAt: m}, visit.Before, c.day(r, r.StartsAgo), both...)
		v.Method = visit.Door
		if k%3 == 2 {
			v.Method = visit.Meeting
		}
		v.CommitteeOpinions = memberOpinions[g.r.IntN(len(memberOpinions))]
		v.AspirantOpinions = aspirantOpinions[g.r.IntN(len(aspirantOpinions))]
		switch {
		case c.standing[c.code+"|"+member.IDNumber]:
			v.Intention = visit.Stands
		case g.r.IntN(3) == 0:
			v.Intention = visit.Undecided
		default:
			v.Intention = visit.NotStand
		}
	}
	owed := 0
	switch {
	case c.below:
		owed = 2 + g.r.IntN(4)
	case g.r.IntN(2) == 0:
		owed = 1 + g.r.IntN(2)
	}
	people := g.r.Perm(len(c.reg.People))
	for _, p := range people[:len(people)-min(owed, len(people))] {
		kind := c.reg.People[p].Kind
		v := c.add(DemoVisit{HouseholdAt: -1, PersonAt: p, MemberAt: -1}, visit.Before, c.day(r, r.StartsAgo), team...)
		v.Method = visit.Meeting
		if g.r.IntN(4) == 0 {
			v.Method = visit.Phone
		}
		v.CommitteeOpinions = committeeOpinions[g.r.IntN(len(committeeOpinions))]
		if kind == visit.PartyMember && g.r.IntN(12) == 0 {
			v.Intention = visit.Stands
		}
		c.problem(v, 10, 3)
	}
}

// roundDuring draws the round during the elections as far as the load day:
// households visited by the newly elected secretary and deputies since
// the community's party vote, three weeks into the round's two months: a
// tenth to a seventh of the register, some of them helped.
func (c *communityDraw) roundDuring(e DemoElection) {
	g := c.g
	r := DemoRound{Round: visit.During, StartsAgo: e.PartyAgo - 1, EndsAgo: 1}
	if r.StartsAgo < 1 {
		return
	}
	c.follows = 0
	visitors := []string{c.z.Aspirants[e.Officers.Secretary].Name}
	for _, d := range e.Officers.Deputies {
		visitors = append(visitors, c.z.Aspirants[d].Name)
	}
	visitors = visitors[:min(len(visitors), 2)]
	n := len(c.reg.Households)
	share := 10 + g.r.IntN(6) // percent of the register by the load day
	for k, h := range g.r.Perm(n)[:n*share/100] {
		v := c.add(household(h), visit.During, c.day(r, r.StartsAgo), visitors[:1+k%len(visitors)]...)
		v.Method = visit.Door
		v.Topics = duringTopics[g.r.IntN(len(duringTopics))]
		if g.r.IntN(3) == 0 {
			k := g.r.IntN(len(duringDifficulties))
			v.Difficulties, v.Help = duringDifficulties[k], duringHelp[k]
		}
		c.problem(v, 8, 2)
	}
}

// What the visits say.
var (
	committeeOpinions = []string{
		"对现任班子总体满意,希望继续为居民多办实事。",
		"希望社区干部多下楼入户,多听居民意见。",
		"环境整治成效明显,班子比较团结。",
		"社区财务公开不够及时,希望定期张榜公布。",
		"希望新一届班子里有年轻人,能用好网上办事。",
		"对社区工作没有意见,支持按时换届。",
		"老旧小区改造推进慢,希望新班子抓紧落实。",
		"社区干部服务态度好,办事效率有提高。",
	}
	aspirantOpinions = []string{
		"听说有几位居民有意参选,希望选出公道正派、能办事的人。",
		"希望参选人能把小区物业问题管起来。",
		"对有意参选的人不太了解,希望社区公开介绍参选人情况。",
		"支持现任书记继续参选。",
		"希望参选人不要搞请客送礼拉票。",
	}
	memberOpinions = []string{
		"班子分工明确,配合较好;个别成员年龄偏大,精力不足。",
		"认为本届班子完成了主要任务,遗留问题需下届接续解决。",
		"对换届工作安排没有意见,愿意配合做好交接。",
		"希望换届后加强年轻干部培养。",
	}
	duringTopics = []string{
		"学习党史故事,宣讲换届选举结果和新一届班子分工。",
		"宣讲城乡居民医保和养老保险政策。",
		"宣讲垃圾分类和文明城市创建要求。",
		"学习党史,介绍社区为民办实事项目。",
	}
	// Difficulties and the help given, in pairs.
	duringDifficulties = []string{
		"老人独居,行动不便,日常就医困难。",
		"家庭成员患大病,医疗负担重。",
		"家中主要劳动力失业,收入较低。",
		"孩子放学后无人看护。",
	}
	duringHelp = []string{
		"联系志愿者定期上门探望,协助预约家庭医生。",
		"协助申请临时救助和大病医疗救助。",
		"推荐到社区公益岗位,登记就业培训。",
		"介绍到社区四点半课堂。",
	}
	problemTexts = map[visit.Category][]string{
		visit.Environment: {"楼道堆放杂物,存在消防隐患。", "垃圾清运不及时,夏季异味大。"},
		visit.Property:    {"物业服务差,电梯经常故障。", "小区停车位不足,乱停车严重。"},
		visit.Safety:      {"小区监控损坏,夜间照明不足。", "电动车在楼道充电,存在安全隐患。"},
		visit.Services:    {"老人就医不便,希望卫生服务站延长服务时间。", "不清楚低保申请需要哪些材料。"},
		visit.Facilities:  {"雨水管道堵塞,下雨积水。", "小区缺少健身器材和休息座椅。"},
		visit.Election:    {"不清楚选民登记的时间和地点。", "外出务工,担心不能参加投票。"},
		visit.Other:       {"邻里之间因噪音问题发生矛盾。", "希望社区多组织文体活动。"},
	}
	closingNotes = map[visit.Category]string{
		visit.Environment: "已组织清理楼道堆物和垃圾,张贴提示并纳入日常巡查。",
		visit.Property:    "已约谈物业公司,完成维修并公示维保和停车管理方案。",
		visit.Safety:      "已联系施工单位修复监控和路灯,加装电动车集中充电桩。",
		visit.Services:    "已上门讲解政策,协助居民递交申请材料。",
		visit.Facilities:  "已报请城管部门疏通管道,健身器材列入年度采购计划。",
		visit.Election:    "已上门告知选民登记安排,外出人员办理委托投票。",
		visit.Other:       "已组织双方调解并答复居民,记录在案。",
	}
	keyFindings = []string{
		"班子成员分歧较大,部分党员对书记人选有不同意见,需在换届前做好思想工作。",
		"信访积案尚未化解,已列入台账逐件销号,由包社区领导包案。",
		"社区宗族关系复杂,存在拉票苗头,纪工委已提前介入提醒谈话。",
		"拆迁安置遗留问题集中,居民情绪不稳,需先化解再进入选举程序。",
	}
	partFindings = []string{
		"社区干部年龄偏大,35岁以下后备人选不足,需从网格员中考察储备。",
		"居民代表结构合理,参与换届积极性高。",
		"党员队伍中流动党员较多,需提前联系确保参会。",
		"居民对物业管理意见集中,建议纳入新一届班子施政重点。",
	}
	complexFindings = []string{
		"参选意向人之间竞争激烈,需防范拉票贿选。",
		"部分群众对取消资格的决定有疑问,需做好解释说明。",
		"需加强选举日现场秩序维护,制定应急预案。",
	}
)
