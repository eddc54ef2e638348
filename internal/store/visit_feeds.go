package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/meeting"
	"github.com/huanjie/huanjie/internal/visit"
)

// What the visits feed to the rest of the platform (issue 16, point 4),
// as election_feeds.go does for the elections: the communities short of
// their round's targets near or past the round's end day (visit.ShortfallOf),
// for the warnings and the daily meeting's agenda; the current round's
// coverage of a page of communities, for the progress table; what the
// talks before the election heard about standing, for the candidates
// board. Each read is one set-based statement over the communities in
// scope (Coverage's counts: coverageCounts), whatever their number.

// CoverageShortfalls lists the communities in scope short of their round's
// targets on today, in each round whose campaign has dates and whose end
// day is within visit.WarnDays or past: the round ending first (the
// latest) first, each in tree order. One statement counts every community
// with a register in every such round; none runs when no round is near its
// end.
func (q *Scoped) CoverageShortfalls(ctx context.Context, today civil.Date) ([]visit.Shortfall, error) {
	out := []visit.Shortfall{}
	campaigns, err := q.Campaigns(ctx)
	if err != nil {
		return out, err
	}
	var near []visit.Campaign
	for _, c := range campaigns {
		if c.Near(today) {
			near = append(near, c)
		}
	}
	if len(near) == 0 {
		return out, nil
	}
	slices.SortStableFunc(near, func(a, b visit.Campaign) int { return strings.Compare(string(a.EndsOn), string(b.EndsOn)) })
	byRound := map[visit.Round]visit.Campaign{}
	rounds := make([]string, len(near))
	for i, c := range near {
		byRound[c.Round] = c
		// The rounds are the package's own codes (Campaigns answers
		// only those), never a reader's text.
		rounds[i] = `SELECT '` + string(c.Round) + `' AS round, ` + strconv.Itoa(i) + ` AS seq`
	}
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return out, err
	}
	lo, hi := q.scope.Bounds()
	// Only a community with something on its register (households, people
	// or sitting members) can fall short: the statement starts from those,
	// not from every community of a province.
	err = q.s.each(ctx, `SELECT r.round, o.code, o.name, COALESCE(d.name, ''), `+coverageCounts("r.round")+`
		FROM (`+strings.Join(rounds, ` UNION ALL `)+`) r
		CROSS JOIN (SELECT DISTINCT org_id FROM visit_counts WHERE cycle_id = $1 AND round = '' AND n > 0) k
		CROSS JOIN orgs o LEFT JOIN orgs d ON d.id = o.parent_id
		WHERE o.id = k.org_id AND o.kind = 'community' AND o.path >= $2 AND o.path < $3 ORDER BY r.seq, o.path`, func(rows *sql.Rows) error {
		var round visit.Round
		var row visit.CoverageRow
		if err := rows.Scan(&round, &row.Community, &row.Name, &row.District, &row.Households, &row.Reached, &row.TalksOwed); err != nil {
			return err
		}
		c := byRound[round]
		row.Fill(c)
		if s, ok := visit.ShortfallOf(c, row, today); ok {
			out = append(out, s)
		}
		return nil
	}, cycleID, lo, hi)
	return out, err
}

// agendaVisits adds to the agenda of day the communities short of their
// round's visit targets near or past the round's end (CoverageShortfalls),
// in words kept as the day said them.
func (q *Scoped) agendaVisits(ctx context.Context, a *meeting.Agenda) error {
	list, err := q.CoverageShortfalls(ctx, a.Day)
	for _, s := range list {
		a.Coverage = append(a.Coverage, meeting.CoverageLine{Code: s.Community, Community: s.Name, Round: string(s.Round),
			RoundName: s.Round.Label(), Households: s.Households, Reached: s.Reached, Percent: s.Percent, Target: s.Target,
			Needed: s.Needed, Below: s.Below, TalksOwed: s.TalksOwed, EndsOn: s.EndsOn, Late: s.Late})
	}
	return err
}

// CurrentCoverage is the round the progress table shows on today
// (visit.CurrentRound) and the coverage in it of the communities in scope
// that f selects (district, class, page), by community code: one
// statement over the page, whatever its size.
func (q *Scoped) CurrentCoverage(ctx context.Context, today civil.Date, f CommunityFilter) (visit.Campaign, map[string]visit.CoverageRow, error) {
	out := map[string]visit.CoverageRow{}
	campaigns, err := q.Campaigns(ctx)
	if err != nil {
		return visit.Campaign{}, out, err
	}
	c := visit.CurrentRound(campaigns, today)
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return c, out, err
	}
	from, args, err := q.s.communityFrom(ctx, q.scope, cycleID, f)
	if err != nil {
		return c, out, err
	}
	page := `SELECT o.id` + from + ` ORDER BY o.path`
	if f.Limit > 0 {
		page += ` LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(f.Offset)
	}
	args = append(args, string(c.Round))
	err = q.s.each(ctx, `SELECT o.code, o.name, COALESCE(d.name, ''), `+coverageCounts("$"+strconv.Itoa(len(args)))+`
		FROM (`+page+`) pg JOIN orgs o ON o.id = pg.id LEFT JOIN orgs d ON d.id = o.parent_id`, func(rows *sql.Rows) error {
		var row visit.CoverageRow
		if err := rows.Scan(&row.Community, &row.Name, &row.District, &row.Households, &row.Reached, &row.TalksOwed); err != nil {
			return err
		}
		row.Fill(c)
		out[row.Community] = row
		return nil
	}, args...)
	return c, out, err
}

// TalkIntentions is what the talks of the round before the election heard
// about standing in the community with code in scope (NotFound outside
// it): each person's intention by their latest talk that recorded one,
// with the names of those intending to stand, and how many visits (talks
// and household visits) recorded opinions of aspirants. A missed visit
// heard nothing and counts for nothing.
func (q *Scoped) TalkIntentions(ctx context.Context, code string) (visit.IntentionTally, error) {
	var out visit.IntentionTally
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return out, err
	}
	const before = ` FROM visits v WHERE v.cycle_id = $1 AND v.org_id = $2 AND v.round = 'before' AND NOT v.missed`
	var heard []visit.Heard
	// A sitting member holding both posts (一肩挑) is one person, named by
	// their first row whichever post they were talked to in (memberOwed).
	err = q.s.each(ctx, `SELECT v.id, v.visited_on, COALESCE((SELECT MIN(s.id) FROM members s WHERE s.cycle_id = m.cycle_id
			AND s.org_id = m.org_id AND `+sameMember("s", "m")+`), 0), COALESCE(p.kind, ''), v.person_id, COALESCE(m.name, p.name, ''),
		v.intention FROM visits v
		LEFT JOIN visit_people p ON p.id = v.person_id AND v.person_id > 0
		LEFT JOIN members m ON m.id = v.member_id AND v.member_id > 0
		WHERE v.cycle_id = $1 AND v.org_id = $2 AND v.round = 'before' AND NOT v.missed AND v.intention <> ''
			AND (v.person_id > 0 OR v.member_id > 0)
		ORDER BY v.visited_on, v.id`, func(rows *sql.Rows) error {
		var h visit.Heard
		var member, person int64
		if err := rows.Scan(&h.VisitID, &h.Day, &member, &h.Kind, &person, &h.Name, &h.Intention); err != nil {
			return err
		}
		h.ID = person
		if member > 0 {
			h.Kind, h.ID = visit.Committee, member
		}
		heard = append(heard, h)
		return nil
	}, cycleID, orgID)
	if err != nil {
		return out, err
	}
	out.Tally(heard)
	err = q.s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN v.household_id > 0 THEN 0 ELSE 1 END), 0),
		COALESCE(SUM(CASE WHEN v.household_id > 0 THEN 1 ELSE 0 END), 0)`+before+` AND v.aspirant_opinions <> ''`,
		cycleID, orgID).Scan(&out.OpinionTalks, &out.OpinionHouseholds)
	return out, err
}
