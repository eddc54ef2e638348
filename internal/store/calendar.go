package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The election calendar: each community's two election days in the cycle.
// A community either has both its own days (set together, checked together
// by progress.CheckDays) or none and uses the cycle's; progress.Resolve
// turns that into the days its deadlines and ages count from.

// CalendarRow is a community with its election days.
type CalendarRow struct {
	Code, Name, DistrictCode, DistrictName string
	Own                                    progress.Days // its own days; empty while it uses the cycle's
	Days                                   progress.Days // the days its deadlines and ages count from
}

// cycleDays are the cycle's own election days, "" where none is set.
func cycleDays(c org.Cycle) progress.Days {
	return progress.Days{Party: c.PartyDay, Residents: c.ElectionDay}
}

// daysJoin joins a community's own days (aliases ep, er) to orgs o, in the
// cycle given as $1.
const daysJoin = ` LEFT JOIN election_days ep ON ep.cycle_id = $1 AND ep.org_id = o.id AND ep.committee = 'party'
	LEFT JOIN election_days er ON er.cycle_id = $1 AND er.org_id = o.id AND er.committee = 'residents'`

// Calendar lists the communities in scope that f selects (district, class,
// page), in tree order, with their election days.
func (q *Scoped) Calendar(ctx context.Context, f CommunityFilter) ([]CalendarRow, error) {
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
	rows, err := q.s.db.QueryContext(ctx, `SELECT o.code, o.name, COALESCE(p.code, ''), COALESCE(p.name, ''),
		COALESCE(ep.day, ''), COALESCE(er.day, '')
		FROM (`+page+`) pg JOIN orgs o ON o.id = pg.id LEFT JOIN orgs p ON p.id = o.parent_id`+daysJoin+`
		ORDER BY o.path`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CalendarRow
	for rows.Next() {
		var r CalendarRow
		if err := rows.Scan(&r.Code, &r.Name, &r.DistrictCode, &r.DistrictName, &r.Own.Party, &r.Own.Residents); err != nil {
			return nil, err
		}
		r.Days = progress.Resolve(r.Own, cycleDays(cycle))
		out = append(out, r)
	}
	return out, rows.Err()
}

// CommunityDays is the community with code in scope with its election days.
func (q *Scoped) CommunityDays(ctx context.Context, code string) (CalendarRow, error) {
	cycle, err := q.Cycle(ctx)
	if err != nil {
		return CalendarRow{}, err
	}
	lo, hi := q.scope.Bounds()
	var r CalendarRow
	err = q.s.db.QueryRowContext(ctx, `SELECT o.code, o.name, COALESCE(p.code, ''), COALESCE(p.name, ''),
		COALESCE(ep.day, ''), COALESCE(er.day, '')
		FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id`+daysJoin+`
		WHERE o.code = $2 AND o.kind = 'community' AND o.path >= $3 AND o.path < $4`, cycle.ID, code, lo, hi).
		Scan(&r.Code, &r.Name, &r.DistrictCode, &r.DistrictName, &r.Own.Party, &r.Own.Residents)
	if err != nil {
		return r, notFound(err, "没有找到该社区")
	}
	r.Days = progress.Resolve(r.Own, cycleDays(cycle))
	return r, nil
}

// daysOf are the days a community's deadlines and ages count from, read in
// the transaction.
func (t *Tx) daysOf(ctx context.Context, orgID int64) (progress.Days, error) {
	cycle, err := t.q.Cycle(ctx)
	if err != nil {
		return progress.Days{}, err
	}
	// A step of the third gate reads its community's days (the 10,000-community
	// demo read them 12,000 times): a community's own are kept in the
	// transaction (txMemo), the cycle's resolved against them each time.
	own, err := kept(&t.memo.days, [2]int64{cycle.ID, orgID}, func() (own progress.Days, err error) {
		err = t.queryRow(ctx, `SELECT COALESCE(ep.day, ''), COALESCE(er.day, '') FROM orgs o`+daysJoin+` WHERE o.id = $2`,
			cycle.ID, orgID).Scan(&own.Party, &own.Residents)
		return own, notFound(err, "没有找到该社区")
	})
	if err != nil {
		return own, err
	}
	return progress.Resolve(own, cycleDays(cycle)), nil
}

// electionDayOf is the day a community votes for committee c: the day
// ages are counted at, as a time (its start in China).
func (t *Tx) electionDayOf(ctx context.Context, orgID int64, c org.Committee) (time.Time, error) {
	days, err := t.daysOf(ctx, orgID)
	return days.For(progress.Election(c)).Start(), err
}

// SetElectionDays gives its own election days to the community with code,
// or to every community of the district (or any unit) with code, in the
// transaction's scope, and counts again the ages of their aspirants, which
// are ages on their committee's election day. It returns the unit and how
// many communities it set. Audited with the days before when one community
// changes.
func (t *Tx) SetElectionDays(ctx context.Context, code string, days progress.Days) (org.Unit, int, error) {
	var unit org.Unit
	if err := progress.CheckDays(days); err != nil {
		return unit, 0, err
	}
	cycle, err := t.q.Cycle(ctx)
	if err != nil {
		return unit, 0, err
	}
	lo, hi := t.q.scope.Bounds()
	err = t.queryRow(ctx, `SELECT id, code, name, kind, path FROM orgs WHERE code = $1 AND path >= $2 AND path < $3`, code, lo, hi).
		Scan(&unit.ID, &unit.Code, &unit.Name, &unit.Kind, &unit.Path)
	if err != nil {
		return unit, 0, notFoundAs(err, errs.OnField("unit", "社区或片区不存在或不在管辖范围内"))
	}
	var before audit.Fields
	if unit.Kind == org.Community {
		var own progress.Days
		if err := t.queryRow(ctx, `SELECT COALESCE(ep.day, ''), COALESCE(er.day, '') FROM orgs o`+daysJoin+` WHERE o.id = $2`,
			cycle.ID, unit.ID).Scan(&own.Party, &own.Residents); err != nil {
			return unit, 0, err
		}
		if own.Party != "" {
			before = audit.Fields{"party_day": own.Party, "residents_day": own.Residents}
		}
	}
	ulo, uhi := org.Within(unit.Path).Bounds()
	ulo, uhi = max(lo, ulo), min(hi, uhi)
	now := t.s.clock()
	t.memo.days = nil // what daysOf kept of the communities' own days
	var n int64
	for _, e := range progress.Elections {
		res, err := t.exec(ctx, `INSERT INTO election_days (cycle_id, org_id, committee, day, set_by, set_at)
			SELECT $1, o.id, $2, $3, $4, $5 FROM orgs o WHERE o.kind = 'community' AND o.path >= $6 AND o.path < $7
			ON CONFLICT (cycle_id, org_id, committee) DO UPDATE SET day = excluded.day, set_by = excluded.set_by, set_at = excluded.set_at`,
			cycle.ID, string(e), days.For(e), t.q.actor.Name, now, ulo, uhi)
		if err != nil {
			return unit, 0, err
		}
		if n, err = res.RowsAffected(); err != nil {
			return unit, 0, err
		}
	}
	if n == 0 {
		return unit, 0, errs.OnField("unit", unit.Name+"下没有社区")
	}
	if err := t.recountAges(ctx, cycle.ID, ulo, uhi, days, false); err != nil {
		return unit, 0, err
	}
	// A community's results are forgotten at the write's end, with the
	// others' it changes (forgetTargets): the demo sets 200 communities'
	// days in one write, each nine statements when forgotten at once.
	if unit.Kind == org.Community {
		t.invalidateTargetsOf(unit.ID)
	} else if err := t.invalidateTargets(ctx, ulo, uhi); err != nil {
		return unit, 0, err
	}
	return unit, int(n), t.Audit(ctx, audit.ElectionDays, On(string(unit.Kind), unit.Code, unit.Code), before,
		audit.Fields{"party_day": days.Party, "residents_day": days.Residents, "communities": n})
}

// recountAges sets the age of every aspirant of the cycle in the
// communities between lo and hi (only those without days of their own
// when cycleOnly) to their age on their committee's day.
func (t *Tx) recountAges(ctx context.Context, cycleID int64, lo, hi string, days progress.Days, cycleOnly bool) error {
	if t.s.box == nil {
		return nil
	}
	only := ``
	if cycleOnly {
		only = ` AND NOT EXISTS (SELECT 1 FROM election_days e WHERE e.cycle_id = $1 AND e.org_id = o.id)`
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT a.id, a.id_sealed, a.committee, a.age FROM aspirants a JOIN orgs o ON o.id = a.org_id
		WHERE a.cycle_id = $1 AND o.path >= $2 AND o.path < $3`+only, cycleID, lo, hi)
	if err != nil {
		return err
	}
	type change struct{ id, age int64 }
	var changes []change
	for rows.Next() {
		var id, age int64
		var sealed string
		var c org.Committee
		if err := rows.Scan(&id, &sealed, &c, &age); err != nil {
			rows.Close()
			return err
		}
		number, err := t.s.box.Open(sealed)
		if err != nil {
			rows.Close()
			return err
		}
		a := vetting.Aspirant{IDNumber: number}
		if now := int64(a.Age(days.For(progress.Election(c)).Start())); now != age {
			changes = append(changes, change{id, now})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range changes {
		if _, err := t.exec(ctx, `UPDATE aspirants SET age = $1 WHERE id = $2`, c.age, c.id); err != nil {
			return err
		}
	}
	return nil
}

// SetCycleDays sets the cycle's own election days, those of every community
// without its own. The whole zone's: Forbidden unless the transaction may
// change zone-wide settings.
func (t *Tx) SetCycleDays(ctx context.Context, days progress.Days) error {
	if err := t.needZone(); err != nil {
		return err
	}
	if err := progress.CheckDays(days); err != nil {
		return err
	}
	cycle, err := t.q.Cycle(ctx)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE cycles SET party_day = $1, election_day = $2 WHERE id = $3`,
		days.Party, days.Residents, cycle.ID); err != nil {
		return err
	}
	// Ages of the aspirants of communities without their own days.
	all, none := org.All.Bounds()
	if err := t.recountAges(ctx, cycle.ID, all, none, days, true); err != nil {
		return err
	}
	if err := t.invalidateTargets(ctx, all, none); err != nil {
		return err
	}
	t.q.forgetCycle()
	return t.Audit(ctx, audit.CycleDays, On("cycle", cycle.Code, ""),
		audit.Fields{"party_day": cycle.PartyDay, "residents_day": cycle.ElectionDay},
		audit.Fields{"party_day": days.Party, "residents_day": days.Residents})
}

// ElectionSpan is the first and last day one of the two elections is held
// on in the communities of a scope.
type ElectionSpan struct {
	Election progress.Election `json:"election"`
	First    civil.Date        `json:"first"`
	Last     civil.Date        `json:"last"`
	Unset    int               `json:"without_own_day"` // communities using the cycle's day
}

// ElectionSpans are, for each election, the first and last of its days in
// the communities in scope (none when the scope has no community).
func (q *Scoped) ElectionSpans(ctx context.Context) ([]ElectionSpan, error) {
	cycle, err := q.Cycle(ctx)
	if err != nil {
		return nil, err
	}
	fallback := progress.Resolve(progress.Days{}, cycleDays(cycle))
	lo, hi := q.scope.Bounds()
	communities, err := communitiesWithin(ctx, q.s.db, lo, hi)
	if err != nil || communities == 0 {
		return nil, err
	}
	var out []ElectionSpan
	for _, e := range progress.Elections {
		// The communities' own days (those that have one), then the
		// cycle's day for the rest: not a read of every community.
		var first, last sql.NullString
		var own int
		err := q.s.db.QueryRowContext(ctx, `SELECT MIN(e.day), MAX(e.day), COUNT(*) FROM election_days e CROSS JOIN orgs o
			WHERE e.cycle_id = $1 AND e.committee = $4 AND o.id = e.org_id AND o.kind = 'community' AND o.path >= $2 AND o.path < $3`,
			cycle.ID, lo, hi, string(e)).Scan(&first, &last, &own)
		if err != nil {
			return nil, err
		}
		span := ElectionSpan{Election: e, First: civil.Date(first.String), Last: civil.Date(last.String), Unset: communities - own}
		if day := fallback.For(e); span.Unset > 0 {
			if span.First == "" || day < span.First {
				span.First = day
			}
			if day > span.Last {
				span.Last = day
			}
		}
		out = append(out, span)
	}
	return out, nil
}
