package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The predicted slate (预判人选) and the reserve list (人选储备), issue 14
// point 5. Rules: slate.CheckPrediction, slate.Changes, slate.CheckReason,
// slate.ReservePerson.Validate. Tables: migration 00019.

// PredictedPerson is one predicted person of a community, with what the
// structure targets count: sex, birth date and age on the election day of
// the committee concerned, education, party status, and whether the person
// is predicted on the other committee too (交叉任职).
type PredictedPerson struct {
	Committee  org.Committee     `json:"committee"`
	Post       vetting.Post      `json:"post"`
	Seat       int               `json:"seat"` // 1, 2, … on the post
	AspirantID int64             `json:"aspirant_id"`
	Name       string            `json:"name"`
	Sex        string            `json:"sex"` // 男 / 女
	BirthDate  civil.Date        `json:"birth_date"`
	Age        int               `json:"age"`   // on the committee's election day of the community
	Young      bool              `json:"young"` // slate.Young(Age): 35岁以下
	Education  vetting.Education `json:"education"`
	Party      vetting.Party     `json:"party"`
	Source     slate.Origin      `json:"source"` // 内选 / 外派, "" when not given
	Notes      string            `json:"notes"`
	Cross      bool              `json:"cross"`  // also predicted on the other committee
	Status     vetting.Status    `json:"status"` // the aspirant's status now
	// Eligible is slate.Eligible(Status) now: a person disqualified after
	// the prediction stays on it, marked, until the office replaces them.
	Eligible bool `json:"eligible"`
}

// PredictedSlate is a community's predicted slate: its election days, the
// 一肩挑 plan and its predicted persons, party committee first, then by post
// (chief, deputies, members) and seat.
type PredictedSlate struct {
	Code         string            `json:"code"`
	Name         string            `json:"name"`
	DistrictCode string            `json:"district_code"`
	DistrictName string            `json:"district_name"`
	Days         progress.Days     `json:"election_days"`
	Dual         bool              `json:"dual"` // 一肩挑 planned
	Persons      []PredictedPerson `json:"persons"`
}

// Prediction is the slate as slate.CheckPrediction takes it.
func (s PredictedSlate) Prediction() slate.Prediction {
	p := slate.Prediction{Dual: s.Dual, Picks: []slate.Pick{}}
	for _, x := range s.Persons {
		p.Picks = append(p.Picks, slate.Pick{Committee: x.Committee, Post: x.Post, AspirantID: x.AspirantID, Source: x.Source, Notes: x.Notes})
	}
	return p
}

// dayOf is the day committee c of a community votes.
func dayOf(days progress.Days, c org.Committee) civil.Date { return days.For(progress.Election(c)) }

// PredictedSlates returns the predicted slates of the communities in scope
// that f selects (a district, a class, one community), in tree order, a
// page of them when f.Limit is set, every one of them otherwise (a batch
// over the whole zone). A community without a slate has no persons. It is
// the read the structure targets are computed from, in one query whatever
// the number of communities: the page of communities is chosen on the
// orgs_kind_path index alone (as CommunityClasses does) and only its rows
// are joined to their days, slate, picks and aspirants; ages are counted
// here, at each committee's election day of each community (its own or
// the cycle's), never today.
func (q *Scoped) PredictedSlates(ctx context.Context, f CommunityFilter) ([]PredictedSlate, error) {
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
		COALESCE(ep.day, ''), COALESCE(er.day, ''), COALESCE(sl.dual, FALSE),
		COALESCE(k.committee, ''), COALESCE(k.post, ''), COALESCE(k.seat, 0), COALESCE(k.aspirant_id, 0), COALESCE(k.birth_date, ''),
		COALESCE(k.source, ''), COALESCE(k.notes, ''), COALESCE(a.name, ''), COALESCE(a.sex, ''), COALESCE(a.education, ''),
		COALESCE(a.party, ''), COALESCE(a.status, '')
		FROM (`+page+`) pg JOIN orgs o ON o.id = pg.id LEFT JOIN orgs p ON p.id = o.parent_id`+daysJoin+`
		LEFT JOIN slates sl ON sl.cycle_id = $1 AND sl.org_id = o.id
		LEFT JOIN slate_picks k ON k.cycle_id = $1 AND k.org_id = o.id
		LEFT JOIN aspirants a ON a.id = k.aspirant_id
		ORDER BY o.path`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PredictedSlate
	for rows.Next() {
		var s PredictedSlate
		var own progress.Days
		var x PredictedPerson
		if err := rows.Scan(&s.Code, &s.Name, &s.DistrictCode, &s.DistrictName, &own.Party, &own.Residents, &s.Dual,
			&x.Committee, &x.Post, &x.Seat, &x.AspirantID, &x.BirthDate, &x.Source, &x.Notes, &x.Name, &x.Sex, &x.Education,
			&x.Party, &x.Status); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].Code != s.Code {
			s.Days = progress.Resolve(own, cycleDays(cycle))
			s.Persons = []PredictedPerson{}
			out = append(out, s)
		}
		if x.AspirantID == 0 {
			continue
		}
		cur := &out[len(out)-1]
		x.Age = slate.AgeOn(x.BirthDate, dayOf(cur.Days, x.Committee))
		x.Young = slate.Young(x.Age)
		x.Eligible, _ = slate.Eligible(x.Status)
		cur.Persons = append(cur.Persons, x)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		finishSlate(&out[i])
	}
	return out, nil
}

// finishSlate puts a slate's persons in the order of the posts and marks
// those predicted on both committees.
func finishSlate(s *PredictedSlate) {
	on := map[org.Committee]map[int64]bool{}
	for _, x := range s.Persons {
		if on[x.Committee] == nil {
			on[x.Committee] = map[int64]bool{}
		}
		on[x.Committee][x.AspirantID] = true
	}
	for i, x := range s.Persons {
		other := org.PartyCommittee
		if x.Committee == org.PartyCommittee {
			other = org.ResidentsCommittee
		}
		s.Persons[i].Cross = on[other][x.AspirantID]
	}
	rank := func(x PredictedPerson) (int, int, int) {
		c := slices.Index(org.Committees, x.Committee)
		return c, slices.Index(vetting.PostsOf(x.Committee), x.Post), x.Seat
	}
	sort.SliceStable(s.Persons, func(i, j int) bool {
		a1, a2, a3 := rank(s.Persons[i])
		b1, b2, b3 := rank(s.Persons[j])
		if a1 != b1 {
			return a1 < b1
		}
		if a2 != b2 {
			return a2 < b2
		}
		return a3 < b3
	})
}

// PredictedSlate is the predicted slate of the community with code in
// scope; NotFound otherwise.
func (q *Scoped) PredictedSlate(ctx context.Context, code string) (PredictedSlate, error) {
	if code == "" {
		return PredictedSlate{}, errs.New(errs.NotFound, "没有找到该社区")
	}
	all, err := q.PredictedSlates(ctx, CommunityFilter{Code: code})
	if err != nil {
		return PredictedSlate{}, err
	}
	if len(all) == 0 {
		return PredictedSlate{}, errs.New(errs.NotFound, "没有找到该社区")
	}
	return all[0], nil
}

// SlateChange is one change of a predicted person, as the history shows it.
type SlateChange struct {
	Committee org.Committee `json:"committee"`
	Post      vetting.Post  `json:"post"`
	FromID    int64         `json:"from_id"` // 0: none (an addition)
	FromName  string        `json:"from_name"`
	ToID      int64         `json:"to_id"` // 0: none (a removal)
	ToName    string        `json:"to_name"`
	Reason    string        `json:"reason"`
	By        string        `json:"by"`
	At        time.Time     `json:"at"`
}

// SlateHistory lists the changes of the predicted persons of the community
// with code in scope, newest first.
func (q *Scoped) SlateHistory(ctx context.Context, code string) ([]SlateChange, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := q.scope.Bounds()
	rows, err := q.s.db.QueryContext(ctx, `SELECT h.committee, h.post, COALESCE(h.from_id, 0), h.from_name, COALESCE(h.to_id, 0),
		h.to_name, h.reason, h.changed_by, h.changed_at FROM slate_changes h JOIN orgs o ON o.id = h.org_id
		WHERE h.cycle_id = $1 AND o.code = $2 AND o.path >= $3 AND o.path < $4 ORDER BY h.id DESC`, cycleID, code, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []SlateChange{}
	for rows.Next() {
		var c SlateChange
		if err := rows.Scan(&c.Committee, &c.Post, &c.FromID, &c.FromName, &c.ToID, &c.ToName, &c.Reason, &c.By, &c.At); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetSlate replaces the predicted slate of the community with code in the
// transaction's scope: refused with the field and reason when it breaks a
// rule (slate.CheckPrediction, against the community's aspirants and its
// seats; a replaced or removed person needs reason). Each change of person
// is kept in the history with reason, and the whole is audited with the
// slate before. It returns the changes.
func (t *Tx) SetSlate(ctx context.Context, code string, p slate.Prediction, reason string) ([]slate.Change, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	orgID, err := t.communityID(ctx, code)
	if err != nil {
		return nil, err
	}
	days, err := t.daysOf(ctx, orgID)
	if err != nil {
		return nil, err
	}
	t.invalidateTargetsOf(orgID)
	picked := map[int64]bool{}
	for _, k := range p.Picks {
		picked[k.AspirantID] = true
	}
	people, names, births, err := t.slatePeople(ctx, cycleID, orgID, days, picked)
	if err != nil {
		return nil, err
	}
	seats := map[org.Committee]slate.Seats{}
	if err := t.scanRows(ctx, func(sc func(...any) error) error {
		var s slate.Seats
		if err := sc(&s.Committee, &s.Chief, &s.Deputies, &s.Members); err != nil {
			return err
		}
		seats[s.Committee] = s
		return nil
	}, `SELECT committee, chief, deputies, members FROM seats WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID); err != nil {
		return nil, err
	}
	for i := range p.Picks {
		p.Picks[i].Notes = strings.TrimSpace(p.Picks[i].Notes)
	}
	if err := slate.CheckPrediction(p, people, seats); err != nil {
		return nil, err
	}
	var old slate.Prediction
	if err := t.queryRow(ctx, `SELECT dual FROM slates WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID).Scan(&old.Dual); err != nil &&
		!errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if err := t.scanRows(ctx, func(sc func(...any) error) error {
		var k slate.Pick
		if err := sc(&k.Committee, &k.Post, &k.AspirantID, &k.Source, &k.Notes); err != nil {
			return err
		}
		old.Picks = append(old.Picks, k)
		return nil
	}, `SELECT committee, post, aspirant_id, source, notes FROM slate_picks WHERE cycle_id = $1 AND org_id = $2
		ORDER BY committee, post, seat`, cycleID, orgID); err != nil {
		return nil, err
	}
	changes := slate.Changes(old.Picks, p.Picks)
	reason = strings.TrimSpace(reason)
	if err := slate.CheckReason(changes, reason); err != nil {
		return nil, err
	}
	now, by := t.s.clock(), t.q.actor.Name
	if _, err := t.exec(ctx, `INSERT INTO slates (cycle_id, org_id, dual, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (cycle_id, org_id) DO UPDATE SET dual = excluded.dual, set_by = excluded.set_by, set_at = excluded.set_at`,
		cycleID, orgID, p.Dual, by, now); err != nil {
		return nil, err
	}
	if _, err := t.exec(ctx, `DELETE FROM slate_picks WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID); err != nil {
		return nil, err
	}
	seat := map[string]int{}
	err = t.insertRows(ctx, "slate_picks", []string{"cycle_id", "org_id", "committee", "post", "seat", "aspirant_id", "birth_date", "source",
		"notes"}, len(p.Picks), func(i int) ([]any, error) {
		k := p.Picks[i]
		key := string(k.Committee) + "/" + string(k.Post)
		seat[key]++
		return []any{cycleID, orgID, string(k.Committee), string(k.Post), seat[key], k.AspirantID, string(births[k.AspirantID]),
			string(k.Source), k.Notes}, nil
	})
	if err != nil {
		return nil, err
	}
	orNull := func(id int64) any {
		if id == 0 {
			return nil
		}
		return id
	}
	err = t.insertRows(ctx, "slate_changes", []string{"cycle_id", "org_id", "committee", "post", "from_id", "from_name", "to_id", "to_name",
		"reason", "changed_by", "changed_at"}, len(changes), func(i int) ([]any, error) {
		c := changes[i]
		return []any{cycleID, orgID, string(c.Committee), string(c.Post), orNull(c.From), names[c.From], orNull(c.To), names[c.To],
			reason, by, now}, nil
	})
	if err != nil {
		return nil, err
	}
	after := slateFields(p, names)
	if reason != "" {
		after["reason"] = reason
	}
	after["changed"] = len(changes)
	var before audit.Fields
	if len(old.Picks) > 0 || old.Dual {
		before = slateFields(old, names)
	}
	return changes, t.Audit(ctx, audit.SlatePredict, On("community", code, code), before, after)
}

// slatePeople reads the aspirants of a community in the cycle: the names
// of all (for the history), and for those picked what slate.CheckPrediction
// needs and the birth date their ID number encodes (opened here, never
// shown), with their ages on each committee's day.
func (t *Tx) slatePeople(ctx context.Context, cycleID, orgID int64, days progress.Days, picked map[int64]bool) (
	map[int64]slate.Person, map[int64]string, map[int64]civil.Date, error) {
	people, names, births := map[int64]slate.Person{}, map[int64]string{}, map[int64]civil.Date{}
	err := t.scanRows(ctx, func(sc func(...any) error) error {
		var id int64
		var name, sealed string
		var st vetting.Status
		var c org.Committee
		var cross vetting.Post
		if err := sc(&id, &name, &st, &c, &cross, &sealed); err != nil {
			return err
		}
		names[id] = name
		if !picked[id] {
			return nil
		}
		if t.s.box == nil {
			return errors.New("store opened without a data key cannot read birth dates")
		}
		number, err := t.s.box.Open(sealed)
		if err != nil {
			return err
		}
		var birth civil.Date
		if info, err := idcard.Parse(number); err == nil {
			birth = civil.Date(info.Birth.Format(civil.Layout))
		}
		births[id] = birth
		who := slate.Person{Name: name, Status: st, Stands: map[org.Committee]bool{c: true}, Age: map[org.Committee]int{}}
		if cross != "" {
			for _, o := range org.Committees {
				who.Stands[o] = true
			}
		}
		for _, o := range org.Committees {
			who.Age[o] = slate.AgeOn(birth, dayOf(days, o))
		}
		people[id] = who
		return nil
	}, `SELECT id, name, status, committee, cross_post, id_sealed FROM aspirants WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID)
	return people, names, births, err
}

// scanRows runs query in the transaction and calls each for every row.
func (t *Tx) scanRows(ctx context.Context, each func(scan func(...any) error) error, query string, args ...any) error {
	rows, err := t.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// slateFields is a slate as the audit log keeps it: the plan and each
// predicted person, in words.
func slateFields(p slate.Prediction, names map[int64]string) audit.Fields {
	picks := []string{}
	for _, k := range p.Picks {
		s := k.Committee.Label() + k.Post.Label() + ":" + names[k.AspirantID]
		if k.Source != "" {
			s += "(" + k.Source.Label() + ")"
		}
		if k.Notes != "" {
			s += ",备注:" + k.Notes
		}
		picks = append(picks, s)
	}
	return audit.Fields{"dual": p.Dual, "picks": picks}
}

// ReserveRow is a reserve person with the age on the community's
// residents' election day.
type ReserveRow struct {
	slate.ReservePerson
	Age int `json:"age"`
}

// ReserveList is a community's reserve list.
type ReserveList struct {
	Code, Name  string
	ElectionDay civil.Date // the residents' election day, at which ages are counted
	People      []ReserveRow
}

// Reserve returns the reserve list of the community with code in scope;
// NotFound otherwise.
func (q *Scoped) Reserve(ctx context.Context, code string) (ReserveList, error) {
	cd, err := q.CommunityDays(ctx, code)
	if err != nil {
		return ReserveList{}, err
	}
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return ReserveList{}, err
	}
	orgID, err := communityInScope(ctx, q.s.db, q.scope, code)
	if err != nil {
		return ReserveList{}, err
	}
	out := ReserveList{Code: cd.Code, Name: cd.Name, ElectionDay: cd.Days.Residents, People: []ReserveRow{}}
	rows, err := q.s.db.QueryContext(ctx, `SELECT id, name, sex, birth_date, education, party, workplace, note FROM reserve_people
		WHERE cycle_id = $1 AND org_id = $2 ORDER BY id`, cycleID, orgID)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var r ReserveRow
		if err := rows.Scan(&r.ID, &r.Name, &r.Sex, &r.BirthDate, &r.Education, &r.Party, &r.Workplace, &r.Note); err != nil {
			return out, err
		}
		r.Age = slate.AgeOn(r.BirthDate, out.ElectionDay)
		out.People = append(out.People, r)
	}
	return out, rows.Err()
}

// reserveTarget is the community with code in the transaction's scope and
// its residents' election day.
func (t *Tx) reserveTarget(ctx context.Context, code string) (cycleID, orgID int64, day civil.Date, err error) {
	if cycleID, err = t.cycleID(ctx); err != nil {
		return
	}
	if orgID, err = t.communityID(ctx, code); err != nil {
		return
	}
	days, err := t.daysOf(ctx, orgID)
	return cycleID, orgID, days.Residents, err
}

func reserveFields(r slate.ReservePerson) audit.Fields {
	return audit.Fields{"name": r.Name, "sex": r.Sex, "birth_date": string(r.BirthDate), "education": string(r.Education),
		"party": string(r.Party), "workplace": r.Workplace, "note": r.Note}
}

// AddReserve adds a person to the reserve list of the community with code
// in the transaction's scope. Audited.
func (t *Tx) AddReserve(ctx context.Context, code string, r slate.ReservePerson) (ReserveRow, error) {
	cycleID, orgID, day, err := t.reserveTarget(ctx, code)
	if err != nil {
		return ReserveRow{}, err
	}
	if err := r.Validate(day); err != nil {
		return ReserveRow{}, err
	}
	now, by := t.s.clock(), t.q.actor.Name
	if err := t.queryRow(ctx, `INSERT INTO reserve_people (cycle_id, org_id, name, sex, birth_date, education, party, workplace, note,
		created_by, created_at, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10, $11) RETURNING id`,
		cycleID, orgID, r.Name, r.Sex, string(r.BirthDate), string(r.Education), string(r.Party), r.Workplace, r.Note, by, now).
		Scan(&r.ID); err != nil {
		return ReserveRow{}, err
	}
	return ReserveRow{r, slate.AgeOn(r.BirthDate, day)}, t.Audit(ctx, audit.ReserveAdd, On("reserve_person", r.ID, code), nil, reserveFields(r))
}

// oldReserve is reserve person id of the community (org), NotFound otherwise.
func (t *Tx) oldReserve(ctx context.Context, cycleID, orgID, id int64) (slate.ReservePerson, error) {
	var r slate.ReservePerson
	err := t.queryRow(ctx, `SELECT id, name, sex, birth_date, education, party, workplace, note FROM reserve_people
		WHERE id = $1 AND cycle_id = $2 AND org_id = $3`, id, cycleID, orgID).
		Scan(&r.ID, &r.Name, &r.Sex, &r.BirthDate, &r.Education, &r.Party, &r.Workplace, &r.Note)
	return r, notFound(err, "没有找到该储备人选")
}

// UpdateReserve changes reserve person id of the community with code in the
// transaction's scope. Audited with the person before.
func (t *Tx) UpdateReserve(ctx context.Context, code string, id int64, r slate.ReservePerson) (ReserveRow, error) {
	cycleID, orgID, day, err := t.reserveTarget(ctx, code)
	if err != nil {
		return ReserveRow{}, err
	}
	old, err := t.oldReserve(ctx, cycleID, orgID, id)
	if err != nil {
		return ReserveRow{}, err
	}
	if err := r.Validate(day); err != nil {
		return ReserveRow{}, err
	}
	r.ID = id
	if _, err := t.exec(ctx, `UPDATE reserve_people SET name = $1, sex = $2, birth_date = $3, education = $4, party = $5, workplace = $6,
		note = $7, updated_by = $8, updated_at = $9 WHERE id = $10`, r.Name, r.Sex, string(r.BirthDate), string(r.Education),
		string(r.Party), r.Workplace, r.Note, t.q.actor.Name, t.s.clock(), id); err != nil {
		return ReserveRow{}, err
	}
	return ReserveRow{r, slate.AgeOn(r.BirthDate, day)}, t.Audit(ctx, audit.ReserveEdit, On("reserve_person", id, code),
		reserveFields(old), reserveFields(r))
}

// RemoveReserve removes reserve person id of the community with code in the
// transaction's scope. Audited with the person removed.
func (t *Tx) RemoveReserve(ctx context.Context, code string, id int64) error {
	cycleID, orgID, _, err := t.reserveTarget(ctx, code)
	if err != nil {
		return err
	}
	old, err := t.oldReserve(ctx, cycleID, orgID, id)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `DELETE FROM reserve_people WHERE id = $1`, id); err != nil {
		return err
	}
	return t.Audit(ctx, audit.ReserveRemove, On("reserve_person", id, code), reserveFields(old), nil)
}
