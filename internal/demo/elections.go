package demo

import (
	"fmt"
	"slices"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The elections (issue 15, point 10), as the seed tells them: every
// community's party organisation has voted, a few weeks before the load
// day, district by district; most residents' committees have voted since,
// the first community of each district still ahead. Each committee votes
// on its formal list (the predicted persons and, for the margin, the next
// aspirants standing for it), the predicted persons mostly elected: in a
// few communities another candidate beats a predicted member, a woman
// takes the women's seat, or the party committee elects another deputy
// secretary, so the slates mostly but not always match the results. The
// seed's three young cadres (辛庄, 长远, 西山) are elected secretary and
// director with more than nine votes in ten. One residents' ballot is void
// (a mobile box returned more ballots than it was given) and held again a
// week later; one leaves a seat to a further ballot (另行选举) the same
// day; one count has a difference between its clerks that the coordinator
// returns to the second clerk, who corrects it; one box lacks a ballot,
// a warning the coordinator acknowledges. The party committees elect their
// officers, the higher level approves them (all but one), and most
// committees have handed over. Every figure here is drawn once, in
// Generate; the loader enters it through the store's own writes, whose
// checks and outcome rules decide what it makes.

// DemoElection is one community's two elections.
type DemoElection struct {
	OrgCode string
	// PartyAgo: the party organisation voted this many days before the
	// load day.
	PartyAgo int
	// ResidentsIn: the residents' committee votes this many days after the
	// load day; negative, it has voted.
	ResidentsIn int
	// Steps are the third gate's steps as the elections found them: every
	// formal candidate through the notice, those who failed still failed.
	Steps []DemoSteps
	// Formal are the formal lists, the party committee's then the
	// residents', each in post order; posted FormalLead days before the
	// committee's election day.
	Formal []DemoPick
	// Ballots in the order they were held: the party committee's, then
	// (when it has voted) the residents'.
	Ballots []DemoBallot
	// Officers are the secretary and deputies the party committee elected.
	Officers DemoOfficers
	// Handover: how many days after each committee's election day the old
	// committee handed over; absent, not yet.
	Handover map[org.Committee]int
}

// electionsFrom is the smallest zone whose elections are generated: one
// with a community for each of the shows beyond the ordinary.
const electionsFrom = 8

// FormalLead is how many days before its committee's election day a demo
// formal list is posted (the law asks 5 at least).
const FormalLead = 10

// DemoBallot is one ballot as its election committee opened it and its
// clerks entered it.
type DemoBallot struct {
	Committee org.Committee
	Round     election.Round
	// After: held this many days after the committee's election day (a
	// repeat of a void ballot).
	After int
	// Seats per post; nil: the community's.
	Seats map[vetting.Post]int
	// Candidates are the aspirants on it (indexes into Zone.Aspirants),
	// nil: every standing formal candidate; a further ballot names those
	// the first one's outcome sent to it.
	Candidates []int
	// The electorate as the office typed it from its registers.
	Registered, ShouldAttend, Present int
	// Units: the main venue first (主会场, opened with the ballot), then the
	// branch and the mobile box.
	Units []DemoUnit
	// Void is the reason the ballot is declared void once its count shows
	// it: "" for a ballot that is confirmed.
	Void string
}

// DemoUnit is one station's count sheet.
type DemoUnit struct {
	Name                                    string
	Kind                                    election.UnitKind
	Voted, Issued, Returned, Valid, Invalid int
	Lines                                   []DemoLine
	// Slip: the line whose 不赞成 and 弃权 the second clerk first enters the
	// wrong way round; -1 for none.
	Slip int
}

// DemoLine is one candidate's votes for one post at one station.
type DemoLine struct {
	Aspirant         int
	Post             vetting.Post
	Yes, No, Abstain int
}

// DemoOfficers are the party committee's secretary and deputies
// (aspirant indexes), elected After days after the party election, and the
// higher level's approval ApprovedAfter days after it (0: not yet).
type DemoOfficers struct {
	Secretary     int
	Deputies      []int
	After         int
	ApprovedAfter int
}

// What a community's elections show beyond the ordinary.
const (
	showAhead    = "ahead"    // its residents' committee has not voted yet
	showFurther  = "further"  // a residents' seat left to a further ballot
	showVoid     = "void"     // a residents' ballot void (a box), held again
	showSlip     = "slip"     // a clerks' difference, returned and corrected
	showAck      = "ack"      // a box with a ballot not returned, acknowledged
	showParty    = "party"    // another candidate beats a predicted party member
	showOfficers = "officers" // the committee elects another deputy secretary
	showRes      = "res"      // another candidate beats a predicted residents' member
	showPending  = "pending"  // the officers not yet approved, no handover
	showLate     = "late"     // the party committee's handover overdue
)

// elections draws the elections of every community of codes with a third
// gate (z.Gates, in the same order); names are the communities' names by
// code. Aspirants it needs for the margins are registered (appended to
// z.Aspirants, so no earlier draw changes).
func (g *gen) elections(z *Zone, codes []string, names map[string]string) {
	if len(z.Gates) != len(codes) || len(codes) < electionsFrom {
		return
	}
	n := len(codes)
	district := map[string]string{}
	households, population := map[string]int{}, map[string]int{}
	var districts []string
	for _, u := range z.Units {
		district[u.Code] = u.ParentCode
		households[u.Code], population[u.Code] = u.Households, u.Population
		if u.Kind == org.District && z.Filled[u.Code] {
			districts = append(districts, u.Code)
		}
	}
	young := map[int]bool{}
	taken := map[int]string{}
	for i, code := range codes {
		for base := range seedYoung {
			if names[code] == base+"社区" {
				young[i] = true
			}
		}
		if young[i] || z.Gates[i].Misses != "" {
			taken[i] = "seed"
		}
	}
	// The first ordinary community of each district has not voted for its
	// residents' committee yet; the rest of the shows go to ordinary
	// communities spread over the zone.
	seenDistrict := map[string]bool{}
	for i, code := range codes {
		if taken[i] == "" && !seenDistrict[district[code]] {
			seenDistrict[district[code]] = true
			taken[i] = showAhead
		}
	}
	show := map[int]string{}
	for i, s := range taken {
		if s == showAhead {
			show[i] = s
		}
	}
	place := func(what string, at int) {
		for k := range n {
			i := (at + k) % n
			if taken[i] == "" {
				taken[i], show[i] = what, what
				return
			}
		}
	}
	place(showSlip, n*5/32)
	place(showParty, n*6/32)
	place(showFurther, n*10/32)
	place(showLate, n*13/32)
	place(showAck, n*14/32)
	for i := n / 2; i < n; i++ { // where the residents preferred another deputy secretary (recommendations)
		if i%8 == 3 && taken[i] == "" {
			taken[i], show[i] = showOfficers, showOfficers
			break
		}
	}
	place(showVoid, n*22/32)
	place(showParty, n*27/32)
	place(showRes, n*29/32)
	place(showPending, n*30/32)
	dIndex := map[string]int{}
	for k, d := range districts {
		dIndex[d] = k
	}
	for i, code := range codes {
		gate := z.Gates[i]
		d := dIndex[district[code]]
		e := DemoElection{OrgCode: code, PartyAgo: 24 - d%4, Handover: map[org.Committee]int{}}
		e.ResidentsIn = -(e.PartyAgo - 14)
		if show[i] == showAhead {
			e.ResidentsIn = 3 + d%4
		}
		c := &ballotDraw{g: g, z: z, gate: gate, show: show[i], young: young[i], miss: gate.Misses}
		c.incumbents()
		c.formal()
		e.Formal = c.list
		e.Steps = c.steps()
		e.Ballots = append(e.Ballots, c.party())
		if e.ResidentsIn < 0 {
			e.Ballots = append(e.Ballots, c.residents(population[code], households[code])...)
		}
		e.Officers = c.officers()
		if show[i] != showPending && show[i] != showLate {
			e.Handover[org.PartyCommittee] = min(e.Officers.ApprovedAfter+1+g.r.IntN(3), 10)
		}
		if ago := -e.ResidentsIn; ago >= 8 && show[i] != showVoid {
			e.Handover[org.ResidentsCommittee] = 3 + g.r.IntN(ago-4)
		}
		z.Elections = append(z.Elections, e)
	}
}

// ballotDraw is what elections keeps while it draws one community's lists
// and ballots.
type ballotDraw struct {
	g     *gen
	z     *Zone
	gate  DemoGate
	show  string
	young bool
	miss  string
	list  []DemoPick
	// extra are the candidates beyond the predicted ones, by committee.
	extra map[org.Committee][]int
	// woman is the woman put on the residents' list where the slate has
	// none (missWoman), -1 else.
	woman int
}

func (c *ballotDraw) a(i int) vetting.Aspirant { return c.z.Aspirants[i].Aspirant }

func (c *ballotDraw) female(i int) bool { return c.a(i).Sex() == "女" }

// predicted are the persons predicted on committee com, by post in the
// slate's order.
func (c *ballotDraw) predicted(com org.Committee, p vetting.Post) []int {
	var out []int
	for _, x := range c.gate.Picks {
		if x.Committee == com && x.Post == p {
			out = append(out, x.Aspirant)
		}
	}
	return out
}

func (c *ballotDraw) isPredicted(i int, com org.Committee) bool {
	return slices.ContainsFunc(c.gate.Picks, func(x DemoPick) bool { return x.Committee == com && x.Aspirant == i })
}

// failed reports an aspirant the third gate failed (not recommended, or an
// objection found true).
func (c *ballotDraw) failed(i int) bool {
	return slices.ContainsFunc(c.gate.Steps, func(s DemoSteps) bool { return s.Aspirant == i && s.Stage == slate.StageFailed })
}

// onList reports an aspirant already on committee com's formal list.
func (c *ballotDraw) onList(i int, com org.Committee) bool {
	return slices.ContainsFunc(c.list, func(x DemoPick) bool { return x.Aspirant == i && x.Committee == com })
}

// spare finds a qualified aspirant of the community standing for com who
// is on no list and not predicted on it (a person predicted on the other
// committee who stands for both may be), a woman when female; else, for
// the residents' committee, a member predicted on the party committee, who
// now stands for both; else it registers one.
func (c *ballotDraw) spare(com org.Committee, female bool) int {
	// A ballot names its candidates: two of one name on one list could not
	// be told apart.
	named := map[string]bool{}
	for _, x := range c.list {
		if x.Committee == com {
			named[c.a(x.Aspirant).Name] = true
		}
	}
	for i, a := range c.z.Aspirants {
		if a.OrgCode != c.gate.OrgCode || a.Fate != Qualified || !slate.Stands(a.Aspirant, com) || c.onList(i, com) || c.failed(i) ||
			c.isPredicted(i, com) || (female && !c.female(i)) || named[a.Name] {
			continue
		}
		return i
	}
	// A member predicted on the party committee who was not standing for
	// the residents' committee stands for it too (交叉任职候选人).
	for _, x := range c.gate.Picks {
		i, a := x.Aspirant, c.a(x.Aspirant)
		if com == org.ResidentsCommittee && x.Committee == org.PartyCommittee && x.Post == vetting.CommitteeMember &&
			a.CrossPost == "" && !c.onList(i, com) && !named[a.Name] && (!female || c.female(i)) {
			c.z.Aspirants[i].CrossPost = vetting.CommitteeMember
			return i
		}
	}
	g := c.g
	seen := map[string]bool{}
	for _, a := range c.z.Aspirants {
		seen[a.IDNumber] = true
		if a.OrgCode == c.gate.OrgCode {
			seen[a.Name] = true
		}
	}
	p := g.person(female, 1970, 1990)
	for seen[p.idNumber] || seen[p.name] {
		p = g.person(female, 1970, 1990)
	}
	a := vetting.Aspirant{OrgCode: c.gate.OrgCode, Name: p.name, IDNumber: p.idNumber,
		Phone: fmt.Sprintf("199%08d", g.r.IntN(100000000)), Ethnicity: "汉族", Party: vetting.Masses,
		Committee: com, Post: vetting.CommitteeMember, Education: educationCodes[p.education]}
	if com == org.PartyCommittee {
		a.Party = vetting.PartyMember
	}
	c.z.Aspirants = append(c.z.Aspirants, DemoAspirant{Aspirant: a, Fate: Qualified})
	return len(c.z.Aspirants) - 1
}

// incumbents makes some of the predicted persons the community's sitting
// members, so that they stand again (连选连任): its secretary (and director,
// where the sitting secretary was both) but in the young cadres'
// communities, and one or two members of each committee. Each takes the
// place of a sitting member of that post, whose entries become theirs (the
// aspirant's name, sex, birth date, ID number, education and party
// status), and the aspirant's current post says so.
func (c *ballotDraw) incumbents() {
	z, code := c.z, c.gate.OrgCode
	taken := map[string]bool{} // sitting members' ID numbers already replaced
	become := func(com org.Committee, post string, i int) bool {
		for k := range z.Members {
			m := z.Members[k]
			if m.OrgCode != code || m.Committee != com || m.Post != post || taken[m.IDNumber] {
				continue
			}
			a := c.a(i)
			taken[m.IDNumber] = true
			for j := range z.Members {
				if x := &z.Members[j]; x.OrgCode == code && x.IDNumber == m.IDNumber {
					x.Name, x.Sex, x.BirthDate, x.IDNumber = a.Name, a.Sex(), civil.Date(a.BirthDate()), a.IDNumber
					x.Education, x.PartyMember = educationLabel(a.Education), a.Party == vetting.PartyMember
				}
			}
			taken[a.IDNumber] = true
			if z.Aspirants[i].CurrentPost == "" {
				z.Aspirants[i].CurrentPost = "社区" + map[org.Committee]string{org.PartyCommittee: "党委", org.ResidentsCommittee: "居委会"}[com] + post
			}
			return true
		}
		return false
	}
	if !c.young {
		become(org.PartyCommittee, "书记", c.predicted(org.PartyCommittee, vetting.Secretary)[0])
	}
	for _, com := range org.Committees {
		members := c.predicted(com, vetting.CommitteeMember)
		for k := range min(1+c.g.r.IntN(2), len(members)) {
			if a := c.a(members[k]); !taken[a.IDNumber] {
				become(com, "委员", members[k])
			}
		}
	}
}

// educationLabel is the education a member's record writes for an
// aspirant's.
func educationLabel(e vetting.Education) string {
	for label, code := range educationCodes {
		if code == e && label != "中专" {
			return label
		}
	}
	return ""
}

// formal draws both formal lists: the predicted persons post by post and,
// for the margin (slate.DefaultMargins), the next aspirants standing for
// the committee: one more for every post of the residents' committee
// (a woman among the members where the slate has none), a fifth more for
// the party committee.
func (c *ballotDraw) formal() {
	c.extra, c.woman = map[org.Committee][]int{}, -1
	m := slate.DefaultMargins()
	for k, com := range org.Committees {
		seats := c.gate.Seats[k]
		for _, p := range vetting.PostsOf(com) {
			for _, i := range c.predicted(com, p) {
				c.list = append(c.list, DemoPick{Committee: com, Post: p, Aspirant: i})
			}
			if com == org.ResidentsCommittee && seats.Of(p) > 0 {
				i := c.spare(com, p == vetting.CommitteeMember && c.miss == missWoman)
				if p == vetting.CommitteeMember && c.miss == missWoman {
					c.woman = i
				}
				c.list = append(c.list, DemoPick{Committee: com, Post: p, Aspirant: i})
				c.extra[com] = append(c.extra[com], i)
			}
		}
		if com == org.PartyCommittee {
			for range slate.PartyCandidatesMin(seats.Total(), m.PartyPercent) - seats.Total() {
				i := c.spare(com, false)
				c.list = append(c.list, DemoPick{Committee: com, Post: vetting.CommitteeMember, Aspirant: i})
				c.extra[com] = append(c.extra[com], i)
			}
		}
	}
}

// steps are the third gate's steps once the formal lists were posted:
// every person on a list passed the notice; the failed stay failed.
func (c *ballotDraw) steps() []DemoSteps {
	var out []DemoSteps
	seen := map[int]bool{}
	for _, x := range c.list {
		if !seen[x.Aspirant] {
			seen[x.Aspirant] = true
			out = append(out, DemoSteps{Aspirant: x.Aspirant, Stage: slate.StagePassed})
		}
	}
	for _, s := range c.gate.Steps {
		if s.Stage == slate.StageFailed && !seen[s.Aspirant] {
			out = append(out, s)
		}
	}
	return out
}

// share draws a share of the valid ballots, in hundredths, from lo to hi.
func (c *ballotDraw) share(lo, hi int) int { return lo + c.g.r.IntN(hi-lo+1) }

// want is a candidate's total 赞成 on a ballot before it is spread over
// the stations.
type want struct {
	aspirant int
	post     vetting.Post
	yes      int
}

// party draws the party members' assembly: one venue, 应到会 the full
// members but those excused, nearly all present (the young cadre's
// community all but a few), each predicted person elected, the candidates
// added for the margin not (but in the communities where one beats a
// predicted member).
func (c *ballotDraw) party() DemoBallot {
	seats := c.gate.Seats[0]
	should := seats.FullMembers - 1 - c.g.r.IntN(3)
	pct := c.share(86, 97)
	if c.young {
		pct = c.share(96, 99)
	}
	present := max(should*pct/100, should*4/5+1)
	b := DemoBallot{Committee: org.PartyCommittee, Round: election.FirstRound, ShouldAttend: should, Present: present}
	invalid := c.g.r.IntN(2)
	valid := present - invalid
	upset := -1
	if c.show == showParty {
		members := c.predicted(org.PartyCommittee, vetting.CommitteeMember)
		upset = members[len(members)-1]
	}
	shares := map[int]int{} // aspirant → hundredths of the valid ballots
	for _, x := range c.list {
		if x.Committee != org.PartyCommittee {
			continue
		}
		switch {
		case x.Aspirant == upset:
			shares[x.Aspirant] = c.share(28, 38)
		case slices.Contains(c.extra[org.PartyCommittee], x.Aspirant):
			shares[x.Aspirant] = c.share(12, 40)
			if upset >= 0 && x.Aspirant == c.extra[org.PartyCommittee][0] {
				shares[x.Aspirant] = c.share(70, 80)
			}
		case x.Post == vetting.Secretary:
			shares[x.Aspirant] = c.share(90, 98)
		case x.Post == vetting.DeputySecretary:
			shares[x.Aspirant] = c.share(80, 95)
		default:
			shares[x.Aspirant] = c.share(66, 92)
		}
	}
	c.fit(org.PartyCommittee, shares, map[vetting.Post]int{vetting.Secretary: seats.Chief, vetting.DeputySecretary: seats.Deputies,
		vetting.CommitteeMember: seats.Members}, nil)
	var wants []want
	for _, x := range c.list {
		if x.Committee != org.PartyCommittee {
			continue
		}
		yes := (shares[x.Aspirant]*valid + 50) / 100
		if shares[x.Aspirant] >= 60 {
			yes = max(yes, should/2+1) // elected: more than half of 应到会
		}
		if c.young && x.Post == vetting.Secretary && c.isPredicted(x.Aspirant, org.PartyCommittee) {
			yes = max(yes, (9*should+9)/10) // 高票: nine in ten of 应到会 at least
		}
		wants = append(wants, want{x.Aspirant, x.Post, min(yes, valid)})
	}
	slip := -1
	if c.show == showSlip {
		slip = len(wants) - 1
	}
	b.Units = c.spread([]DemoUnit{{Name: mainHall, Kind: election.MainHall, Voted: present, Issued: present, Returned: present,
		Valid: valid, Invalid: invalid, Slip: slip}}, wants)
	if u := &b.Units[0]; slip >= 0 {
		for u.Lines[u.Slip].No == u.Lines[u.Slip].Abstain && u.Slip > 0 {
			u.Slip-- // a slip that changes nothing is none
		}
	}
	return b
}

// mainHall is the name of the station a ballot opens with.
const mainHall = "主会场"

// fit brings the shares of each post's candidates within what its seats
// allow (a voter marks at most as many as there are seats, and some mark
// fewer), taking a hundredth at a time from the largest share that is not
// fixed: first from the candidates not to be elected (down to 1), then
// from the others (down to 60).
func (c *ballotDraw) fit(com org.Committee, shares map[int]int, seats map[vetting.Post]int, fixed map[int]bool) {
	for _, p := range vetting.PostsOf(com) {
		var on []int
		for _, x := range c.list {
			if x.Committee == com && x.Post == p {
				on = append(on, x.Aspirant)
			}
		}
		limit := seats[p]*100 - 3*seats[p] - 1
		for {
			sum, low, high := 0, -1, -1
			for _, i := range on {
				sum += shares[i]
				switch {
				case fixed[i]:
				case shares[i] < 60 && shares[i] > 1 && (low < 0 || shares[i] > shares[low]):
					low = i
				case shares[i] > 60 && (high < 0 || shares[i] > shares[high]):
					high = i
				}
			}
			top := low
			if top < 0 {
				top = high
			}
			if sum <= limit || top < 0 {
				break
			}
			shares[top]--
		}
	}
}

// spread writes each candidate's total 赞成 into the stations' sheets,
// in proportion to their valid ballots (the main venue taking what the
// others leave), the rest of each station's valid ballots 不赞成 and 弃权.
func (c *ballotDraw) spread(units []DemoUnit, wants []want) []DemoUnit {
	valid := 0
	for _, u := range units {
		valid += u.Valid
	}
	for k := range units {
		units[k].Lines = nil
	}
	for _, w := range wants {
		left := w.yes
		for k := len(units) - 1; k >= 0; k-- {
			u := &units[k]
			yes := left
			if k > 0 {
				yes = w.yes * u.Valid / valid
			}
			yes = min(yes, u.Valid)
			left -= yes
			rest := u.Valid - yes
			no := rest * (40 + c.g.r.IntN(30)) / 100
			u.Lines = append(u.Lines, DemoLine{Aspirant: w.aspirant, Post: w.post, Yes: yes, No: no, Abstain: rest - no})
		}
	}
	return units
}

// residents draws the residents' ballots: the first, over the main venue,
// a branch in the largest communities and a mobile box; each predicted
// person elected by more than half of those who voted, the others on the
// list not, but where the community shows otherwise: a further ballot the
// same day for a member's seat; a void box and the ballot held again a
// week later; a woman who takes the women's seat or beats a predicted
// member; another candidate who beats one.
func (c *ballotDraw) residents(population, households int) []DemoBallot {
	registered := population * c.share(74, 80) / 100
	first := c.residentsBallot(election.FirstRound, registered, households)
	if c.show == showVoid {
		box := &first.Units[len(first.Units)-1]
		box.Returned += 2
		box.Valid += 2
		for k := range box.Lines {
			box.Lines[k].Abstain += 2
		}
		first.Void = "流动票箱收回选票" + fmt.Sprint(box.Returned) + "张,多于发出的" + fmt.Sprint(box.Issued) +
			"张,依法宣布本次选举无效,重新组织选举"
		again := c.residentsBallot(election.RepeatRound, registered, households)
		again.After = 7
		return []DemoBallot{first, again}
	}
	if c.show != showFurther {
		return []DemoBallot{first}
	}
	// The member short of half and the next on the list stand again for
	// the seat left; the predicted one is elected.
	shortOf, next := c.furtherPair()
	voted := 0
	for _, u := range first.Units {
		voted += u.Voted * 9 / 10
	}
	invalid := voted / 200
	valid := voted - invalid
	further := DemoBallot{Committee: org.ResidentsCommittee, Round: election.FurtherRound, Registered: registered,
		Seats: map[vetting.Post]int{vetting.CommitteeMember: 1}, Candidates: []int{shortOf, next}}
	wants := []want{{shortOf, vetting.CommitteeMember, valid * c.share(58, 68) / 100},
		{next, vetting.CommitteeMember, valid * c.share(22, 32) / 100}}
	further.Units = c.spread([]DemoUnit{{Name: mainHall, Kind: election.MainHall, Voted: voted, Issued: voted, Returned: voted,
		Valid: valid, Invalid: invalid, Slip: -1}}, wants)
	return []DemoBallot{first, further}
}

// furtherPair are, where a seat goes to a further ballot, the predicted
// man who fell short of half on the first ballot and the candidate added
// for the members' margin.
func (c *ballotDraw) furtherPair() (int, int) {
	members := c.predicted(org.ResidentsCommittee, vetting.CommitteeMember)
	short := members[len(members)-1]
	for k := len(members) - 1; k >= 0; k-- {
		if !c.female(members[k]) {
			short = members[k]
			break
		}
	}
	extra := c.extra[org.ResidentsCommittee]
	return short, extra[len(extra)-1]
}

// residentsBallot draws one residents' ballot of round (a first one, or
// its repeat).
func (c *ballotDraw) residentsBallot(round election.Round, registered, households int) DemoBallot {
	b := DemoBallot{Committee: org.ResidentsCommittee, Round: round, Registered: registered}
	voted := registered * c.share(78, 92) / 100
	box := min(20+c.g.r.IntN(100), voted/10) // the elderly and the sick, at home
	branch := 0
	if households >= 2500 {
		branch = voted * c.share(30, 40) / 100
	}
	unit := func(name string, kind election.UnitKind, n int) DemoUnit {
		invalid := n * c.g.r.IntN(15) / 1000
		return DemoUnit{Name: name, Kind: kind, Voted: n, Issued: n, Returned: n, Valid: n - invalid, Invalid: invalid, Slip: -1}
	}
	units := []DemoUnit{unit(mainHall, election.MainHall, voted-box-branch)}
	if branch > 0 {
		units = append(units, unit("第一分会场", election.BranchHall, branch))
	}
	units = append(units, unit("流动票箱", election.MobileBox, box))
	if c.show == showAck && round == election.FirstRound {
		u := &units[len(units)-1] // a voter kept the ballot: one not returned
		u.Returned--
		u.Valid--
	}
	valid := 0
	for _, u := range units {
		valid += u.Valid
	}
	var short, upset = -1, -1
	switch {
	case c.show == showFurther && round == election.FirstRound:
		short, _ = c.furtherPair()
	case c.show == showRes:
		members := c.predicted(org.ResidentsCommittee, vetting.CommitteeMember)
		for k := len(members) - 1; k >= 0; k-- {
			if !c.female(members[k]) {
				upset = members[k]
				break
			}
		}
	}
	// Where the slate has no woman on the committee, the woman added to the
	// list takes the women's seat in one community (she has fewer votes
	// than the predicted members, but more than half) and beats the last
	// predicted member in the other.
	wins := c.woman >= 0 && c.gate.Dual
	if c.woman >= 0 && wins {
		members := c.predicted(org.ResidentsCommittee, vetting.CommitteeMember)
		upset = members[len(members)-1]
	}
	shares, fixed := map[int]int{}, map[int]bool{}
	for _, x := range c.list {
		if x.Committee != org.ResidentsCommittee {
			continue
		}
		i := x.Aspirant
		switch {
		case i == short:
			shares[i], fixed[i] = c.share(40, 46), true
		case i == upset:
			shares[i], fixed[i] = c.share(30, 40), true
		case i == c.woman && wins:
			shares[i], fixed[i] = c.share(66, 74), true
		case i == c.woman:
			shares[i], fixed[i] = c.share(55, 58), true
		case slices.Contains(c.extra[org.ResidentsCommittee], i):
			shares[i] = c.share(8, 34)
			if c.show == showRes && x.Post == vetting.CommitteeMember {
				shares[i], fixed[i] = c.share(66, 76), true
			}
			if short >= 0 && x.Post == vetting.CommitteeMember {
				shares[i], fixed[i] = c.share(24, 34), true
			}
		case x.Post == vetting.Director:
			shares[i] = c.share(82, 94)
			if c.young {
				shares[i], fixed[i] = c.share(93, 95), true
			}
		case x.Post == vetting.DeputyDirector:
			shares[i] = c.share(72, 90)
		default:
			shares[i] = c.share(62, 88)
		}
	}
	seats := c.gate.Seats[1]
	c.fit(org.ResidentsCommittee, shares, map[vetting.Post]int{vetting.Director: seats.Chief, vetting.DeputyDirector: seats.Deputies,
		vetting.CommitteeMember: seats.Members}, fixed)
	var wants []want
	for _, x := range c.list {
		if x.Committee != org.ResidentsCommittee {
			continue
		}
		yes := shares[x.Aspirant] * valid / 100
		if c.young && x.Post == vetting.Director && c.isPredicted(x.Aspirant, org.ResidentsCommittee) {
			yes = max(yes, (9*voted+9)/10) // 高票: nine in ten of those who voted at least
		}
		wants = append(wants, want{x.Aspirant, x.Post, min(yes, valid)})
	}
	b.Units = c.spread(units, wants)
	return b
}

// officers are the party committee's secretary and deputies as predicted
// but where the committee elects the first predicted member deputy
// secretary instead; elected the day of the assembly or the next, approved
// three to six days later but in one community.
func (c *ballotDraw) officers() DemoOfficers {
	o := DemoOfficers{Secretary: c.predicted(org.PartyCommittee, vetting.Secretary)[0],
		Deputies: c.predicted(org.PartyCommittee, vetting.DeputySecretary), After: c.g.r.IntN(2)}
	if c.show == showOfficers {
		o.Deputies = c.predicted(org.PartyCommittee, vetting.CommitteeMember)[:1]
	}
	if c.show != showPending {
		o.ApprovedAfter = o.After + 3 + c.g.r.IntN(4)
	}
	return o
}
