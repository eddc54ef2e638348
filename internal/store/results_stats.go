package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The zone's reads of the results: the structure targets on the elected,
// predicted vs actual, and the statistics higher levels ask for. Each is a
// few set-based statements over the communities in scope, whatever their
// number: no statement per community.

// ElectedLineups are the elected members of the communities in scope that
// f selects, in tree order, as the structure targets read them (a page
// when f.Limit is set); a community without results has no holders. One
// query: the page of communities is chosen on the orgs index and joined
// to its elected members.
func (q *Scoped) ElectedLineups(ctx context.Context, f CommunityFilter) ([]slate.Lineup, error) {
	cycle, err := q.Cycle(ctx)
	if err != nil {
		return nil, err
	}
	from, args, err := q.s.communityFrom(ctx, q.scope, cycle.ID, f)
	if err != nil {
		return nil, err
	}
	page := `SELECT o.id` + from + ` ORDER BY o.path`
	if f.Limit > 0 {
		page += ` LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(f.Offset)
	}
	type community struct {
		code, name, district string
		members              []ElectedMember
		committees           []org.Committee
	}
	var list []community
	err = q.s.each(ctx, `SELECT o.code, o.name, COALESCE(d.name, ''), COALESCE(m.committee, ''), COALESCE(m.id, 0),
		COALESCE(m.aspirant_id, 0), COALESCE(m.name, ''), COALESCE(m.sex, ''), COALESCE(m.birth_date, ''), COALESCE(m.education, ''),
		COALESCE(m.party, ''), COALESCE(m.post, ''), COALESCE(m.age, 0)
		FROM (`+page+`) pg JOIN orgs o ON o.id = pg.id LEFT JOIN orgs d ON d.id = o.parent_id
		LEFT JOIN elected_members m ON m.cycle_id = $1 AND m.org_id = o.id
		ORDER BY o.path, m.committee, m.seq`, func(rows *sql.Rows) error {
		var c community
		var committee org.Committee
		var m ElectedMember
		if err := rows.Scan(&c.code, &c.name, &c.district, &committee, &m.ID, &m.AspirantID, &m.Name, &m.Sex, &m.BirthDate, &m.Education,
			&m.Party, &m.Post, &m.Age); err != nil {
			return err
		}
		if n := len(list); n == 0 || list[n-1].code != c.code {
			list = append(list, c)
		}
		if m.ID != 0 {
			cur := &list[len(list)-1]
			cur.members, cur.committees = append(cur.members, m), append(cur.committees, committee)
		}
		return nil
	}, args...)
	if err != nil {
		return nil, err
	}
	out := make([]slate.Lineup, len(list))
	for i, c := range list {
		out[i] = electedLineup(c.code, c.name, c.district, c.members, c.committees)
	}
	return out, nil
}

// ResultTargetsPage is TargetsPage on the election results: the cycle's
// structure targets evaluated, with slate.Evaluate as on the predicted
// slates, on each community's elected members (a community without
// results has no lineup and fails no hard target), the zone's ratios and
// unity, and a page of rows (those failing a hard target, or all).
func (q *Scoped) ResultTargetsPage(ctx context.Context, district string, all bool, limit, offset int) (TargetsPage, error) {
	var p TargetsPage
	var err error
	if p.Targets, _, err = q.Targets(ctx); err != nil {
		return p, err
	}
	lineups, err := q.ElectedLineups(ctx, CommunityFilter{District: district})
	if err != nil {
		return p, err
	}
	firsts, err := q.RecommendationFirsts(ctx, "")
	if err != nil {
		return p, err
	}
	p.Met = make([]int, len(p.Targets))
	tallies := make([]slate.Tally, len(lineups))
	var rows []TargetRow
	for i, l := range lineups {
		row := TargetRow{Code: l.Code, Name: l.Name, District: l.District, Results: slate.Evaluate(l, p.Targets)}
		for j, r := range row.Results {
			if r.Met {
				p.Met[j]++
			} else if r.Target.Hard && len(l.Holders) > 0 {
				row.HardFailed++
			}
		}
		f := firsts[l.Code]
		row.United, row.Posts = slate.Unity(l, f[0], f[1])
		p.United, p.Posts = p.United+row.United, p.Posts+row.Posts
		tallies[i] = slate.TallyOf(l)
		if row.HardFailed > 0 {
			p.Failing++
		}
		if all || row.HardFailed > 0 {
			rows = append(rows, row)
		}
	}
	p.Communities, p.Ratios, p.Total = len(lineups), slate.SumTallies(tallies), len(rows)
	if offset < len(rows) {
		p.Rows = rows[offset:min(len(rows), offset+max(limit, 0))]
	}
	return p, nil
}

// MatchCount counts predicted persons by what became of them.
type MatchCount struct {
	Predicted int `json:"predicted"`
	Matched   int `json:"matched"` // elected to the predicted post
	Other     int `json:"other_post"`
	Pending   int `json:"pending"`
	Missed    int `json:"missed"`
}

// Rate is the match rate: matched of predicted, a percentage.
func (c MatchCount) Rate() float64 { return slate.Share(c.Matched, c.Predicted) }

func (c *MatchCount) add(o MatchCount) {
	c.Predicted, c.Matched, c.Other, c.Pending, c.Missed = c.Predicted+o.Predicted, c.Matched+o.Matched, c.Other+o.Other,
		c.Pending+o.Pending, c.Missed+o.Missed
}

// MatchRow is one committee of one community: its current comparison.
type MatchRow struct {
	Code       string        `json:"code"`
	Name       string        `json:"name"`
	District   string        `json:"district"`
	Committee  org.Committee `json:"committee"`
	Generation int           `json:"generation"` // how many comparisons were kept
	At         time.Time     `json:"compared_at"`
	MatchCount
}

// MatchPost is one post of one committee over the communities.
type MatchPost struct {
	Committee org.Committee `json:"committee"`
	Post      vetting.Post  `json:"post"`
	MatchCount
}

// MatchReport is predicted vs actual over the communities in scope (of a
// district when set): the current comparison of each committee that has
// results, per community, per post and in all.
type MatchReport struct {
	Total       MatchCount                    `json:"total"`
	ByCommittee map[org.Committee]*MatchCount `json:"by_committee"`
	Posts       []MatchPost                   `json:"posts"`
	Rows        []MatchRow                    `json:"rows"`
}

// latestMatches are the conditions of the current comparisons (alias m)
// of committees that have results, in communities o between $2 and $3.
const latestMatches = ` WHERE m.cycle_id = $1 AND o.kind = 'community' AND o.path >= $2 AND o.path < $3
	AND m.generation = (SELECT MAX(g.generation) FROM slate_matches g WHERE g.cycle_id = m.cycle_id AND g.org_id = m.org_id
		AND g.committee = m.committee)
	AND EXISTS (SELECT 1 FROM elected_members e WHERE e.cycle_id = m.cycle_id AND e.org_id = m.org_id AND e.committee = m.committee)`

// matchSums count the outcomes of the rows of slate_matches m.
var matchSums = `COUNT(*), SUM(CASE WHEN m.outcome = '` + string(election.MatchPost) + `' THEN 1 ELSE 0 END),
	SUM(CASE WHEN m.outcome = '` + string(election.MatchOther) + `' THEN 1 ELSE 0 END),
	SUM(CASE WHEN m.outcome = '` + string(election.MatchPending) + `' THEN 1 ELSE 0 END),
	SUM(CASE WHEN m.outcome = '` + string(election.MatchMissed) + `' THEN 1 ELSE 0 END)`

// Matches reads predicted vs actual: see MatchReport. Two aggregates.
func (q *Scoped) Matches(ctx context.Context, district string) (MatchReport, error) {
	out := MatchReport{ByCommittee: map[org.Committee]*MatchCount{}, Posts: []MatchPost{}, Rows: []MatchRow{}}
	cycle, err := q.Cycle(ctx)
	if err != nil {
		return out, err
	}
	_, args, err := q.s.communityFrom(ctx, q.scope, cycle.ID, CommunityFilter{District: district})
	if err != nil {
		return out, err
	}
	for _, c := range org.Committees {
		out.ByCommittee[c] = &MatchCount{}
	}
	err = q.s.each(ctx, `SELECT o.code, o.name, COALESCE(d.name, ''), m.committee, m.generation, m.compared_at, `+matchSums+`
		FROM slate_matches m JOIN orgs o ON o.id = m.org_id LEFT JOIN orgs d ON d.id = o.parent_id`+latestMatches+`
		GROUP BY o.path, o.code, o.name, d.name, m.committee, m.generation, m.compared_at ORDER BY o.path, m.committee`, func(rows *sql.Rows) error {
		var r MatchRow
		if err := rows.Scan(&r.Code, &r.Name, &r.District, &r.Committee, &r.Generation, &r.At, &r.Predicted, &r.Matched, &r.Other,
			&r.Pending, &r.Missed); err != nil {
			return err
		}
		out.Rows = append(out.Rows, r)
		out.Total.add(r.MatchCount)
		if c := out.ByCommittee[r.Committee]; c != nil {
			c.add(r.MatchCount)
		}
		return nil
	}, args[:3]...)
	if err != nil {
		return out, err
	}
	byPost := map[org.Committee]map[vetting.Post]MatchCount{}
	err = q.s.each(ctx, `SELECT m.committee, m.post, `+matchSums+` FROM slate_matches m JOIN orgs o ON o.id = m.org_id`+latestMatches+`
		GROUP BY m.committee, m.post`, func(rows *sql.Rows) error {
		var c org.Committee
		var p vetting.Post
		var n MatchCount
		if err := rows.Scan(&c, &p, &n.Predicted, &n.Matched, &n.Other, &n.Pending, &n.Missed); err != nil {
			return err
		}
		if byPost[c] == nil {
			byPost[c] = map[vetting.Post]MatchCount{}
		}
		byPost[c][p] = n
		return nil
	}, args[:3]...)
	for _, c := range org.Committees {
		for _, p := range vetting.PostsOf(c) {
			if n, ok := byPost[c][p]; ok {
				out.Posts = append(out.Posts, MatchPost{Committee: c, Post: p, MatchCount: n})
			}
		}
	}
	return out, err
}

// StatGroup counts one group of elected members (a committee's, or the
// two committees' with each person once).
type StatGroup struct {
	Members   int `json:"members"`
	AgeSum    int `json:"age_sum"`
	Young     int `json:"young"`     // 35岁以下 (slate.Young)
	Old       int `json:"old"`       // 60岁以上 (election.Old)
	Women     int `json:"women"`     //
	College   int `json:"college"`   // 大专及以上
	High      int `json:"high"`      // 高中(中专)
	Junior    int `json:"junior"`    // 初中及以下
	Party     int `json:"party"`     // 中共党员 and 预备党员
	Reelected int `json:"reelected"` // 连选连任
}

// AverageAge is the members' average age, one decimal; 0 with none.
func (g StatGroup) AverageAge() float64 { return average(g.AgeSum, g.Members) }

// New counts those elected for the first time (初次当选).
func (g StatGroup) New() int { return g.Members - g.Reelected }

func (g *StatGroup) add(o StatGroup) {
	g.Members, g.AgeSum, g.Young, g.Old, g.Women = g.Members+o.Members, g.AgeSum+o.AgeSum, g.Young+o.Young, g.Old+o.Old, g.Women+o.Women
	g.College, g.High, g.Junior, g.Party = g.College+o.College, g.High+o.High, g.Junior+o.Junior, g.Party+o.Party
	g.Reelected += o.Reelected
}

func (g *StatGroup) sub(o StatGroup) {
	g.Members, g.AgeSum, g.Young, g.Old, g.Women = g.Members-o.Members, g.AgeSum-o.AgeSum, g.Young-o.Young, g.Old-o.Old, g.Women-o.Women
	g.College, g.High, g.Junior, g.Party = g.College-o.College, g.High-o.High, g.Junior-o.Junior, g.Party-o.Party
	g.Reelected -= o.Reelected
}

// Chief is a community's party secretary or residents' committee director
// as the county form lists them (村主任情况).
type Chief struct {
	Name      string            `json:"name"`
	Sex       string            `json:"sex"`
	BirthDate civil.Date        `json:"birth_date"`
	Education vetting.Education `json:"education"`
	Party     vetting.Party     `json:"party"`
	Age       int               `json:"age"`
}

// StatRow is one community in the county form: each committee's members
// counted, the two committees' persons counted once (People), 交叉任职,
// the secretary and the director, the days each committee was elected
// and handed over ("" none).
type StatRow struct {
	Code               string     `json:"code"`
	Name               string     `json:"name"`
	District           string     `json:"district"`
	Party              StatGroup  `json:"party"`
	Residents          StatGroup  `json:"residents"`
	People             StatGroup  `json:"people"`
	Cross              int        `json:"cross"` // persons on both committees
	Secretary          *Chief     `json:"secretary"`
	Director           *Chief     `json:"director"`
	PartyElectedOn     civil.Date `json:"party_elected_on"`
	ResidentsElectedOn civil.Date `json:"residents_elected_on"`
	PartyHandover      civil.Date `json:"party_handover"`
	ResidentsHandover  civil.Date `json:"residents_handover"`
}

// OneShoulder reports 一肩挑: the secretary is the director.
func (r StatRow) OneShoulder() bool {
	return r.Secretary != nil && r.Director != nil && r.Secretary.Name == r.Director.Name && r.Secretary.BirthDate == r.Director.BirthDate
}

// Of is committee c's group.
func (r StatRow) Of(c org.Committee) StatGroup {
	if c == org.PartyCommittee {
		return r.Party
	}
	return r.Residents
}

// Chief is committee c's chief: the secretary or the director.
func (r StatRow) Chief(c org.Committee) *Chief {
	if c == org.PartyCommittee {
		return r.Secretary
	}
	return r.Director
}

// ElectedOn is the day committee c was elected, "" without results.
func (r StatRow) ElectedOn(c org.Committee) civil.Date {
	if c == org.PartyCommittee {
		return r.PartyElectedOn
	}
	return r.ResidentsElectedOn
}

// HandedOver is the day committee c handed over, "" not yet.
func (r StatRow) HandedOver(c org.Committee) civil.Date {
	if c == org.PartyCommittee {
		return r.PartyHandover
	}
	return r.ResidentsHandover
}

// StatTotals are the zone's figures summed from the rows.
type StatTotals struct {
	Communities      int       `json:"communities"`
	Party            StatGroup `json:"party"`
	Residents        StatGroup `json:"residents"`
	People           StatGroup `json:"people"`
	Cross            int       `json:"cross"`
	PartyElected     int       `json:"party_elected"`     // communities with the party committee's results
	ResidentsElected int       `json:"residents_elected"` // … the residents' committee's
	BothChiefs       int       `json:"both_chiefs"`       // communities with a secretary and a director
	OneShoulder      int       `json:"one_shoulder"`
	Secretaries      int       `json:"secretaries"`
	WomenSecretaries int       `json:"women_secretaries"`
	SecretaryAgeSum  int       `json:"secretary_age_sum"`
	Directors        int       `json:"directors"`
	WomenDirectors   int       `json:"women_directors"`
	DirectorAgeSum   int       `json:"director_age_sum"`
	// The handovers: committees with results, handed over, late (done
	// after their due day or not done past it).
	Handovers  int `json:"handovers_due"`
	HandedOver int `json:"handed_over"`
	Late       int `json:"handovers_late"`
}

// Of is committee c's group.
func (t StatTotals) Of(c org.Committee) StatGroup {
	if c == org.PartyCommittee {
		return t.Party
	}
	return t.Residents
}

// Elected is the communities with committee c's results.
func (t StatTotals) Elected(c org.Committee) int {
	if c == org.PartyCommittee {
		return t.PartyElected
	}
	return t.ResidentsElected
}

// SecretaryAge and DirectorAge are the chiefs' average ages.
func (t StatTotals) SecretaryAge() float64 { return average(t.SecretaryAgeSum, t.Secretaries) }
func (t StatTotals) DirectorAge() float64  { return average(t.DirectorAgeSum, t.Directors) }

func average(sum, n int) float64 {
	if n == 0 {
		return 0
	}
	return math.Round(float64(sum)*10/float64(n)) / 10
}

// LateHandover is a committee whose handover is late.
type LateHandover struct {
	Code      string        `json:"code"`
	Name      string        `json:"name"`
	District  string        `json:"district"`
	Committee org.Committee `json:"committee"`
	ElectedOn civil.Date    `json:"elected_on"`
	Due       civil.Date    `json:"due"`
	Day       civil.Date    `json:"day"` // "" not handed over
}

// CountFigures are one committee's figures of the counts over the
// communities in scope (issue 15, point 8). Turnout is read on each
// committee's first valid ballot (the first ballot, or the repeat of a
// void one, confirmed): for the residents' committee those who voted (else
// the ballots returned) of the registered voters, for the party committee
// 实到会 of 应到会. A first ballot succeeds (一次选举成功) when it was
// confirmed and elected the whole committee; one declared void, or
// leaving seats to a further ballot or a revote, does not.
type CountFigures struct {
	Turnout      int `json:"turnout_ballots"`      // first valid ballots confirmed
	Base         int `json:"base"`                 // registered voters, or 应到会, on them
	Attended     int `json:"attended"`             // who voted, or 实到会, on them
	FirstHeld    int `json:"first_ballots"`        // first ballots confirmed or declared void
	FirstElected int `json:"first_ballot_elected"` // … confirmed electing the whole committee
	Further      int `json:"further_ballots"`      // 另行选举 ballots opened
	FurtherIn    int `json:"further_communities"`  // communities that opened one
	Void         int `json:"void_ballots"`         // ballots declared void
	Repeated     int `json:"repeated_elections"`   // 重新选举 ballots opened (after a void first)
}

// BallotFigures are the figures of the counts of both committees.
type BallotFigures struct {
	Party     CountFigures `json:"party"`
	Residents CountFigures `json:"residents"`
}

// Statistics are the figures higher levels ask after the elections
// (reference cn-systems.md §3.7, §4), for the communities in scope (of a
// district when set): per community the county form's row, the zone's
// totals, the late handovers, the figures of the counts.
type Statistics struct {
	Rows    []StatRow      `json:"rows"`
	Total   StatTotals     `json:"total"`
	Late    []LateHandover `json:"late_handovers"`
	Ballots BallotFigures  `json:"ballots"`
	Today   civil.Date     `json:"today"`
}

// statRows selects each community's row of the statistics within the
// bounds $2, $3 in cycle $1: its committees' tallies (result_tallies, kept
// by every write of the results) and handover days.
const statRows = `SELECT o.code, o.name, COALESCE(d.name, ''), COALESCE(tp.tally, ''), COALESCE(tr.tally, ''),
		COALESCE(hp.day, ''), COALESCE(hr.day, '')
		FROM orgs o LEFT JOIN orgs d ON d.id = o.parent_id
		LEFT JOIN result_tallies tp ON tp.cycle_id = $1 AND tp.org_id = o.id AND tp.committee = 'party'
		LEFT JOIN result_tallies tr ON tr.cycle_id = $1 AND tr.org_id = o.id AND tr.committee = 'residents'
		LEFT JOIN handovers hp ON hp.cycle_id = $1 AND hp.org_id = o.id AND hp.committee = 'party'
		LEFT JOIN handovers hr ON hr.cycle_id = $1 AND hr.org_id = o.id AND hr.committee = 'residents'
		WHERE o.kind = 'community' AND o.path >= $2 AND o.path < $3`

// scanStatRow reads a row of statRows.
func scanStatRow(rows *sql.Rows) (StatRow, error) {
	var r StatRow
	var party, residents string
	if err := rows.Scan(&r.Code, &r.Name, &r.District, &party, &residents, &r.PartyHandover, &r.ResidentsHandover); err != nil {
		return r, err
	}
	var p, res resultTally
	for _, x := range []struct {
		raw string
		to  *resultTally
	}{{party, &p}, {residents, &res}} {
		if x.raw != "" {
			if err := json.Unmarshal([]byte(x.raw), x.to); err != nil {
				return r, err
			}
		}
	}
	r.Party, r.Residents, r.Cross = p.All, res.All, res.Cross.Members
	r.People = p.All
	r.People.add(res.All)
	r.People.sub(res.Cross)
	r.Secretary, r.Director, r.PartyElectedOn, r.ResidentsElectedOn = p.Chief, res.Chief, p.ElectedOn, res.ElectedOn
	return r, nil
}

// ResultStatistics reads the statistics of the communities in scope (of a
// district when set): the totals summed from the rows of the communities
// with results (the others add nothing but their number), and the rows of
// the communities limit from offset in tree order (all with limit 0), so
// that a page of a province holds a page of rows, not 100,000.
func (q *Scoped) ResultStatistics(ctx context.Context, district string, limit, offset int) (Statistics, error) {
	out := Statistics{Rows: []StatRow{}, Late: []LateHandover{}, Today: q.s.Today()}
	cycle, err := q.Cycle(ctx)
	if err != nil {
		return out, err
	}
	settings, err := q.ElectionSettings(ctx)
	if err != nil {
		return out, err
	}
	_, args, err := q.s.communityFrom(ctx, q.scope, cycle.ID, CommunityFilter{District: district})
	if err != nil {
		return out, err
	}
	args = args[:3]
	t := &out.Total
	lo, hi := args[1].(string), args[2].(string)
	if t.Communities, err = communitiesWithin(ctx, q.s.db, lo, hi); err != nil {
		return out, err
	}
	err = q.s.each(ctx, statRows+` AND o.id IN (SELECT org_id FROM result_tallies WHERE cycle_id = $1) ORDER BY o.path`, func(rows *sql.Rows) error {
		r, err := scanStatRow(rows)
		if err != nil {
			return err
		}
		if s := r.Secretary; s != nil {
			t.Secretaries, t.SecretaryAgeSum = t.Secretaries+1, t.SecretaryAgeSum+s.Age
			if s.Sex == "女" {
				t.WomenSecretaries++
			}
		}
		if d := r.Director; d != nil {
			t.Directors, t.DirectorAgeSum = t.Directors+1, t.DirectorAgeSum+d.Age
			if d.Sex == "女" {
				t.WomenDirectors++
			}
		}
		if r.Secretary != nil && r.Director != nil {
			t.BothChiefs++
		}
		if r.OneShoulder() {
			t.OneShoulder++
		}
		t.Party.add(r.Party)
		t.Residents.add(r.Residents)
		t.People.add(r.People)
		t.Cross += r.Cross
		for _, c := range org.Committees {
			on := r.ElectedOn(c)
			if on == "" {
				continue
			}
			if c == org.PartyCommittee {
				t.PartyElected++
			} else {
				t.ResidentsElected++
			}
			t.Handovers++
			done := r.HandedOver(c)
			if done != "" {
				t.HandedOver++
			}
			if election.HandoverLate(on, done, out.Today, settings) {
				t.Late++
				out.Late = append(out.Late, LateHandover{Code: r.Code, Name: r.Name, District: r.District, Committee: c, ElectedOn: on,
					Due: election.HandoverDue(on, settings), Day: done})
			}
		}
		return nil
	}, args...)
	if err != nil {
		return out, err
	}
	page := `SELECT o.id FROM orgs o WHERE o.kind = 'community' AND o.path >= $2 AND o.path < $3 ORDER BY o.path` + pageClause(limit, offset)
	err = q.s.each(ctx, statRows+` AND o.id IN (`+page+`) ORDER BY o.path`, func(rows *sql.Rows) error {
		r, err := scanStatRow(rows)
		out.Rows = append(out.Rows, r)
		return err
	}, args...)
	if err != nil {
		return out, err
	}
	out.Ballots, err = q.countFigures(ctx, cycle.ID, lo, hi)
	return out, err
}

// resultTally is what one committee's elected members of a community add
// to the statistics, kept in result_tallies so that the statistics of a
// province read one row per committee instead of every member: all of
// them, those also elected to the other committee (交叉任职; the two
// committees' persons, each once, are the party committee's and the
// residents' committee's less these), the chief and the election day.
type resultTally struct {
	All       StatGroup  `json:"all"`
	Cross     StatGroup  `json:"cross"`
	Chief     *Chief     `json:"chief,omitempty"`
	ElectedOn civil.Date `json:"elected_on"`
}

// tallyOf counts committee c's members ms (ages on the day they were
// elected, as kept) with the domain's definitions: slate.Young,
// election.Old, the education bands, 中共党员 and 预备党员 as 党员; other holds the persons (ElectedMember.PersonKey) elected to the
// other committee.
func tallyOf(c org.Committee, ms []ElectedMember, other map[string]bool, electedOn civil.Date) resultTally {
	t := resultTally{ElectedOn: electedOn}
	count := func(g *StatGroup, m ElectedMember) {
		g.Members++
		g.AgeSum += m.Age
		if slate.Young(m.Age) {
			g.Young++
		}
		if election.Old(m.Age) {
			g.Old++
		}
		if m.Sex == "女" {
			g.Women++
		}
		switch {
		case slate.AtLeast(m.Education, vetting.College):
			g.College++
		case m.Education == vetting.HighSchool:
			g.High++
		default:
			g.Junior++
		}
		if m.Party == vetting.PartyMember || m.Party == vetting.Probationary {
			g.Party++
		}
		if m.Reelected {
			g.Reelected++
		}
	}
	chief := vetting.Director
	if c == org.PartyCommittee {
		chief = vetting.Secretary
	}
	for _, m := range ms {
		count(&t.All, m)
		if other[m.PersonKey()] {
			count(&t.Cross, m)
		}
		if m.Post == chief {
			t.Chief = &Chief{Name: m.Name, Sex: m.Sex, BirthDate: m.BirthDate, Education: m.Education, Party: m.Party, Age: m.Age}
		}
	}
	return t
}

// retally keeps the tallies of both committees of a community as its
// results now stand (a committee's 交叉任职 changes with the other's
// members). Derived, not audited: they say nothing elected_members does
// not.
func (t *Tx) retally(ctx context.Context, cycleID, orgID int64) error {
	members, days, err := electedOfBoth(ctx, t.tx, cycleID, orgID)
	if err != nil {
		return err
	}
	persons := map[org.Committee]map[string]bool{}
	for _, c := range org.Committees {
		persons[c] = map[string]bool{}
		for _, m := range members[c] {
			persons[c][m.PersonKey()] = true
		}
	}
	if _, err := t.exec(ctx, `DELETE FROM result_tallies WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID); err != nil {
		return err
	}
	for _, c := range org.Committees {
		if len(members[c]) == 0 {
			continue
		}
		other := org.PartyCommittee
		if c == org.PartyCommittee {
			other = org.ResidentsCommittee
		}
		raw, err := json.Marshal(tallyOf(c, members[c], persons[other], days[c]))
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO result_tallies (cycle_id, org_id, committee, tally) VALUES ($1, $2, $3, $4)`,
			cycleID, orgID, string(c), string(raw)); err != nil {
			return err
		}
	}
	return nil
}

// electedOfBoth reads the members elected to each committee of a
// community, as electedOf does, with the day each committee was elected
// (Tx.electedOn), in one statement: a community's results are tallied
// again at every step of them, which read each committee's members and
// day in four statements.
func electedOfBoth(ctx context.Context, q querier, cycleID, orgID int64) (map[org.Committee][]ElectedMember, map[org.Committee]civil.Date, error) {
	members, days := map[org.Committee][]ElectedMember{}, map[org.Committee]civil.Date{}
	err := eachRow(ctx, q, `SELECT m.committee, m.elected_on, `+electedColumns+` FROM elected_members m
		WHERE m.cycle_id = $1 AND m.org_id = $2 ORDER BY m.committee, m.seq`, func(rows *sql.Rows) error {
		var c org.Committee
		var day civil.Date
		var m ElectedMember
		if err := scanElected(func(dest ...any) error { return rows.Scan(append([]any{&c, &day}, dest...)...) }, &m); err != nil {
			return err
		}
		members[c] = append(members[c], m)
		if d, ok := days[c]; !ok || day < d {
			days[c] = day
		}
		return nil
	}, cycleID, orgID)
	for c := range members {
		sortByPost(c, members[c])
	}
	return members, days, err
}

// countFigures reads the figures of the counts (BallotFigures) of the
// communities between lo and hi from their ballots in one aggregate
// statement, grouped by committee: no statement per community. The
// ballots' own figures come from their index (ballots_figures), who voted
// and whether seats were left from the figures kept when each ballot was
// decided (ballot_figures): no ballot's JSON is read.
func (q *Scoped) countFigures(ctx context.Context, cycleID int64, lo, hi string) (BallotFigures, error) {
	var out BallotFigures
	const valid = `b.state = 'confirmed' AND b.round IN ('first', 'repeat')`
	err := q.s.each(ctx, `SELECT b.committee,
		SUM(CASE WHEN `+valid+` THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+valid+` THEN CASE WHEN b.committee = 'party' THEN b.should_attend ELSE b.registered END ELSE 0 END),
		SUM(CASE WHEN `+valid+` THEN CASE WHEN b.committee = 'party' THEN b.present ELSE COALESCE(bf.voted, 0) END ELSE 0 END),
		SUM(CASE WHEN b.round = 'first' AND b.state IN ('confirmed', 'void') THEN 1 ELSE 0 END),
		SUM(CASE WHEN b.round = 'first' AND b.state = 'confirmed' AND COALESCE(bf.unfilled, 0) = 0 THEN 1 ELSE 0 END),
		SUM(CASE WHEN b.round = 'further' THEN 1 ELSE 0 END), COUNT(DISTINCT CASE WHEN b.round = 'further' THEN b.org_id END),
		SUM(CASE WHEN b.state = 'void' THEN 1 ELSE 0 END), SUM(CASE WHEN b.round = 'repeat' THEN 1 ELSE 0 END)
		FROM ballots b JOIN orgs o ON o.id = b.org_id LEFT JOIN ballot_figures bf ON bf.ballot_id = b.id
		WHERE b.cycle_id = $1 AND o.path >= $2 AND o.path < $3 GROUP BY b.committee`, func(rows *sql.Rows) error {
		var c org.Committee
		var f CountFigures
		if err := rows.Scan(&c, &f.Turnout, &f.Base, &f.Attended, &f.FirstHeld, &f.FirstElected, &f.Further, &f.FurtherIn, &f.Void,
			&f.Repeated); err != nil {
			return err
		}
		if c == org.PartyCommittee {
			out.Party = f
		} else {
			out.Residents = f
		}
		return nil
	}, cycleID, lo, hi)
	return out, err
}
