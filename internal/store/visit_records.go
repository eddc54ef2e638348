package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
	"github.com/huanjie/huanjie/internal/visit"
)

// Visit records and coverage (issue 16, points 3 and 4). A visit is keyed
// by the client's id as well as its own: visits.client_id is unique, and
// the insert does nothing on a conflict, so two posts of one visit (again
// after a lost answer, or at once from two tabs) store one row whichever
// engine runs, without a read-then-write race; the later post is answered
// with the visit stored. visit_reached keeps each household or person
// reached in a round once, in the same transaction as the visit that
// reached it first.

// Kinds of what visit_reached counts.
const (
	reachedHousehold = "h"
	reachedPerson    = "p"
	reachedMember    = "m"
)

// errReplay ends the transaction of a visit whose client id is stored
// already: nothing is written, and RecordVisit answers the stored visit.
var errReplay = errors.New("visit: client id stored already")

// RecordVisit stores visit v of a community in scope and answers it as
// stored, with its id and the ledger items its problems became. The same
// client id posted again with the same visit (community, round, target and
// day) answers the visit stored the first time, unchanged; with another
// visit it is a conflict on client_id.
func (q *Scoped) RecordVisit(ctx context.Context, v visit.Visit) (visit.Visit, error) {
	var out []visit.Visit
	err := q.Write(ctx, func(t *Tx) error {
		var err error
		out, err = t.recordVisits(ctx, []visit.Visit{v})
		return err
	})
	if err == nil {
		return out[0], nil
	}
	if !errors.Is(err, errReplay) {
		return v, err
	}
	stored, err := q.visitBy(ctx, `v.client_id = $4`, strings.ToLower(strings.TrimSpace(v.ClientID)))
	if err != nil {
		if errs.CodeOf(err) == errs.NotFound {
			return v, &errs.Error{Code: errs.Conflict, Field: "client_id", Message: "记录编号已被另一条走访记录使用,请重新生成"}
		}
		return v, err
	}
	if !stored.Same(v) {
		return v, &errs.Error{Code: errs.Conflict, Field: "client_id", Message: "记录编号已被另一条走访记录使用,请重新生成"}
	}
	return stored, nil
}

// RecordVisits is RecordVisit of many visits inside a write transaction,
// for a caller that enters many at once (the demo zone enters each
// community's in one): the same checks, the same ledger items and one
// audit entry per visit, as if entered one after another, each statement
// sent for all of them (a visit's five statements, each a round trip on
// PostgreSQL, took 19 of the 10,000-community demo's 99 seconds). A client
// id stored already, or twice in vs, is a conflict on client_id: a batch
// is not a client sending a visit again. Of refused visits, the error is
// the first found, not necessarily the first visit's.
func (t *Tx) RecordVisits(ctx context.Context, vs []visit.Visit) ([]visit.Visit, error) {
	out, err := t.recordVisits(ctx, vs)
	if errors.Is(err, errReplay) {
		return out, &errs.Error{Code: errs.Conflict, Field: "client_id", Message: "记录编号已被另一条走访记录使用,请重新生成"}
	}
	return out, err
}

func (t *Tx) community(ctx context.Context, code string) (cycleID, orgID int64, err error) {
	if orgID, err = t.communityID(ctx, code); err != nil {
		return 0, 0, err
	}
	cycleID, err = t.cycleID(ctx)
	return cycleID, orgID, err
}

// reachedVisit is what a visit reaches: the household, the person or the
// member's person, named by their first row (a talk to either post of a
// member holding both reaches one person: sameMember), so that
// visit_reached keeps each once by its key, however many visits or posts.
type reachedVisit struct {
	kind string
	id   int64 // the visit's target
	key  int64 // what visit_reached keeps
}

// reachedKinds are the kinds of target and how each is read: its
// community, its name and its key in visit_reached.
var reachedKinds = []struct {
	kind, read, id string
}{
	{reachedHousehold, `SELECT h.id, h.org_id, h.address, h.id FROM visit_households h WHERE h.cycle_id = $1 AND `, "h.id"},
	{reachedPerson, `SELECT p.id, p.org_id, p.name, p.id FROM visit_people p WHERE p.cycle_id = $1 AND `, "p.id"},
	{reachedMember, `SELECT m.id, m.org_id, m.name, (SELECT MIN(s.id) FROM members s WHERE s.cycle_id = m.cycle_id AND
		s.org_id = m.org_id AND ` + sameMember("s", "m") + `) FROM members m WHERE m.cycle_id = $1 AND `, "m.id"},
}

// visitsStored reads one of the client ids among (a list) stored already.
func visitsStored(among string) string {
	return `SELECT client_id FROM visits WHERE ` + among + ` LIMIT 1`
}

func (t *Tx) recordVisits(ctx context.Context, vs []visit.Visit) ([]visit.Visit, error) {
	out := slices.Clone(vs)
	clientIDs := make([]string, len(out))
	seen := make(map[string]bool, len(out))
	for i := range out {
		v := &out[i]
		v.ClientID = strings.ToLower(strings.TrimSpace(v.ClientID))
		if !visit.ValidClientID(v.ClientID) {
			return out, errs.OnField("client_id", "记录编号应为设备生成的通用唯一编号(8-4-4-4-12位十六进制)")
		}
		if seen[v.ClientID] {
			return out, errReplay
		}
		seen[v.ClientID], clientIDs[i] = true, v.ClientID
	}
	if len(out) == 0 {
		return out, nil
	}
	// A client id stored already answers the visit stored, before any check.
	args := []any{}
	var stored string
	switch err := t.queryRow(ctx, visitsStored(t.s.anyText("client_id", &args, clientIDs)), args...).Scan(&stored); {
	case err == nil:
		return out, errReplay
	case !errors.Is(err, sql.ErrNoRows):
		return out, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return out, err
	}
	today := civil.Of(t.s.clock())
	orgIDs := make([]int64, len(out))
	reached := make([]reachedVisit, len(out))
	asked := map[string][]int64{}
	var activities []int64
	for i := range out {
		v := &out[i]
		if _, orgIDs[i], err = t.community(ctx, v.Community); err != nil {
			return out, err
		}
		c, err := t.campaignOf(ctx, v.Round)
		if err != nil {
			return out, err
		}
		if err := v.Validate(c, today); err != nil {
			return out, err
		}
		switch {
		case v.Household > 0:
			reached[i] = reachedVisit{kind: reachedHousehold, id: v.Household}
		case v.Person > 0:
			reached[i] = reachedVisit{kind: reachedPerson, id: v.Person}
		default:
			reached[i] = reachedVisit{kind: reachedMember, id: v.Member}
		}
		asked[reached[i].kind] = append(asked[reached[i].kind], reached[i].id)
		if v.Activity > 0 {
			activities = append(activities, v.Activity)
		}
	}
	// The targets, a statement a kind, each on its community's list.
	type found struct {
		org  int64
		name string
		key  int64
	}
	targets := map[reachedVisit]found{}
	for _, k := range reachedKinds {
		if len(asked[k.kind]) == 0 {
			continue
		}
		args := []any{cycleID}
		err := eachRow(ctx, t.tx, k.read+t.s.anyID(k.id, &args, asked[k.kind]), func(r *sql.Rows) error {
			var id int64
			var f found
			err := r.Scan(&id, &f.org, &f.name, &f.key)
			targets[reachedVisit{kind: k.kind, id: id}] = f
			return err
		}, args...)
		if err != nil {
			return out, err
		}
	}
	campaigns := map[[2]int64]bool{} // research activities and the communities in them
	if len(activities) > 0 {
		args := []any{cycleID}
		if err := addPairs(ctx, t.tx, campaigns, `SELECT a.id, c.org_id FROM visit_activities a JOIN visit_activity_communities c ON c.activity_id = a.id
			WHERE a.cycle_id = $1 AND `+t.s.anyID("a.id", &args, activities), args...); err != nil {
			return out, err
		}
	}
	recordedBy, err := t.displayName(ctx, t.q.actor.Name)
	if err != nil {
		return out, err
	}
	for i := range out {
		v := &out[i]
		f, ok := targets[reachedVisit{kind: reached[i].kind, id: reached[i].id}]
		if !ok || f.org != orgIDs[i] {
			field := map[string]string{reachedHousehold: "household_id", reachedPerson: "person_id", reachedMember: "member_id"}[reached[i].kind]
			return out, errs.OnField(field, "本社区名单上没有这个走访对象")
		}
		v.Target, reached[i].key = f.name, f.key
		if v.Activity > 0 && !campaigns[[2]int64{v.Activity, orgIDs[i]}] {
			return out, errs.OnField("activity_id", "本社区不在这次调研活动范围内")
		}
		v.RecordedBy, v.RecordedByName = t.q.actor.Name, recordedBy
	}
	now := t.s.clock()
	ids := map[string]int64{}
	err = t.insertMany(ctx, manyRows{table: "visits", cols: strings.Fields(`client_id cycle_id org_id round household_id person_id
		member_id activity_id visitors visited_on method missed committee_opinions aspirant_opinions intention topics difficulties help
		proposals recorded_by recorded_at`), n: len(out),
		row: func(i int) ([]any, error) {
			v := &out[i]
			visitors, _ := json.Marshal(v.Visitors)
			return []any{v.ClientID, cycleID, orgIDs[i], string(v.Round), v.Household, v.Person, v.Member, v.Activity, string(visitors),
				string(v.Day), string(v.Method), v.Missed, v.CommitteeOpinions, v.AspirantOpinions, string(v.Intention), v.Topics,
				v.Difficulties, v.Help, v.Proposals, v.RecordedBy, now}, nil
		},
		suffix: `ON CONFLICT (client_id) DO NOTHING RETURNING id, client_id`,
		scan: func(_ int, r *sql.Rows) error {
			var id int64
			var clientID string
			err := r.Scan(&id, &clientID)
			ids[clientID] = id
			return err
		}})
	if err != nil {
		return out, err
	}
	var reaching []int // the visits that reached someone
	for i := range out {
		if out[i].ID = ids[out[i].ClientID]; out[i].ID == 0 {
			return out, errReplay // posted at the same time by another request, which stored it
		}
		if !out[i].Missed {
			reaching = append(reaching, i)
		}
	}
	// Who was reached first in a round, by the first visit to reach them:
	// the others conflict and are not counted.
	counts := map[visitCount]int{}
	err = t.insertMany(ctx, manyRows{table: "visit_reached", cols: strings.Fields(`cycle_id round kind target_id org_id visit_id`),
		n: len(reaching),
		row: func(j int) ([]any, error) {
			i := reaching[j]
			return []any{cycleID, string(out[i].Round), reached[i].kind, reached[i].key, orgIDs[i], out[i].ID}, nil
		},
		suffix: `ON CONFLICT (cycle_id, round, kind, target_id) DO NOTHING RETURNING org_id, round, kind`,
		scan: func(_ int, r *sql.Rows) error {
			var c visitCount
			err := r.Scan(&c.org, &c.round, &c.kind)
			counts[c]++
			return err
		}})
	if err != nil {
		return out, err
	}
	var problems [][]any
	for i := range out {
		v := &out[i]
		if v.Problems == nil {
			v.Problems = []visit.Problem{}
		}
		v.Problems = slices.Clone(v.Problems)
		for k := range v.Problems {
			p := &v.Problems[k]
			if p.FollowUp {
				it, err := t.AddLedgerItem(ctx, ledger.Item{OrgCode: v.Community, Source: ledger.FromVisit, SourceRef: itoa(v.ID),
					Content: p.Category.Label() + ":" + p.Text, Risk: ledger.Risk(p.Urgency.Risk()), Owner: p.Owner, Due: p.Due})
				if err != nil {
					return out, err
				}
				p.LedgerItem, p.LedgerStatus = it.ID, string(it.Status)
			}
			problems = append(problems, []any{v.ID, k, string(p.Category), string(p.Urgency), p.Text, p.FollowUp, p.Owner, string(p.Due),
				p.LedgerItem})
		}
		err := t.Audit(ctx, audit.VisitRecord, On("visit", v.ID, v.Community), nil, audit.Fields{"client_id": v.ClientID,
			"visit_round": string(v.Round), "target": v.Target, "visited_on": string(v.Day), "method": string(v.Method),
			"missed": v.Missed, "visitors": v.Visitors, "problems": len(v.Problems)})
		if err != nil {
			return out, err
		}
	}
	err = t.insertRows(ctx, "visit_problems", strings.Fields(`visit_id seq category urgency text follow_up owner due ledger_item_id`),
		len(problems), func(i int) ([]any, error) { return problems[i], nil })
	if err != nil {
		return out, err
	}
	// The counts last: every write of a visit in the zone adds to the
	// zone's and its district's counts, whose rows it then holds until it
	// commits, and the other writes of visits wait for them (PostgreSQL).
	return out, t.addVisitCounts(ctx, cycleID, counts, true)
}

// communityLeader is the 包社区领导 of community orgID in the cycle (the
// first assigned, as the demo names it on its ledgers), "" when
// none is assigned: the leader a ledger item of the community is carried
// under when none is given (AddLedgerItem).
func (t *Tx) communityLeader(ctx context.Context, cycleID, orgID int64) (string, error) {
	var name string
	err := t.queryRow(ctx, `SELECT name FROM assignments WHERE cycle_id = $1 AND org_id = $2 AND duty = $3 ORDER BY id LIMIT 1`,
		cycleID, orgID, string(org.CommunityLeader)).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return name, err
}

var visitColumns = `v.id, v.client_id, o.code, v.round, v.household_id, v.person_id, v.member_id, v.activity_id, v.visitors,
	v.visited_on, v.method, v.missed, v.committee_opinions, v.aspirant_opinions, v.intention, v.topics, v.difficulties, v.help,
	v.proposals, v.recorded_by, ` + byDisplayName("v.recorded_by") + `,
	COALESCE(h.address, p.name, m.name, '')`

const visitFrom = ` FROM visits v JOIN orgs o ON o.id = v.org_id
	LEFT JOIN visit_households h ON h.id = v.household_id AND v.household_id > 0
	LEFT JOIN visit_people p ON p.id = v.person_id AND v.person_id > 0
	LEFT JOIN members m ON m.id = v.member_id AND v.member_id > 0`

func scanVisit(r interface{ Scan(...any) error }) (visit.Visit, error) {
	var v visit.Visit
	var visitors string
	err := r.Scan(&v.ID, &v.ClientID, &v.Community, &v.Round, &v.Household, &v.Person, &v.Member, &v.Activity, &visitors,
		&v.Day, &v.Method, &v.Missed, &v.CommitteeOpinions, &v.AspirantOpinions, &v.Intention, &v.Topics, &v.Difficulties,
		&v.Help, &v.Proposals, &v.RecordedBy, &v.RecordedByName, &v.Target)
	if err == nil {
		err = json.Unmarshal([]byte(visitors), &v.Visitors)
	}
	v.Problems = []visit.Problem{}
	return v, err
}

// problemsOf fills the problems of visits, with the state of the ledger
// item each became.
func (q *Scoped) problemsOf(ctx context.Context, visits []visit.Visit) error {
	if len(visits) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]string, len(visits))
	for i, v := range visits {
		at[v.ID] = i
		ids[i] = itoa(v.ID)
	}
	return q.s.each(ctx, `SELECT p.visit_id, p.category, p.urgency, p.text, p.follow_up, p.owner, p.due, p.ledger_item_id,
		COALESCE(l.status, '') FROM visit_problems p LEFT JOIN ledger_items l ON l.id = p.ledger_item_id AND p.ledger_item_id > 0
		WHERE p.visit_id IN (`+strings.Join(ids, ",")+`) ORDER BY p.visit_id, p.seq`, func(r *sql.Rows) error {
		var id int64
		var p visit.Problem
		if err := r.Scan(&id, &p.Category, &p.Urgency, &p.Text, &p.FollowUp, &p.Owner, &p.Due, &p.LedgerItem, &p.LedgerStatus); err != nil {
			return err
		}
		i := at[id]
		visits[i].Problems = append(visits[i].Problems, p)
		return nil
	})
}

// visitBy is the one visit in scope and the cycle matching where (over v,
// its 4th argument onwards), with its problems.
func (q *Scoped) visitBy(ctx context.Context, where string, args ...any) (visit.Visit, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return visit.Visit{}, err
	}
	lo, hi := q.scope.Bounds()
	v, err := scanVisit(q.s.db.QueryRowContext(ctx, `SELECT `+visitColumns+visitFrom+`
		WHERE v.cycle_id = $1 AND o.path >= $2 AND o.path < $3 AND `+where, append([]any{cycleID, lo, hi}, args...)...))
	if err != nil {
		return v, notFound(err, "没有找到该走访记录")
	}
	list := []visit.Visit{v}
	err = q.problemsOf(ctx, list)
	return list[0], err
}

// Visit returns visit id of a community in scope, with its problems and
// the state of their ledger items.
func (q *Scoped) Visit(ctx context.Context, id int64) (visit.Visit, error) {
	return q.visitBy(ctx, `v.id = $4`, id)
}

// VisitPage is a page of visits.
type VisitPage struct {
	Visits []visit.Visit `json:"visits"`
	Total  int           `json:"total"`
}

// Visits returns the visits of round r (every round with "") to the
// community with code in scope, newest first, limit from offset.
func (q *Scoped) Visits(ctx context.Context, code string, r visit.Round, limit, offset int) (VisitPage, error) {
	out := VisitPage{Visits: []visit.Visit{}}
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return out, err
	}
	where, args := `v.cycle_id = $1 AND v.org_id = $2`, []any{cycleID, orgID}
	if r != "" {
		where, args = where+` AND v.round = $3`, append(args, string(r))
	}
	if err := q.s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM visits v WHERE `+where, args...).Scan(&out.Total); err != nil {
		return out, err
	}
	err = q.s.each(ctx, `SELECT `+visitColumns+visitFrom+` WHERE `+where+` ORDER BY v.visited_on DESC, v.id DESC`+pageClause(limit, offset),
		func(r *sql.Rows) error {
			v, err := scanVisit(r)
			out.Visits = append(out.Visits, v)
			return err
		}, args...)
	if err != nil {
		return out, err
	}
	return out, q.problemsOf(ctx, out.Visits)
}

// HouseholdVisits returns every visit to household id (in scope) across the
// three rounds, oldest first: the same household followed over the cycle.
func (q *Scoped) HouseholdVisits(ctx context.Context, code string, id int64) ([]visit.Visit, error) {
	out := []visit.Visit{}
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return out, err
	}
	err = q.s.each(ctx, `SELECT `+visitColumns+visitFrom+` WHERE v.household_id = $1 AND v.cycle_id = $2 AND v.org_id = $3
		ORDER BY v.visited_on, v.id LIMIT 200`, func(r *sql.Rows) error {
		v, err := scanVisit(r)
		out = append(out, v)
		return err
	}, id, cycleID, orgID)
	if err != nil {
		return out, err
	}
	return out, q.problemsOf(ctx, out)
}

// CoverageDistricts bounds the districts Coverage lists: a province's
// 12,500 would make a page of megabytes.
const CoverageDistricts = 100

// Coverage is a round's coverage over the scope: its totals, the first
// districts (units whose children are communities) and a page of its
// communities.
type Coverage struct {
	Campaign      visit.Campaign      `json:"campaign"`
	Total         visit.CoverageRow   `json:"total"`
	Districts     []visit.CoverageRow `json:"districts"`      // the first CoverageDistricts, in tree order
	DistrictCount int                 `json:"district_count"` // all of them in scope
	Rows          []visit.CoverageRow `json:"communities"`
	Count         int                 `json:"count"` // communities listed (below the target only, with below)
}

// Coverage reads round r's coverage over the scope from the counts
// visit_counts keeps for every unit (households, those reached in the
// round, each once, and the talks still owed to sitting members, party
// members and representatives where the round asks for them, 全谈): the
// scope's total from its top unit's counts, the first districts' from
// theirs, and the rows limit from offset (all with limit 0) of its
// communities, with below only those below the round's target; so its
// cost does not grow with the scope, except with below, which reads two
// counts of every community to choose them.
func (q *Scoped) Coverage(ctx context.Context, r visit.Round, below bool, limit, offset int) (Coverage, error) {
	out := Coverage{Districts: []visit.CoverageRow{}, Rows: []visit.CoverageRow{}}
	c, err := q.Campaign(ctx, r)
	if err != nil {
		return out, err
	}
	out.Campaign = c
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return out, err
	}
	lo, hi := q.scope.Bounds()
	top, lo3 := topUnits(lo, 3)
	args := append([]any{cycleID, string(r)}, lo3...)
	h, reached, owed := coverageParts("$2")
	if err := q.s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(t.h), 0), COALESCE(SUM(t.r), 0), COALESCE(SUM(t.w), 0), COALESCE(SUM(t.n), 0)
		FROM (SELECT `+h+` AS h, `+reached+` AS r, `+owed+` AS w, o.tree_communities AS n FROM orgs o WHERE `+top+`) t`, args...).
		Scan(&out.Total.Households, &out.Total.Reached, &out.Total.TalksOwed, &out.Count); err != nil {
		return out, err
	}
	out.Total.Name = "合计"
	out.Total.Fill(c)
	if err := q.s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+coverageDistrictsFrom, lo, hi).Scan(&out.DistrictCount); err != nil {
		return out, err
	}
	err = q.s.each(ctx, coverageDistricts, func(rows *sql.Rows) error {
		var row visit.CoverageRow
		err := rows.Scan(&row.Community, &row.Name, &row.Households, &row.Reached, &row.TalksOwed)
		row.Fill(c)
		out.Districts = append(out.Districts, row)
		return err
	}, cycleID, string(r), lo, hi)
	if err != nil {
		return out, err
	}
	page := coverageCommunities + pageClause(limit, offset)
	pageArgs := []any{cycleID, string(r), lo, hi}
	if below {
		// The communities below the target, in tree order: reached <
		// ⌈households × target ÷ 100⌉ as visit.Campaign.Needed counts it.
		var ids []string
		err := q.s.each(ctx, `SELECT o.id FROM orgs o WHERE o.kind = 'community' AND o.path >= $3 AND o.path < $4
			AND `+reached+` * 100 < `+h+` * $5 ORDER BY o.path`, func(rows *sql.Rows) error {
			var id int64
			err := rows.Scan(&id)
			ids = append(ids, strconv.FormatInt(id, 10))
			return err
		}, cycleID, string(r), lo, hi, c.HouseholdPercent)
		if err != nil {
			return out, err
		}
		out.Count = len(ids)
		ids = ids[min(offset, len(ids)):]
		if limit > 0 {
			ids = ids[:min(limit, len(ids))]
		}
		if len(ids) == 0 {
			return out, nil
		}
		page, pageArgs = `SELECT o.id FROM orgs o WHERE o.id IN (`+strings.Join(ids, ", ")+`)`, pageArgs[:2]
	}
	type pathRow struct {
		path string
		row  visit.CoverageRow
	}
	var rows []pathRow
	err = q.s.each(ctx, coverageRows(page), func(r *sql.Rows) error {
		var x pathRow
		err := r.Scan(&x.path, &x.row.Community, &x.row.Name, &x.row.District, &x.row.Households, &x.row.Reached, &x.row.TalksOwed)
		x.row.Fill(c)
		rows = append(rows, x)
		return err
	}, pageArgs...)
	slices.SortFunc(rows, func(a, b pathRow) int { return strings.Compare(a.path, b.path) })
	for _, x := range rows {
		out.Rows = append(out.Rows, x.row)
	}
	return out, err
}

// Unreached returns the households of the community with code in scope
// that no visit of round r reached, by group and address, limit from
// offset, phones masked, and how many.
func (q *Scoped) Unreached(ctx context.Context, code string, r visit.Round, limit, offset int) (HouseholdPage, error) {
	out := HouseholdPage{Households: []visit.Household{}}
	if !r.Valid() {
		return out, errs.OnField("round", "请选择走访轮次")
	}
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return out, err
	}
	const where = ` FROM visit_households h WHERE h.cycle_id = $1 AND h.org_id = $2 AND NOT EXISTS (SELECT 1 FROM visit_reached x
		WHERE x.cycle_id = $1 AND x.round = $3 AND x.kind = 'h' AND x.target_id = h.id)`
	if err := q.s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+where, cycleID, orgID, string(r)).Scan(&out.Total); err != nil {
		return out, err
	}
	err = q.s.each(ctx, `SELECT h.id, h.address, h.head, h.size, h.phone_enc, h.group_name`+where+`
		ORDER BY h.group_name, h.address, h.id`+pageClause(limit, offset), func(rows *sql.Rows) error {
		h := visit.Household{Community: code}
		var phone string
		if err := rows.Scan(&h.ID, &h.Address, &h.Head, &h.Size, &phone, &h.Group); err != nil {
			return err
		}
		var err error
		h.Phone, err = q.s.openMasked(phone, vetting.MaskPhone)
		out.Households = append(out.Households, h)
		return err
	}, cycleID, orgID, string(r))
	return out, err
}

// Owed is a talk still owed in a round: a sitting committee member, party
// member or residents' representative not yet talked to.
type Owed struct {
	Kind  visit.PersonKind `json:"kind"`
	ID    int64            `json:"id"` // a member's id (committee) or a person's
	Name  string           `json:"name"`
	Group string           `json:"group"`
}

// OwedPage is a page of talks owed.
type OwedPage struct {
	Owed  []Owed `json:"owed"`
	Total int    `json:"total"`
}

// sameMember is SQL telling whether member rows a and b are one person:
// a sitting member holding both posts (一肩挑: secretary and director) has
// a row in each committee, with the same ID number, or, without one, the
// same name and birth date (as results.go tells a member re-elected).
func sameMember(a, b string) string {
	return `(` + a + `.id = ` + b + `.id OR (` + a + `.id_number_index <> '' AND ` + a + `.id_number_index = ` + b + `.id_number_index)
		OR ((` + a + `.id_number_index = '' OR ` + b + `.id_number_index = '') AND ` + a + `.name = ` + b + `.name AND ` +
		a + `.birth_date = ` + b + `.birth_date))`
}

// memberOwed is SQL telling whether member row m (a row of members, whose
// cycle and community the condition reads) is owed a talk in round (a
// placeholder): m is its person's first row, so a person holding both
// posts is owed one talk, and no row of that person was talked to in the
// round, so a talk to either post reaches the person.
func memberOwed(m, round string) string {
	return `NOT EXISTS (SELECT 1 FROM members s WHERE s.cycle_id = ` + m + `.cycle_id AND s.org_id = ` + m + `.org_id
		AND ` + sameMember("s", m) + ` AND (s.id < ` + m + `.id OR EXISTS (SELECT 1 FROM visit_reached x
			WHERE x.cycle_id = s.cycle_id AND x.round = ` + round + ` AND x.kind = 'm' AND x.target_id = s.id)))`
}

// TalksOwed returns the talks round r still owes in the community with
// code in scope (全谈), sitting members first, each person once, limit
// from offset; none in a round that does not ask for 全谈.
func (q *Scoped) TalksOwed(ctx context.Context, code string, r visit.Round, limit, offset int) (OwedPage, error) {
	out := OwedPage{Owed: []Owed{}}
	if !r.Valid() {
		return out, errs.OnField("round", "请选择走访轮次")
	}
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return out, err
	}
	c, err := q.Campaign(ctx, r)
	if err != nil || !c.TalkAll {
		return out, err
	}
	owed := `SELECT 0 AS sort, 'committee' AS kind, m.id AS id, m.name AS name, '' AS grp FROM members m
		WHERE m.cycle_id = $1 AND m.org_id = $2 AND ` + memberOwed("m", "$3") + `
		UNION ALL
		SELECT 1, p.kind, p.id, p.name, p.group_name FROM visit_people p
		WHERE p.cycle_id = $1 AND p.org_id = $2 AND NOT EXISTS (SELECT 1 FROM visit_reached x
			WHERE x.cycle_id = $1 AND x.round = $3 AND x.kind = 'p' AND x.target_id = p.id)`
	if err := q.s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+owed+`) t`, cycleID, orgID, string(r)).Scan(&out.Total); err != nil {
		return out, err
	}
	err = q.s.each(ctx, `SELECT kind, id, name, grp FROM (`+owed+`) t ORDER BY sort, kind, grp, name, id`+pageClause(limit, offset),
		func(rows *sql.Rows) error {
			var o Owed
			err := rows.Scan(&o.Kind, &o.ID, &o.Name, &o.Group)
			out.Owed = append(out.Owed, o)
			return err
		}, cycleID, orgID, string(r))
	return out, err
}

// VisitMembers are the sitting committee members of the community with
// code in scope, as talks of the visit form name them: each person once,
// by their first row (a member holding both posts is talked to once).
func (q *Scoped) VisitMembers(ctx context.Context, code string) ([]Owed, error) {
	cycleID, orgID, err := q.inCommunity(ctx, code)
	out := []Owed{}
	if err != nil {
		return out, err
	}
	err = q.s.each(ctx, `SELECT m.id, m.name FROM members m WHERE m.cycle_id = $1 AND m.org_id = $2
		AND NOT EXISTS (SELECT 1 FROM members s WHERE s.cycle_id = m.cycle_id AND s.org_id = m.org_id AND s.id < m.id
			AND `+sameMember("s", "m")+`) ORDER BY m.id`, func(r *sql.Rows) error {
		o := Owed{Kind: visit.Committee}
		err := r.Scan(&o.ID, &o.Name)
		out = append(out, o)
		return err
	}, cycleID, orgID)
	return out, err
}
