package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
)

// The electorate of a community's two votes (issue 15, point 1). The rules
// are election's (internal/election/electorate.go); here the election
// committee, the mode, the register with its publication and objections,
// and the party members with their attendance are read and written in the
// cycle, within scope, and audited. The register, its publication, the
// objections and the attendance are protected records (migration 00025).

// KindCount is how many standing voters registered by one kind.
type KindCount struct {
	Kind  election.Registration `json:"kind"`
	Label string                `json:"label"`
	Count int                   `json:"count"`
}

// RegisterCounts are the register's figures: the registered voters (the
// outcome's "registered"), by registration kind and by sex, and those
// removed (by an upheld objection or before publication).
type RegisterCounts struct {
	Registered int         `json:"registered"`
	Men        int         `json:"men"`
	Women      int         `json:"women"`
	ByKind     []KindCount `json:"by_kind"`
	Removed    int         `json:"removed"`
}

// ObjectionRow is an objection with the day its answer is due and whether
// the answer was (or, unanswered, is) late.
type ObjectionRow struct {
	election.Objection
	Due  civil.Date `json:"due"`
	Late bool       `json:"late"`
}

// Electorate is a community's electorate in the cycle, aggregated: the
// residents' committee's election committee (with a warning for each
// member who became a formal candidate), the mode, the register's
// publication and deadlines, its counts and objections; the party
// organisation's attendance. The register and the party members
// themselves are read a page at a time (Voters, PartyMembers).
type Electorate struct {
	Community         string                     `json:"community"`
	Name              string                     `json:"name"`
	Days              progress.Days              `json:"days"`
	Settings          election.Settings          `json:"settings"`
	Mode              election.Mode              `json:"mode"`
	PublishedOn       civil.Date                 `json:"published_on"`
	LastPublication   civil.Date                 `json:"last_publication"`
	ObjectionsUntil   civil.Date                 `json:"objections_until"`
	Committee         []election.CommitteeMember `json:"election_committee"`
	CommitteeWarnings []string                   `json:"committee_warnings"`
	Register          RegisterCounts             `json:"register"`
	Objections        []ObjectionRow             `json:"objections"`
	Party             election.Attendance        `json:"party"`
}

// ElectorateCounts are the figures a count is checked against: the
// registered voters of the residents' vote, and 应到会 and 实到会 of the
// party's.
type ElectorateCounts struct {
	Registered   int `json:"registered"`
	ShouldAttend int `json:"should_attend"`
	Present      int `json:"present"`
}

// inCommunity is the cycle and the id of the community with code in scope.
func (q *Scoped) inCommunity(ctx context.Context, code string) (cycleID, orgID int64, err error) {
	if orgID, err = communityInScope(ctx, q.s.db, q.scope, code); err != nil {
		return 0, 0, err
	}
	cycleID, err = q.cycleID(ctx)
	return cycleID, orgID, err
}

// ElectorateCounts returns the community's counts in the cycle.
func (q *Scoped) ElectorateCounts(ctx context.Context, code string) (ElectorateCounts, error) {
	return q.electorateCounts(ctx, q.s.db, code)
}

// electorateCounts is ElectorateCounts read through db (a transaction sees
// its own writes).
func (q *Scoped) electorateCounts(ctx context.Context, db querier, code string) (ElectorateCounts, error) {
	var out ElectorateCounts
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return out, err
	}
	s, err := q.ElectionSettings(ctx)
	if err != nil {
		return out, err
	}
	reg, err := registerCounts(ctx, db, cycleID, orgID)
	if err != nil {
		return out, err
	}
	a, err := attendance(ctx, db, cycleID, orgID, s)
	return ElectorateCounts{Registered: reg.Registered, ShouldAttend: a.Should, Present: a.Present}, err
}

// Electorate returns the electorate of the community with code in scope.
func (q *Scoped) Electorate(ctx context.Context, code string) (Electorate, error) {
	cd, err := q.CommunityDays(ctx, code)
	if err != nil {
		return Electorate{}, err
	}
	e := Electorate{Community: cd.Code, Name: cd.Name, Days: cd.Days, Committee: []election.CommitteeMember{},
		Objections: []ObjectionRow{}}
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return e, err
	}
	if e.Settings, err = q.ElectionSettings(ctx); err != nil {
		return e, err
	}
	if e.Mode, e.PublishedOn, err = electorateRow(ctx, q.s.db, cycleID, orgID); err != nil {
		return e, err
	}
	e.LastPublication = election.LastPublication(e.Days.Residents, e.Settings)
	if e.PublishedOn != "" {
		e.ObjectionsUntil = election.ObjectionDeadline(e.PublishedOn, e.Settings)
	}
	if e.Committee, err = committeeOf(ctx, q.s.db, cycleID, orgID); err != nil {
		return e, err
	}
	cands, err := q.candidateNames(ctx, code)
	if err != nil {
		return e, err
	}
	e.CommitteeWarnings = election.CommitteeWarnings(e.Committee, cands.names[org.ResidentsCommittee])
	if e.Register, err = registerCounts(ctx, q.s.db, cycleID, orgID); err != nil {
		return e, err
	}
	objs, err := objectionsOf(ctx, q.s.db, cycleID, orgID, 0)
	if err != nil {
		return e, err
	}
	today := q.s.Today()
	for _, o := range objs {
		e.Objections = append(e.Objections, ObjectionRow{Objection: o, Due: election.AnswerDue(o.FiledOn, e.Settings), Late: o.Late(today, e.Settings)})
	}
	e.Party, err = attendance(ctx, q.s.db, cycleID, orgID, e.Settings)
	return e, err
}

// electorateRow reads the mode and the publication day; "" for none.
func electorateRow(ctx context.Context, q querier, cycleID, orgID int64) (election.Mode, civil.Date, error) {
	var mode election.Mode
	var day civil.Date
	err := q.QueryRowContext(ctx, `SELECT mode, published_on FROM electorates WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID).
		Scan(&mode, &day)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return mode, day, err
}

func committeeOf(ctx context.Context, q querier, cycleID, orgID int64) ([]election.CommitteeMember, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, role, joined_on, left_on, left_reason FROM election_committee
		WHERE cycle_id = $1 AND org_id = $2 ORDER BY left_on <> '', role, joined_on, id`, cycleID, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []election.CommitteeMember{}
	for rows.Next() {
		var m election.CommitteeMember
		if err := rows.Scan(&m.ID, &m.Name, &m.Role, &m.JoinedOn, &m.LeftOn, &m.LeftReason); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func registerCounts(ctx context.Context, q querier, cycleID, orgID int64) (RegisterCounts, error) {
	out := RegisterCounts{ByKind: []KindCount{}}
	by := map[election.Registration]int{}
	rows, err := q.QueryContext(ctx, `SELECT kind, sex, removed_on <> '', COUNT(*) FROM voters WHERE cycle_id = $1 AND org_id = $2
		GROUP BY kind, sex, removed_on <> ''`, cycleID, orgID)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind election.Registration
		var sex string
		var removed bool
		var n int
		if err := rows.Scan(&kind, &sex, &removed, &n); err != nil {
			return out, err
		}
		if removed {
			out.Removed += n
			continue
		}
		out.Registered += n
		by[kind] += n
		if sex == "女" {
			out.Women += n
		} else {
			out.Men += n
		}
	}
	for _, k := range election.Registrations {
		out.ByKind = append(out.ByKind, KindCount{Kind: k, Label: k.Label(), Count: by[k]})
	}
	return out, rows.Err()
}

// attendance counts the party members (status, excusal and presence only).
func attendance(ctx context.Context, q querier, cycleID, orgID int64, s election.Settings) (election.Attendance, error) {
	rows, err := q.QueryContext(ctx, `SELECT status, excused <> '', present, COUNT(*) FROM party_members WHERE cycle_id = $1 AND org_id = $2
		GROUP BY status, excused <> '', present`, cycleID, orgID)
	if err != nil {
		return election.Attendance{}, err
	}
	defer rows.Close()
	var members []election.PartyMember
	for rows.Next() {
		var m election.PartyMember
		var excused bool
		var present, n int
		if err := rows.Scan(&m.Status, &excused, &present, &n); err != nil {
			return election.Attendance{}, err
		}
		if excused {
			m.Excused = "请假"
		}
		m.Present = present != 0
		for range n {
			members = append(members, m)
		}
	}
	if err := rows.Err(); err != nil {
		return election.Attendance{}, err
	}
	return election.CountAttendance(members, s), nil
}

const objectionColumns = `id, filed_on, filer, kind, voter_id, name, sex, birth_date, group_name, reg_kind, reason, decision, answer,
	answered_on, result_voter`

func scanObjection(r interface{ Scan(...any) error }) (election.Objection, error) {
	var o election.Objection
	err := r.Scan(&o.ID, &o.FiledOn, &o.Filer, &o.Kind, &o.VoterID, &o.Person.Name, &o.Person.Sex, &o.Person.BirthDate,
		&o.Person.Group, &o.Person.Kind, &o.Reason, &o.Ruling, &o.Answer, &o.AnsweredOn, &o.ResultVoter)
	return o, err
}

// objectionsOf lists the community's objections, the first filed first
// (only the one with id, when id is not 0).
func objectionsOf(ctx context.Context, q querier, cycleID, orgID, id int64) ([]election.Objection, error) {
	where, args := ``, []any{cycleID, orgID}
	if id != 0 {
		where, args = ` AND id = $3`, append(args, id)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+objectionColumns+` FROM voter_objections WHERE cycle_id = $1 AND org_id = $2`+where+
		` ORDER BY filed_on, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []election.Objection{}
	for rows.Next() {
		o, err := scanObjection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

const voterColumns = `id, name, sex, birth_date, group_name, kind, removed_on, removed_reason`

func scanVoter(r interface{ Scan(...any) error }) (election.Voter, error) {
	var v election.Voter
	err := r.Scan(&v.ID, &v.Name, &v.Sex, &v.BirthDate, &v.Group, &v.Kind, &v.RemovedOn, &v.RemovedReason)
	return v, err
}

// VoterPage is a page of a community's register.
type VoterPage struct {
	Voters []election.Voter `json:"voters"`
	Total  int              `json:"total"`
}

// Voters returns the standing voters of the community with code in scope,
// by group and name, limit from offset (all with limit 0), and how many
// there are. Registers reach thousands of voters: pages read a page.
func (q *Scoped) Voters(ctx context.Context, code string, limit, offset int) (VoterPage, error) {
	out := VoterPage{Voters: []election.Voter{}}
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return out, err
	}
	if err := q.s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM voters WHERE cycle_id = $1 AND org_id = $2 AND removed_on = ''`,
		cycleID, orgID).Scan(&out.Total); err != nil {
		return out, err
	}
	page := ``
	if limit > 0 {
		page = ` LIMIT ` + strconv.Itoa(limit) + ` OFFSET ` + strconv.Itoa(offset)
	}
	err = q.s.each(ctx, `SELECT `+voterColumns+` FROM voters WHERE cycle_id = $1 AND org_id = $2 AND removed_on = ''
		ORDER BY group_name, name, id`+page, func(r *sql.Rows) error {
		v, err := scanVoter(r)
		out.Voters = append(out.Voters, v)
		return err
	}, cycleID, orgID)
	return out, err
}

// PartyMemberPage is a page of a party organisation's members.
type PartyMemberPage struct {
	Members []election.PartyMember `json:"members"`
	Total   int                    `json:"total"`
}

// PartyMembers returns the party members of the community with code in
// scope, by name, limit from offset (all with limit 0), and how many.
func (q *Scoped) PartyMembers(ctx context.Context, code string, limit, offset int) (PartyMemberPage, error) {
	out := PartyMemberPage{Members: []election.PartyMember{}}
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return out, err
	}
	if err := q.s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM party_members WHERE cycle_id = $1 AND org_id = $2`,
		cycleID, orgID).Scan(&out.Total); err != nil {
		return out, err
	}
	page := ``
	if limit > 0 {
		page = ` LIMIT ` + strconv.Itoa(limit) + ` OFFSET ` + strconv.Itoa(offset)
	}
	err = q.s.each(ctx, `SELECT id, name, sex, birth_date, status, excused, present FROM party_members WHERE cycle_id = $1 AND org_id = $2
		ORDER BY name, id`+page, func(r *sql.Rows) error {
		var m election.PartyMember
		var present int
		err := r.Scan(&m.ID, &m.Name, &m.Sex, &m.BirthDate, &m.Status, &m.Excused, &present)
		m.Present = present != 0
		out.Members = append(out.Members, m)
		return err
	}, cycleID, orgID)
	return out, err
}

// formalNames are a community's standing formal candidates: their names by
// committee, and by aspirant id the name and the committees whose list
// holds them.
type formalNames struct {
	names map[org.Committee][]string
	name  map[int64]string
	on    map[int64][]org.Committee
}

func (q *Scoped) candidateNames(ctx context.Context, code string) (formalNames, error) {
	out := formalNames{names: map[org.Committee][]string{}, name: map[int64]string{}, on: map[int64][]org.Committee{}}
	lists, err := q.FormalLists(ctx, code)
	if err != nil {
		return out, err
	}
	for _, l := range lists {
		for _, c := range l.Candidates {
			if c.Standing() {
				out.names[l.Committee] = append(out.names[l.Committee], c.Name)
				out.name[c.AspirantID] = c.Name
				out.on[c.AspirantID] = append(out.on[c.AspirantID], l.Committee)
			}
		}
	}
	return out, nil
}

// electorateOf locks (creating it) the community's electorate row in the
// transaction and returns its mode and publication day.
func (t *Tx) electorateOf(ctx context.Context, cycleID, orgID int64) (election.Mode, civil.Date, error) {
	if _, err := t.exec(ctx, `INSERT INTO electorates (cycle_id, org_id, updated_by, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (cycle_id, org_id) DO NOTHING`, cycleID, orgID, t.q.actor.Name, t.s.clock()); err != nil {
		return "", "", err
	}
	var mode election.Mode
	var day civil.Date
	err := t.queryRow(ctx, `SELECT mode, published_on FROM electorates WHERE cycle_id = $1 AND org_id = $2`+t.s.forUpdate(),
		cycleID, orgID).Scan(&mode, &day)
	return mode, day, err
}

// electCommunity is the cycle and id of the community with code in the
// transaction's scope, with its election days and the cycle's settings.
type electCommunity struct {
	code     string
	cycleID  int64
	orgID    int64
	days     progress.Days
	settings election.Settings
	today    civil.Date
}

func (t *Tx) electCommunity(ctx context.Context, code string) (electCommunity, error) {
	c := electCommunity{code: code, today: civil.Of(t.s.clock())}
	var err error
	if c.cycleID, err = t.cycleID(ctx); err != nil {
		return c, err
	}
	if c.orgID, err = t.communityID(ctx, code); err != nil {
		return c, err
	}
	if c.days, err = t.daysOf(ctx, c.orgID); err != nil {
		return c, err
	}
	c.settings, err = t.electionSettings(ctx)
	return c, err
}

// AddCommitteeMember puts a member on the residents' election committee of
// the community with code in scope (election.CommitteeMember.Validate: a
// standing formal candidate of the residents' committee is refused).
func (t *Tx) AddCommitteeMember(ctx context.Context, code string, m election.CommitteeMember) (election.CommitteeMember, error) {
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return m, err
	}
	cands, err := t.q.candidateNames(ctx, code)
	if err != nil {
		return m, err
	}
	if err := m.Validate(c.today, cands.names[org.ResidentsCommittee]); err != nil {
		return m, err
	}
	if err := t.queryRow(ctx, `INSERT INTO election_committee (cycle_id, org_id, name, role, joined_on, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, c.cycleID, c.orgID, m.Name, string(m.Role), string(m.JoinedOn),
		t.q.actor.Name, t.s.clock()).Scan(&m.ID); err != nil {
		return m, err
	}
	return m, t.Audit(ctx, audit.ElectionCommitteeJoin, On("election_committee", m.ID, code), nil,
		audit.Fields{"name": m.Name, "committee_role": string(m.Role), "joined_on": string(m.JoinedOn)})
}

// LeaveCommittee records that member id left the election committee of
// the community with code, on the day and for the reason given.
func (t *Tx) LeaveCommittee(ctx context.Context, code string, id int64, l election.Leaving) (election.CommitteeMember, error) {
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return election.CommitteeMember{}, err
	}
	var m election.CommitteeMember
	err = t.queryRow(ctx, `SELECT id, name, role, joined_on, left_on, left_reason FROM election_committee
		WHERE id = $1 AND cycle_id = $2 AND org_id = $3`, id, c.cycleID, c.orgID).
		Scan(&m.ID, &m.Name, &m.Role, &m.JoinedOn, &m.LeftOn, &m.LeftReason)
	if err != nil {
		return m, notFound(err, "选举委员会没有这名成员")
	}
	if err := l.Validate(m, c.today); err != nil {
		return m, err
	}
	if _, err := t.exec(ctx, `UPDATE election_committee SET left_on = $1, left_reason = $2 WHERE id = $3`,
		string(l.On), l.Reason, id); err != nil {
		return m, err
	}
	m.LeftOn, m.LeftReason = l.On, l.Reason
	return m, t.Audit(ctx, audit.ElectionCommitteeLeave, On("election_committee", id, code), nil,
		audit.Fields{"name": m.Name, "left_on": string(l.On), "left_reason": l.Reason})
}

// SetMode sets the residents' electoral mode of the community with code;
// refused once the register is published.
func (t *Tx) SetMode(ctx context.Context, code string, mode election.Mode) error {
	if !mode.Valid() {
		return errs.OnField("mode", "请选择选举方式")
	}
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return err
	}
	before, published, err := t.electorateOf(ctx, c.cycleID, c.orgID)
	if err != nil {
		return err
	}
	if published != "" {
		return errs.Newf(errs.Conflict, "选民名单已于%s公布,选举方式不能再改", published)
	}
	if _, err := t.exec(ctx, `UPDATE electorates SET mode = $1, updated_by = $2, updated_at = $3 WHERE cycle_id = $4 AND org_id = $5`,
		string(mode), t.q.actor.Name, t.s.clock(), c.cycleID, c.orgID); err != nil {
		return err
	}
	return t.Audit(ctx, audit.ElectoralMode, On("community", code, code), audit.Fields{"mode": string(before)},
		audit.Fields{"mode": string(mode)})
}

// unpublished refuses a direct change of the register once it is
// published: from then on only an upheld objection changes it.
func unpublished(published civil.Date) error {
	if published != "" {
		return errs.Newf(errs.Conflict, "选民名单已于%s公布,此后只能通过异议答复增减选民", published)
	}
	return nil
}

// standingKeys maps the standing voters' keys (election.Voter.Key) to ids.
func (t *Tx) standingKeys(ctx context.Context, cycleID, orgID int64) (map[string]int64, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT id, name, birth_date FROM voters WHERE cycle_id = $1 AND org_id = $2 AND removed_on = ''`,
		cycleID, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var v election.Voter
		if err := rows.Scan(&v.ID, &v.Name, &v.BirthDate); err != nil {
			return nil, err
		}
		out[v.Key()] = v.ID
	}
	return out, rows.Err()
}

func (t *Tx) insertVoter(ctx context.Context, c electCommunity, v *election.Voter, source string) error {
	return t.queryRow(ctx, `INSERT INTO voters (cycle_id, org_id, name, sex, birth_date, group_name, kind, source, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, c.cycleID, c.orgID, v.Name, v.Sex, string(v.BirthDate),
		v.Group, string(v.Kind), source, t.q.actor.Name, t.s.clock()).Scan(&v.ID)
}

func voterFields(v election.Voter) audit.Fields {
	return audit.Fields{"name": v.Name, "sex": v.Sex, "birth_date": string(v.BirthDate), "group": v.Group, "registration": string(v.Kind)}
}

// AddVoter registers v on the register of the community with code, before
// its publication: 18 or older on the residents' election day, not on it
// already (same name and birth date).
func (t *Tx) AddVoter(ctx context.Context, code string, v election.Voter) (election.Voter, error) {
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return v, err
	}
	_, published, err := t.electorateOf(ctx, c.cycleID, c.orgID)
	if err != nil {
		return v, err
	}
	if err := unpublished(published); err != nil {
		return v, err
	}
	if err := v.Validate(c.days.Residents); err != nil {
		return v, err
	}
	keys, err := t.standingKeys(ctx, c.cycleID, c.orgID)
	if err != nil {
		return v, err
	}
	if err := election.Twice(v, keys); err != nil {
		return v, err
	}
	if err := t.insertVoter(ctx, c, &v, "form"); err != nil {
		return v, err
	}
	return v, t.Audit(ctx, audit.VoterAdd, On("voter", v.ID, code), nil, voterFields(v))
}

// ImportVoters registers every voter of list on the register of the
// community with code, before its publication, all or none: the first
// voter refused (as AddVoter refuses, or twice in the list) refuses the
// whole list, its row named "voters[N]". Audited once with the count.
func (t *Tx) ImportVoters(ctx context.Context, code string, list []election.Voter) (int, error) {
	t.filled("voters", len(list))
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return 0, err
	}
	_, published, err := t.electorateOf(ctx, c.cycleID, c.orgID)
	if err != nil {
		return 0, err
	}
	if err := unpublished(published); err != nil {
		return 0, err
	}
	keys, err := t.standingKeys(ctx, c.cycleID, c.orgID)
	if err != nil {
		return 0, err
	}
	for i := range list {
		v := &list[i]
		if err := v.Validate(c.days.Residents); err != nil {
			return 0, rowError(err, "voters", i)
		}
		if err := election.Twice(*v, keys); err != nil {
			return 0, rowError(err, "voters", i)
		}
		if err := t.insertVoter(ctx, c, v, "import"); err != nil {
			return 0, err
		}
		keys[v.Key()] = v.ID
	}
	return len(list), t.Audit(ctx, audit.VoterImport, On("community", code, code), nil, audit.Fields{"rows": len(list)})
}

// rowError names a refusal of row i of a list: "第N行:" before its message,
// "list[i].field" its field.
func rowError(err error, list string, i int) error {
	field := list + "[" + strconv.Itoa(i) + "]"
	if f := errs.FieldOf(err); f != "" {
		field += "." + f
	}
	return &errs.Error{Code: errs.CodeOf(err), Message: "第" + strconv.Itoa(i+1) + "行:" + errs.MessageOf(err), Field: field, Err: err}
}

// RemoveVoter takes voter id off the register of the community with code
// before its publication (a mistake), keeping the row with today and the
// reason; refused for a voter named in a proxy.
func (t *Tx) RemoveVoter(ctx context.Context, code string, id int64, reason string) (election.Voter, error) {
	reason = strings.TrimSpace(reason)
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return election.Voter{}, err
	}
	_, published, err := t.electorateOf(ctx, c.cycleID, c.orgID)
	if err != nil {
		return election.Voter{}, err
	}
	if err := unpublished(published); err != nil {
		return election.Voter{}, err
	}
	v, err := t.voter(ctx, c, id)
	if err != nil {
		return v, err
	}
	if reason == "" {
		return v, errs.OnField("reason", "请填写删除的原因")
	}
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM proxies WHERE giver_id = $1 OR holder_id = $1`, id).Scan(&n); err != nil {
		return v, err
	}
	if n > 0 {
		return v, errs.Newf(errs.Conflict, "%s在委托投票名单上,不能删除", v.Name)
	}
	if err := t.markRemoved(ctx, &v, c.today, reason); err != nil {
		return v, err
	}
	return v, t.Audit(ctx, audit.VoterRemove, On("voter", id, code), voterFields(v), audit.Fields{"removed_reason": reason})
}

// voter reads a standing voter of the community.
func (t *Tx) voter(ctx context.Context, c electCommunity, id int64) (election.Voter, error) {
	v, err := scanVoter(t.queryRow(ctx, `SELECT `+voterColumns+` FROM voters WHERE id = $1 AND cycle_id = $2 AND org_id = $3
		AND removed_on = ''`, id, c.cycleID, c.orgID))
	return v, notFoundField(err, "voter_id", "选民名单上没有这名选民")
}

func (t *Tx) markRemoved(ctx context.Context, v *election.Voter, day civil.Date, reason string) error {
	v.RemovedOn, v.RemovedReason = day, reason
	_, err := t.exec(ctx, `UPDATE voters SET removed_on = $1, removed_reason = $2 WHERE id = $3`, string(day), reason, v.ID)
	return err
}

// findVoter finds the standing voter of the community named name (and,
// given, born on birth); refused on field, saying why, when there is none
// or more than one.
func (t *Tx) findVoter(ctx context.Context, c electCommunity, field, name string, birth civil.Date) (election.Voter, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return election.Voter{}, errs.OnField(field, "请填写选民姓名")
	}
	q, args := `SELECT `+voterColumns+` FROM voters WHERE cycle_id = $1 AND org_id = $2 AND removed_on = '' AND name = $3`,
		[]any{c.cycleID, c.orgID, name}
	if birth != "" {
		q, args = q+` AND birth_date = $4`, append(args, string(birth))
	}
	rows, err := t.tx.QueryContext(ctx, q+` ORDER BY id LIMIT 2`, args...)
	if err != nil {
		return election.Voter{}, err
	}
	defer rows.Close()
	var found []election.Voter
	for rows.Next() {
		v, err := scanVoter(rows)
		if err != nil {
			return v, err
		}
		found = append(found, v)
	}
	if err := rows.Err(); err != nil {
		return election.Voter{}, err
	}
	switch len(found) {
	case 0:
		return election.Voter{}, errs.OnField(field, name+"不在本社区选民名单上")
	case 1:
		return found[0], nil
	}
	return election.Voter{}, errs.OnField(field, "选民名单上有不止一名"+name+",请同时填写出生日期")
}

// PublishRegister records the day the register of the community with code
// was published (election.CheckPublication: at least RegisterDays before
// the residents' vote, not after today); once.
func (t *Tx) PublishRegister(ctx context.Context, code string, day civil.Date) error {
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return err
	}
	_, published, err := t.electorateOf(ctx, c.cycleID, c.orgID)
	if err != nil {
		return err
	}
	if published != "" {
		return errs.Newf(errs.Conflict, "选民名单已于%s公布", published)
	}
	if err := election.CheckPublication(day, c.days.Residents, c.today, c.settings); err != nil {
		return err
	}
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM voters WHERE cycle_id = $1 AND org_id = $2 AND removed_on = ''`,
		c.cycleID, c.orgID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return errs.OnField("published_on", "选民名单上还没有选民,请先登记或导入")
	}
	if _, err := t.exec(ctx, `UPDATE electorates SET published_on = $1, updated_by = $2, updated_at = $3 WHERE cycle_id = $4 AND org_id = $5`,
		string(day), t.q.actor.Name, t.s.clock(), c.cycleID, c.orgID); err != nil {
		return err
	}
	return t.Audit(ctx, audit.RegisterPublish, On("community", code, code), nil,
		audit.Fields{"published_on": string(day), "registered": n, "objections_until": string(election.ObjectionDeadline(day, c.settings))})
}

// ObjectionInput is an objection as a form or the API gives it: the voter
// to remove named by name (and birth date when two share it).
type ObjectionInput struct {
	election.Objection
	VoterName  string     `json:"voter_name"`
	VoterBirth civil.Date `json:"voter_birth"`
}

// FileObjection records an objection to the published register of the
// community with code (election.Objection.Validate): to add a person, or
// to remove a voter on it.
func (t *Tx) FileObjection(ctx context.Context, code string, in ObjectionInput) (election.Objection, error) {
	o := in.Objection
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return o, err
	}
	_, published, err := t.electorateOf(ctx, c.cycleID, c.orgID)
	if err != nil {
		return o, err
	}
	if o.Kind == election.ObjectRemove {
		v, err := t.findVoter(ctx, c, "voter_name", in.VoterName, in.VoterBirth)
		if err != nil && published != "" {
			return o, err
		}
		o.VoterID, o.Person = v.ID, v
	}
	if err := o.Validate(published, c.days.Residents, c.today, c.settings); err != nil {
		return o, err
	}
	p := o.Person
	if err := t.queryRow(ctx, `INSERT INTO voter_objections (cycle_id, org_id, filed_on, filer, kind, voter_id, name, sex, birth_date,
		group_name, reg_kind, reason, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		c.cycleID, c.orgID, string(o.FiledOn), o.Filer, string(o.Kind), o.VoterID, p.Name, p.Sex, string(p.BirthDate), p.Group,
		string(p.Kind), o.Reason, t.q.actor.Name, t.s.clock()).Scan(&o.ID); err != nil {
		return o, err
	}
	return o, t.Audit(ctx, audit.VoterObjection, On("voter_objection", o.ID, code), nil, audit.Fields{"filed_on": string(o.FiledOn),
		"filer": o.Filer, "objection_kind": string(o.Kind), "name": p.Name, "birth_date": string(p.BirthDate), "reason": o.Reason})
}

// AnswerObjection records the election committee's answer to objection id
// of the community with code. An upheld objection adds its person to the
// register (refused if they are on it) or removes its voter with the
// answer as the reason, dropping any proxy the voter gave or held; an
// answer after election.AnswerDue is taken and shown late.
func (t *Tx) AnswerObjection(ctx context.Context, code string, id int64, a election.ObjectionAnswer) (election.Objection, error) {
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return election.Objection{}, err
	}
	o, err := scanObjection(t.queryRow(ctx, `SELECT `+objectionColumns+` FROM voter_objections WHERE id = $1 AND cycle_id = $2 AND org_id = $3`+
		t.s.forUpdate(), id, c.cycleID, c.orgID))
	if err != nil {
		return o, notFound(err, "没有这条异议")
	}
	if err := a.Validate(o, c.today); err != nil {
		return o, err
	}
	after := audit.Fields{"answered_on": string(a.On), "ruling": string(a.Ruling), "answer": a.Text,
		"late": a.On > election.AnswerDue(o.FiledOn, c.settings)}
	if a.Ruling == election.Upheld {
		switch o.Kind {
		case election.ObjectAdd:
			v := o.Person
			if err := v.Validate(c.days.Residents); err != nil {
				return o, err
			}
			keys, err := t.standingKeys(ctx, c.cycleID, c.orgID)
			if err != nil {
				return o, err
			}
			if err := election.Twice(v, keys); err != nil {
				return o, errs.OnField("decision", errs.MessageOf(err))
			}
			if err := t.insertVoter(ctx, c, &v, "objection"); err != nil {
				return o, err
			}
			o.ResultVoter = v.ID
			after["added"] = v.Name
		case election.ObjectRemove:
			v, err := t.voter(ctx, c, o.VoterID)
			if err != nil {
				return o, errs.OnField("decision", o.Person.Name+"已不在选民名单上")
			}
			if err := t.markRemoved(ctx, &v, a.On, a.Text); err != nil {
				return o, err
			}
			res, err := t.exec(ctx, `DELETE FROM proxies WHERE giver_id = $1 OR holder_id = $1`, v.ID)
			if err != nil {
				return o, err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				after["proxies_removed"] = n
			}
			o.ResultVoter = v.ID
			after["removed"] = v.Name
		}
	}
	o.AnsweredOn, o.Ruling, o.Answer = a.On, a.Ruling, a.Text
	if _, err := t.exec(ctx, `UPDATE voter_objections SET decision = $1, answer = $2, answered_on = $3, answered_by = $4, result_voter = $5
		WHERE id = $6`, string(a.Ruling), a.Text, string(a.On), t.q.actor.Name, o.ResultVoter, id); err != nil {
		return o, err
	}
	return o, t.Audit(ctx, audit.VoterObjectionAnswer, On("voter_objection", id, code), nil, after)
}

// AddPartyMember puts m on the party members of the community with code.
func (t *Tx) AddPartyMember(ctx context.Context, code string, m election.PartyMember) (election.PartyMember, error) {
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return m, err
	}
	m.Present = false
	if err := m.Validate(c.today); err != nil {
		return m, err
	}
	if err := t.insertPartyMember(ctx, c, &m); err != nil {
		return m, err
	}
	return m, t.Audit(ctx, audit.PartyMemberAdd, On("party_member", m.ID, code), nil, partyFields(m))
}

func partyFields(m election.PartyMember) audit.Fields {
	return audit.Fields{"name": m.Name, "sex": m.Sex, "birth_date": string(m.BirthDate), "party_status": string(m.Status),
		"excused": m.Excused, "attended": m.Present}
}

func (t *Tx) insertPartyMember(ctx context.Context, c electCommunity, m *election.PartyMember) error {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM party_members WHERE cycle_id = $1 AND org_id = $2 AND name = $3 AND birth_date = $4`,
		c.cycleID, c.orgID, m.Name, string(m.BirthDate)).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return errs.OnField("name", m.Name+"(出生于"+m.BirthDate.String()+")已在党员名单上")
	}
	return t.queryRow(ctx, `INSERT INTO party_members (cycle_id, org_id, name, sex, birth_date, status, excused, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, c.cycleID, c.orgID, m.Name, m.Sex, string(m.BirthDate),
		string(m.Status), m.Excused, t.q.actor.Name, t.s.clock()).Scan(&m.ID)
}

// ImportPartyMembers puts every member of list on the party members of the
// community with code, all or none (rows named "members[N]"). Audited once.
func (t *Tx) ImportPartyMembers(ctx context.Context, code string, list []election.PartyMember) (int, error) {
	t.filled("party_members", len(list))
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return 0, err
	}
	for i := range list {
		m := &list[i]
		m.Present = false
		if err := m.Validate(c.today); err != nil {
			return 0, rowError(err, "members", i)
		}
		if err := t.insertPartyMember(ctx, c, m); err != nil {
			return 0, rowError(err, "members", i)
		}
	}
	return len(list), t.Audit(ctx, audit.PartyMemberImport, On("community", code, code), nil, audit.Fields{"rows": len(list)})
}

func (t *Tx) partyMember(ctx context.Context, c electCommunity, id int64) (election.PartyMember, error) {
	var m election.PartyMember
	var present int
	err := t.queryRow(ctx, `SELECT id, name, sex, birth_date, status, excused, present FROM party_members
		WHERE id = $1 AND cycle_id = $2 AND org_id = $3`, id, c.cycleID, c.orgID).
		Scan(&m.ID, &m.Name, &m.Sex, &m.BirthDate, &m.Status, &m.Excused, &present)
	m.Present = present != 0
	return m, notFound(err, "党员名单上没有这名党员")
}

// UpdatePartyMember changes a party member's status and excusal (a member
// losing the vote, or excused, is no longer counted present).
func (t *Tx) UpdatePartyMember(ctx context.Context, code string, id int64, status election.PartyStatus, excused string) (election.PartyMember, error) {
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return election.PartyMember{}, err
	}
	m, err := t.partyMember(ctx, c, id)
	if err != nil {
		return m, err
	}
	before := partyFields(m)
	m.Status, m.Excused = status, excused
	if err := m.Validate(c.today); err != nil {
		return m, err
	}
	if !m.Should() {
		m.Present = false
	}
	if _, err := t.exec(ctx, `UPDATE party_members SET status = $1, excused = $2, present = $3 WHERE id = $4`,
		string(m.Status), m.Excused, intOf(m.Present), id); err != nil {
		return m, err
	}
	return m, t.Audit(ctx, audit.PartyMemberEdit, On("party_member", id, code), before, partyFields(m))
}

func intOf(b bool) int {
	if b {
		return 1
	}
	return 0
}

// MarkPresent marks a party member present at (or, present false, absent
// from) the party's vote, on or after its day (election.CheckPresent).
func (t *Tx) MarkPresent(ctx context.Context, code string, id int64, present bool) (election.PartyMember, error) {
	c, err := t.electCommunity(ctx, code)
	if err != nil {
		return election.PartyMember{}, err
	}
	m, err := t.partyMember(ctx, c, id)
	if err != nil {
		return m, err
	}
	if present {
		if err := election.CheckPresent(m, c.days.Party, c.today); err != nil {
			return m, err
		}
	}
	if _, err := t.exec(ctx, `UPDATE party_members SET present = $1 WHERE id = $2`, intOf(present), id); err != nil {
		return m, err
	}
	before := m.Present
	m.Present = present
	return m, t.Audit(ctx, audit.PartyMemberPresent, On("party_member", id, code), audit.Fields{"attended": before},
		audit.Fields{"name": m.Name, "attended": present})
}
