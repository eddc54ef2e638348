package store

import (
	"context"
	"database/sql"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

// Polling (issue 15, point 2). The rules are election's
// (internal/election/polling.go); here stations, their staff, the close
// relatives of the formal candidates and the proxies are read and written
// in the cycle, within scope, and audited. Stations, staff and proxies are
// protected records (migration 00025).

// Stations returns the polling stations of committee c (both committees
// for c "") of the community with code in scope, the main hall first,
// each with its staff and what it lacks (election.CheckStation under the
// cycle's settings, against the standing formal candidates of its
// committee and their recorded relatives): a count entry refuses a station
// that is not Ready.
func (q *Scoped) Stations(ctx context.Context, code string, c org.Committee) ([]election.Station, error) {
	return q.stationsIn(ctx, q.s.db, code, c)
}

// stationsIn is Stations read on db, the store or a transaction.
func (q *Scoped) stationsIn(ctx context.Context, db querier, code string, c org.Committee) ([]election.Station, error) {
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return nil, err
	}
	set, err := q.ElectionSettings(ctx)
	if err != nil {
		return nil, err
	}
	where, args := ``, []any{cycleID, orgID}
	if c != "" {
		where, args = ` AND committee = $3`, append(args, string(c))
	}
	out := []election.Station{}
	at := map[int64]int{}
	err = eachRow(ctx, db, `SELECT id, committee, name, kind, place, opens, closes, route, serves FROM polling_stations
		WHERE cycle_id = $1 AND org_id = $2`+where+` ORDER BY committee, CASE kind WHEN 'main' THEN 0 WHEN 'branch' THEN 1 ELSE 2 END, id`,
		func(r *sql.Rows) error {
			var s election.Station
			err := r.Scan(&s.ID, &s.Committee, &s.Name, &s.Kind, &s.Place, &s.Opens, &s.Closes, &s.Route, &s.Serves)
			s.Staff = []election.Staff{}
			at[s.ID] = len(out)
			out = append(out, s)
			return err
		}, args...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	err = eachRow(ctx, db, `SELECT f.station_id, f.id, f.role, f.name FROM station_staff f JOIN polling_stations s ON s.id = f.station_id
		WHERE s.cycle_id = $1 AND s.org_id = $2`+where+` ORDER BY f.station_id, f.id`, func(r *sql.Rows) error {
		var station int64
		var x election.Staff
		if err := r.Scan(&station, &x.ID, &x.Role, &x.Name); err != nil {
			return err
		}
		if i, ok := at[station]; ok {
			out[i].Staff = append(out[i].Staff, x)
		}
		return nil
	}, args...)
	if err != nil {
		return nil, err
	}
	cands, err := q.candidateNames(ctx, code)
	if err != nil {
		return nil, err
	}
	relatives, err := relativesOf(ctx, db, cycleID, orgID)
	if err != nil {
		return nil, err
	}
	for i := range out {
		s := &out[i]
		election.CheckStation(s, set, cands.names[s.Committee], cands.relativesOn(s.Committee, relatives))
	}
	return out, nil
}

// relativesOn keeps the relatives of the standing candidates of committee c.
func (f formalNames) relativesOn(c org.Committee, all []election.Relative) []election.Relative {
	var out []election.Relative
	for _, r := range all {
		for _, on := range f.on[r.AspirantID] {
			if on == c {
				out = append(out, r)
			}
		}
	}
	return out
}

func relativesOf(ctx context.Context, q querier, cycleID, orgID int64) ([]election.Relative, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.aspirant_id, a.name, r.relation, r.name FROM candidate_relatives r
		JOIN aspirants a ON a.id = r.aspirant_id WHERE r.cycle_id = $1 AND r.org_id = $2 ORDER BY a.name, r.aspirant_id, r.id`, cycleID, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []election.Relative{}
	for rows.Next() {
		var r election.Relative
		if err := rows.Scan(&r.ID, &r.AspirantID, &r.Candidate, &r.Relation, &r.Name); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Relatives returns the close relatives recorded for the formal candidates
// of the community with code in scope.
func (q *Scoped) Relatives(ctx context.Context, code string) ([]election.Relative, error) {
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return nil, err
	}
	return relativesOf(ctx, q.s.db, cycleID, orgID)
}

// Proxies returns the proxies of the community with code in scope, as the
// list of givers and holders is published: by holder, then giver.
func (q *Scoped) Proxies(ctx context.Context, code string) ([]election.Proxy, error) {
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return nil, err
	}
	return proxiesOf(ctx, q.s.db, cycleID, orgID)
}

func proxiesOf(ctx context.Context, q querier, cycleID, orgID int64) ([]election.Proxy, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.giver_id, g.name, p.holder_id, h.name, p.relation, p.written_on FROM proxies p
		JOIN voters g ON g.id = p.giver_id JOIN voters h ON h.id = p.holder_id
		WHERE p.cycle_id = $1 AND p.org_id = $2 ORDER BY h.name, p.holder_id, g.name, p.id`, cycleID, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []election.Proxy{}
	for rows.Next() {
		var p election.Proxy
		if err := rows.Scan(&p.ID, &p.GiverID, &p.Giver, &p.HolderID, &p.Holder, &p.Relation, &p.WrittenOn); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AddStation sets up a polling station or mobile box of the community with
// code (election.Station.Validate).
func (t *Tx) AddStation(ctx context.Context, code string, s election.Station) (election.Station, error) {
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return s, err
	}
	if err := s.Validate(); err != nil {
		return s, err
	}
	if err := t.queryRow(ctx, `INSERT INTO polling_stations (cycle_id, org_id, committee, name, kind, place, opens, closes, route, serves,
		created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`, c.cycleID, c.orgID,
		string(s.Committee), s.Name, string(s.Kind), s.Place, s.Opens, s.Closes, s.Route, s.Serves, t.q.actor.Name, t.s.clock()).Scan(&s.ID); err != nil {
		return s, err
	}
	s.Staff = []election.Staff{}
	return s, t.Audit(ctx, audit.StationAdd, On("station", s.ID, code), nil, audit.Fields{"committee": string(s.Committee),
		"name": s.Name, "station_kind": string(s.Kind), "place": s.Place, "hours": s.Opens + "-" + s.Closes, "route": s.Route,
		"serves": s.Serves})
}

// station reads a station of the community.
func (t *Tx) station(ctx context.Context, c electCommunity, id int64) (election.Station, error) {
	var s election.Station
	err := t.queryRow(ctx, `SELECT id, committee, name, kind FROM polling_stations WHERE id = $1 AND cycle_id = $2 AND org_id = $3`,
		id, c.cycleID, c.orgID).Scan(&s.ID, &s.Committee, &s.Name, &s.Kind)
	return s, notFound(err, "没有这个投票站")
}

// AddStaff gives x a duty at station id of the community with code,
// refused (election.CheckStaff) for a standing formal candidate of the
// station's committee or a close relative recorded for one.
func (t *Tx) AddStaff(ctx context.Context, code string, id int64, x election.Staff) (election.Staff, error) {
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return x, err
	}
	s, err := t.station(ctx, c, id)
	if err != nil {
		return x, err
	}
	cands, err := t.q.candidateNames(ctx, code)
	if err != nil {
		return x, err
	}
	relatives, err := relativesOf(ctx, t.tx, c.cycleID, c.orgID)
	if err != nil {
		return x, err
	}
	if err := election.CheckStaff(&x, cands.names[s.Committee], cands.relativesOn(s.Committee, relatives)); err != nil {
		return x, err
	}
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM station_staff WHERE station_id = $1 AND name = $2 AND role = $3`,
		id, x.Name, string(x.Role)).Scan(&n); err != nil {
		return x, err
	}
	if n > 0 {
		return x, errs.OnField("name", x.Name+"已是本投票站的"+x.Role.Label())
	}
	if err := t.queryRow(ctx, `INSERT INTO station_staff (station_id, role, name, created_by, created_at) VALUES ($1, $2, $3, $4, $5)
		RETURNING id`, id, string(x.Role), x.Name, t.q.actor.Name, t.s.clock()).Scan(&x.ID); err != nil {
		return x, err
	}
	return x, t.Audit(ctx, audit.StationStaffAdd, On("station", id, code), nil,
		audit.Fields{"station": s.Name, "staff_role": string(x.Role), "name": x.Name})
}

// RemoveStaff takes staff member staffID off station id of the community
// with code (one barred since, or replaced), audited with who it was.
func (t *Tx) RemoveStaff(ctx context.Context, code string, id, staffID int64) error {
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return err
	}
	s, err := t.station(ctx, c, id)
	if err != nil {
		return err
	}
	var x election.Staff
	if err := t.queryRow(ctx, `SELECT id, role, name FROM station_staff WHERE id = $1 AND station_id = $2`, staffID, id).
		Scan(&x.ID, &x.Role, &x.Name); err != nil {
		return notFound(err, "该投票站没有这名工作人员")
	}
	if _, err := t.exec(ctx, `DELETE FROM station_staff WHERE id = $1`, staffID); err != nil {
		return err
	}
	return t.Audit(ctx, audit.StationStaffRemove, On("station", id, code),
		audit.Fields{"station": s.Name, "staff_role": string(x.Role), "name": x.Name}, nil)
}

// AddRelative records a close relative of a standing formal candidate of
// the community with code (either committee's list).
func (t *Tx) AddRelative(ctx context.Context, code string, r election.Relative) (election.Relative, error) {
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return r, err
	}
	cands, err := t.q.candidateNames(ctx, code)
	if err != nil {
		return r, err
	}
	name, ok := cands.name[r.AspirantID]
	if !ok {
		return r, errs.OnField("aspirant_id", "请选择本社区正式候选人名单上的候选人")
	}
	if err := r.Validate(); err != nil {
		return r, err
	}
	if name == r.Name {
		return r, errs.OnField("name", "近亲属不能是候选人本人")
	}
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM candidate_relatives WHERE cycle_id = $1 AND aspirant_id = $2 AND name = $3`,
		c.cycleID, r.AspirantID, r.Name).Scan(&n); err != nil {
		return r, err
	}
	if n > 0 {
		return r, errs.OnField("name", "已登记"+r.Name+"为"+name+"的近亲属")
	}
	r.Candidate = name
	if err := t.queryRow(ctx, `INSERT INTO candidate_relatives (cycle_id, org_id, aspirant_id, relation, name, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, c.cycleID, c.orgID, r.AspirantID, string(r.Relation), r.Name,
		t.q.actor.Name, t.s.clock()).Scan(&r.ID); err != nil {
		return r, err
	}
	return r, t.Audit(ctx, audit.CandidateRelative, On("aspirant", r.AspirantID, code), nil,
		audit.Fields{"candidate_name": name, "relation": string(r.Relation), "name": r.Name})
}

// ProxyInput is a proxy as a form or the API gives it: the giver and the
// holder by name, with the birth date when two voters share the name.
type ProxyInput struct {
	Giver       string            `json:"giver"`
	GiverBirth  civil.Date        `json:"giver_birth"`
	Holder      string            `json:"holder"`
	HolderBirth civil.Date        `json:"holder_birth"`
	Relation    election.Relation `json:"relation"`
	WrittenOn   civil.Date        `json:"written_on"`
}

// AddProxy records a written proxy of the community with code
// (election.CheckProxy against those already given, the residents'
// election day, today and the cycle's ProxyMax).
func (t *Tx) AddProxy(ctx context.Context, code string, in ProxyInput) (election.Proxy, error) {
	p := election.Proxy{Relation: in.Relation, WrittenOn: in.WrittenOn}
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return p, err
	}
	giver, err := t.findVoter(ctx, c, "giver", in.Giver, in.GiverBirth)
	if err != nil {
		return p, err
	}
	holder, err := t.findVoter(ctx, c, "holder", in.Holder, in.HolderBirth)
	if err != nil {
		return p, err
	}
	p.GiverID, p.Giver, p.HolderID, p.Holder = giver.ID, giver.Name, holder.ID, holder.Name
	existing, err := proxiesOf(ctx, t.tx, c.cycleID, c.orgID)
	if err != nil {
		return p, err
	}
	if err := election.CheckProxy(p, existing, c.days.Residents, c.today, c.settings); err != nil {
		field := map[string]string{"giver_id": "giver", "holder_id": "holder"}[errs.FieldOf(err)]
		if field == "" {
			return p, err
		}
		return p, errs.OnField(field, errs.MessageOf(err))
	}
	if err := t.queryRow(ctx, `INSERT INTO proxies (cycle_id, org_id, giver_id, holder_id, relation, written_on, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, c.cycleID, c.orgID, p.GiverID, p.HolderID, string(p.Relation),
		string(p.WrittenOn), t.q.actor.Name, t.s.clock()).Scan(&p.ID); err != nil {
		return p, err
	}
	return p, t.Audit(ctx, audit.ProxyAdd, On("proxy", p.ID, code), nil, audit.Fields{"giver": p.Giver, "holder": p.Holder,
		"relation": string(p.Relation), "written_on": string(p.WrittenOn)})
}
