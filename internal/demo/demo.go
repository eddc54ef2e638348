// Package demo generates the demo development zone: deterministic for a seed,
// realistic in shape (4 districts, 32 communities by default, as in the
// seed report), and unmistakably fictional in its personal data.
package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Defaults of the demo zone.
const (
	DefaultCommunities = 32
	DefaultSeed        = 2026
	ZoneCode           = "QS"
	// DemoRegion is the address code of every demo ID number: no Chinese
	// region has the province code 99, so no real person holds one.
	DemoRegion = "990101"
	// DemoPhonePrefix starts every demo phone number (11 digits): no
	// Chinese mobile or fixed-line number begins with 100, so, like an ID
	// number of region 99, no real person's number is one of them.
	DemoPhonePrefix = "100"
)

// Zone is a generated demo zone.
type Zone struct {
	Units []org.Unit // zone first, then each district followed by its communities
	// Filled are the districts whose communities carry the records of every
	// capability (members, gates, elections, visits, ledgers, a work team):
	// every district of a zone of up to GatesUpTo communities, and districts
	// spread evenly over a larger zone holding about GatesUpTo of them.
	Filled      map[string]bool
	Members     []MemberOf       // sitting committee members
	Accounts    []Account        // one per role, and a reviewer per vetting department
	Assessments []DemoAssessment // one per community, drawn to give 14:10:8
	Plans       []DemoPlan       // what each class needs, a few short
	Assignments []org.Assignment // a leader per district, a leader and a cadre per community
	Aspirants   []DemoAspirant   // the gates: every community's aspirants and their fates
	Cases       []DemoCase
	Tips        []DemoTip
	Activities  []DemoActivity
	Gates       []DemoGate // the third gate of each community with aspirants
	// Elections are the two elections of each community with a third gate
	// (elections.go): their days, formal lists, ballots, officers and
	// handovers.
	Elections []DemoElection
	// Visits are the three rounds of visits of a zone that has held its
	// elections (visits.go): the registers imported so far, the rounds'
	// dates, the research activities, the visits and talks.
	Visits DemoVisits
}

// MemberOf is a member with the code of their community.
type MemberOf struct {
	OrgCode string
	org.Member
}

// Account is a demo login. Passwords are random per generation, not per seed:
// they are printed once and never stored in clear.
type Account struct {
	Username    string
	DisplayName string
	Role        account.Role
	Scope       string
	Department  string
	Password    string
	// Duty is what a district account does in its district's work team:
	// "" for its liaison (专班联络员, who also coordinates the counts),
	// clerkDuty for the two who enter the counts.
	Duty string
}

// WithoutGates is the zone without aspirants, tips, cases, activities,
// elections and visits: for tests that build their own and for quick loads.
func (z Zone) WithoutGates() Zone {
	z.Aspirants, z.Cases, z.Tips, z.Activities, z.Gates, z.Elections = nil, nil, nil, nil, nil, nil
	z.Visits = DemoVisits{}
	return z
}

// WithoutThirdGate is the zone up to the party committee's second review:
// its aspirants (those the third gate registered too) and their fates,
// without seats, recommendations, assessments, slates and reserve lists,
// for tests of the third gate that make their own.
func (z Zone) WithoutThirdGate() Zone {
	z.Gates, z.Elections, z.Visits = nil, nil, DemoVisits{}
	return z
}

// WithoutElections is the zone as it stood before its elections: the
// election days ahead (the defaults), the gates counted back from the load
// day, the third gate at its varied steps, no formal lists, ballots or
// results, and no visits (their rounds are dated from the votes); for
// tests of the steps before the vote and of elections they hold
// themselves.
func (z Zone) WithoutElections() Zone {
	z.Elections, z.Visits = nil, DemoVisits{}
	return z
}

// Communities reports how many communities a zone has.
func (z Zone) Communities() int { return len(z.CommunityCodes()) }

// CommunityCodes are the codes of the zone's communities, in tree order.
func (z Zone) CommunityCodes() []string {
	var out []string
	for _, u := range z.Units {
		if u.Kind == org.Community {
			out = append(out, u.Code)
		}
	}
	return out
}

// MembersUpTo is the largest zone whose committee members and plans are
// generated: larger zones exist for benchmarks and carry assessments only.
const MembersUpTo = 2000

// GatesUpTo is the largest zone whose every community carries the records
// of every capability (aspirants, reviews, tips and cases, the third gate,
// elections, visits, ledgers). A larger zone carries them in about as many
// communities, in districts spread evenly over it (Zone.Filled), so that
// its pages show real records; the gates' own benchmarks make their large
// loads themselves.
const GatesUpTo = 200

// Parents are the units' parents by code: a community's district.
func (z Zone) Parents() map[string]string {
	out := make(map[string]string, len(z.Units))
	for _, u := range z.Units {
		out[u.Code] = u.ParentCode
	}
	return out
}

// Fills reports whether the unit with code and parent (a district, or a
// community and its district) carries the records of every capability.
func (z Zone) Fills(code, parent string) bool { return z.Filled[code] || z.Filled[parent] }

// Generate builds a zone of n communities (at least 1) from seed. Districts
// hold about eight communities each, four at the least, as in the seed zone.
func Generate(seed uint64, n int) Zone {
	if n < 1 {
		n = 1
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	g := &gen{r: r}
	z := Zone{}
	z.Units = append(z.Units, org.Unit{Code: ZoneCode, Name: "青石经济开发区", Kind: org.Zone})
	districts := max(4, (n+7)/8)
	width := len(fmt.Sprint(districts))
	width = max(width, 2)
	names := g.communityNames(n)
	next := 0
	z.Filled = map[string]bool{}
	step := max(1, n/GatesUpTo) // every district up to GatesUpTo communities
	var gated []string          // the communities of the filled districts
	for d := 0; d < districts; d++ {
		dcode := fmt.Sprintf("%s-%0*d", ZoneCode, width, d+1)
		dname := fmt.Sprintf("第%d片区", d+1)
		if districts == len(districtNames) {
			dname = districtNames[d]
		}
		z.Units = append(z.Units, org.Unit{Code: dcode, Name: dname, Kind: org.District, ParentCode: ZoneCode})
		filled := d%step == 0
		z.Filled[dcode] = filled
		// Spread n communities as evenly as possible over the districts.
		count := n/districts + btoi(d < n%districts)
		for c := 0; c < count; c++ {
			households := 600 + r.IntN(2900)
			u := org.Unit{
				Code:       fmt.Sprintf("%s-%03d", dcode, c+1),
				Name:       names[next],
				Kind:       org.Community,
				ParentCode: dcode,
				Households: households,
				Population: households * (250 + r.IntN(80)) / 100,
			}
			next++
			z.Units = append(z.Units, u)
			if n <= MembersUpTo || filled {
				z.Members = append(z.Members, g.committees(u.Code)...)
			}
			if filled {
				gated = append(gated, u.Code)
			}
		}
	}
	var counting []string // the districts that count the demo's elections
	for _, u := range z.Units {
		if u.Kind == org.District && n >= electionsFrom && z.Filled[u.Code] {
			counting = append(counting, u.Code)
		}
	}
	z.Accounts = accounts(z.Units[1].Code, z.Units[2].Code, counting)
	var codes []string
	for _, u := range z.Units {
		if u.Kind == org.Community {
			codes = append(codes, u.Code)
		}
	}
	z.Assessments = g.assessments(codes)
	if n <= MembersUpTo {
		z.Plans = g.plans(z.Assessments)
		z.Assignments = g.assignments(z.Units, z.Accounts)
	} else {
		var units []org.Unit // the zone and the filled districts with their communities
		for _, u := range z.Units {
			if u.Kind == org.Zone || z.Fills(u.Code, u.ParentCode) {
				units = append(units, u)
			}
		}
		z.Assignments = g.assignments(units, z.Accounts)
	}
	if codes := gated; len(codes) > 0 {
		z.Aspirants = g.aspirants(codes)
		z.Cases, z.Tips = casesAndTips(codes, z.Aspirants)
		z.Activities = activities(ZoneCode)
		names := map[string]string{}
		for _, u := range z.Units {
			names[u.Code] = u.Name
		}
		g.thirdGate(&z, codes, names) // it changes no earlier draw
		g.elections(&z, codes, names) // it changes no earlier draw either
		g.visits(&z, codes)           // last, likewise
	}
	return z
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// accounts are the demo's logins: one per role (the district and community
// ones over the first district and its first community), a reviewer per
// vetting department and, for each district counting the demo's elections,
// its liaison, who coordinates its counts (district1 is the first
// district's), and its two clerks.
func accounts(first, community string, counting []string) []Account {
	pw := func() string { return account.RandomPassword(14) }
	// Real-looking names: the header, the audit log and the work teams
	// show who acted, not a role's placeholder.
	out := []Account{
		{"admin", "陈静", account.Admin, "", "", pw(), ""},
		{"leader", "刘振华", account.Leader, "", "", pw(), ""},
		{"district1", "张卫东", account.District, first, "", pw(), ""},
		{"community1", "李秀英", account.Community, community, "", pw(), ""},
	}
	// A reviewer for every department of the joint review, each with a queue.
	for _, d := range vetting.DefaultDepartments() {
		out = append(out, Account{"reviewer-" + d.Code, reviewerNames[d.Code], account.Reviewer, "", d.Code, pw(), ""})
	}
	out = append(out,
		Account{"discipline", "孙建军", account.Discipline, "", "", pw(), ""},
		Account{"police", "周涛", account.Police, "", "", pw(), ""},
		Account{"committee", "吴国平", account.Committee, "", "", pw(), ""},
	)
	for i, d := range counting {
		names := countNames[i%len(countNames)]
		if names[0] == "" {
			names[0] = extraLiaison // a zone of more districts than names: the first's again, who needs a liaison
		}
		if i > 0 {
			out = append(out, Account{fmt.Sprintf("district%d", i+1), names[0], account.District, d, "", pw(), ""})
		}
		for k, letter := range []string{"a", "b"} {
			out = append(out, Account{fmt.Sprintf("clerk%d%s", i+1, letter), names[1+k], account.District, d, "", pw(), clerkDuty})
		}
	}
	return out
}

type gen struct {
	r   *rand.Rand
	seq int
}

func (g *gen) pick(list []rune) string { return string(list[g.r.IntN(len(list))]) }

func (g *gen) communityNames(n int) []string {
	var pool []string
	for _, s := range placeSuffixes {
		for _, p := range placeNames {
			pool = append(pool, s+p)
		}
	}
	g.r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	seedNames(pool, n)
	out := make([]string, n)
	for i := range out {
		base := pool[i%len(pool)]
		if round := i / len(pool); round > 0 {
			base += chineseDigits[(round-1)%len(chineseDigits)]
			if round > len(chineseDigits) {
				base += fmt.Sprint(round)
			}
		}
		out[i] = base + "社区"
	}
	return out
}

// seedNames brings the seed's communities whose young cadres stood for
// secretary and director (辛庄, 长远, 西山) among the first n names of the
// shuffled pool, when n can hold them: each takes the place of a name built
// on it (南长远 becomes 长远), else of a name spread over the zone. The
// shuffle's draws are the same.
func seedNames(pool []string, n int) {
	bases := []string{"辛庄", "长远", "西山"}
	if n < 8 {
		return
	}
	for k, base := range bases {
		j := slices.Index(pool, base)
		if j < n {
			continue
		}
		at := -1
		for i := range n {
			if strings.HasSuffix(pool[i], base) {
				at = i
				break
			}
		}
		if at < 0 {
			at = (k*n/3 + n/8) % n
			for slices.Contains(bases, pool[at]) {
				at = (at + 1) % n
			}
		}
		pool[at], pool[j] = pool[j], pool[at]
	}
}

// phone draws a demo phone number.
func (g *gen) phone() string { return fmt.Sprintf("%s%08d", DemoPhonePrefix, g.r.IntN(100000000)) }

type person struct {
	name, sex, birth, idNumber, phone, education string
	party                                        bool
}

func (g *gen) person(female bool, minYear, maxYear int) person {
	p := person{sex: "男"}
	given := maleGiven
	if female {
		p.sex, given = "女", femaleGiven
	}
	p.name = g.pick(surnames) + g.pick(given)
	if g.r.IntN(3) > 0 {
		p.name += g.pick(given)
	}
	year := minYear + g.r.IntN(maxYear-minYear+1)
	month, day := 1+g.r.IntN(12), 1+g.r.IntN(28)
	p.birth = fmt.Sprintf("%04d-%02d-%02d", year, month, day)
	g.seq++
	order := (g.seq % 499) * 2 // even: female
	if !female {
		order++
	}
	first17 := fmt.Sprintf("%s%04d%02d%02d%03d", DemoRegion, year, month, day, order)
	p.idNumber = first17 + string(idcard.CheckDigit(first17))
	p.phone = g.phone()
	p.education = educations[g.r.IntN(len(educations))]
	return p
}

// committees makes both committees of a community: 5 to 7 members each, a
// secretary who is also director in three of four communities (一肩挑),
// about a third women and some members under 35.
func (g *gen) committees(code string) []MemberOf {
	var out []MemberOf
	add := func(p person, c org.Committee, post string) {
		out = append(out, MemberOf{OrgCode: code, Member: org.Member{
			Name: p.name, Sex: p.sex, BirthDate: civil.Date(p.birth), Committee: c, Post: post,
			PartyMember: p.party, Education: p.education, IDNumber: p.idNumber, Phone: p.phone, Demo: true,
		}})
	}
	member := func(partyOnly bool) person {
		p := g.person(g.r.IntN(3) == 0, 1965, 2000)
		p.party = partyOnly || g.r.IntN(10) < 6
		return p
	}
	secretary := g.person(g.r.IntN(6) == 0, 1966, 1992)
	secretary.party = true
	add(secretary, org.PartyCommittee, "书记")
	if g.r.IntN(2) == 0 {
		add(member(true), org.PartyCommittee, "副书记")
	}
	for i, k := 0, 3+g.r.IntN(3); i < k; i++ {
		add(member(true), org.PartyCommittee, "委员")
	}
	director := secretary
	if g.r.IntN(4) == 0 {
		director = member(false)
	}
	add(director, org.ResidentsCommittee, "主任")
	add(member(false), org.ResidentsCommittee, "副主任")
	for i, k := 0, 3+g.r.IntN(3); i < k; i++ {
		add(member(false), org.ResidentsCommittee, "委员")
	}
	return out
}

var cadreUnits = []string{"党群部", "综治信访办", "财政局", "社会事业局", "经济发展局"}

// assignments puts a leader over each district and a leader and a cadre
// over each community; the demo district and community accounts are the
// first district's leader and its first community's cadre.
func (g *gen) assignments(units []org.Unit, accounts []Account) []org.Assignment {
	var out []org.Assignment
	phone := g.phone
	for _, u := range units {
		switch u.Kind {
		case org.District:
			out = append(out, org.Assignment{OrgCode: u.Code, Duty: org.DistrictLeader, Name: g.person(false, 1965, 1980).name,
				Unit: "开发区党工委", Phone: phone()})
		case org.Community:
			out = append(out,
				org.Assignment{OrgCode: u.Code, Duty: org.CommunityLeader, Name: g.person(g.r.IntN(4) == 0, 1968, 1985).name,
					Unit: cadreUnits[g.r.IntN(len(cadreUnits))], Phone: phone()},
				org.Assignment{OrgCode: u.Code, Duty: org.CommunityCadre, Name: g.person(g.r.IntN(3) == 0, 1980, 1998).name,
					Unit: cadreUnits[g.r.IntN(len(cadreUnits))], Phone: phone()})
		}
	}
	for _, a := range accounts {
		switch {
		case a.Duty != "": // a clerk, not a leader
		case a.Role == account.District:
			out = append(out, org.Assignment{OrgCode: a.Scope, Duty: org.DistrictLeader, Name: a.DisplayName, Unit: "片区工作专班", Username: a.Username})
		case a.Role == account.Community:
			out = append(out, org.Assignment{OrgCode: a.Scope, Duty: org.CommunityCadre, Name: a.DisplayName, Unit: "社区", Username: a.Username})
		}
	}
	return out
}
