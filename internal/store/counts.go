package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Counting (issue 15, points 3 and 4; migration 00026). A ballot is one
// vote of a committee of a community in the cycle (its round and
// sequence); its stations and boxes are counted apart (count units), each
// count sheet entered twice by two clerks (election.Desk, the double
// entry), their differences resolved by a coordinator who entered neither,
// the agreed count confirmed when its checks (election.Check) find no
// error and every warning is acknowledged; ballots may also be read aloud
// one by one (唱票, counts_tally.go), whose totals become the first entry.
// A clerk reads only their own entry (MyEntry); both entries are shown only
// to a coordinator, once both are final (CountDesk). Every write is audited
// and every row is a protected record.

// Ballot is one vote as it was opened, with its stations.
type Ballot struct {
	ID           int64                `json:"id"`
	Community    string               `json:"community"`
	Name         string               `json:"community_name"`
	Committee    org.Committee        `json:"committee"`
	Round        election.Round       `json:"round"`
	Seq          int                  `json:"seq"`
	Day          civil.Date           `json:"day"`
	Seats        map[vetting.Post]int `json:"seats"`
	Candidates   []election.Nominee   `json:"candidates"`
	Registered   int                  `json:"registered"`
	ShouldAttend int                  `json:"should_attend"`
	Present      int                  `json:"present"`
	State        election.BallotState `json:"state"`
	VoidReason   string               `json:"void_reason,omitempty"`
	RerunBy      civil.Date           `json:"rerun_by,omitempty"`
	// Total is the sum of the stations' confirmed counts, kept when the
	// ballot's count is confirmed.
	Total    *election.Count `json:"total"`
	OpenedBy string          `json:"opened_by"`
	OpenedAt time.Time       `json:"opened_at"`
	ClosedBy string          `json:"closed_by,omitempty"` // who confirmed or voided it
	ClosedAt *time.Time      `json:"closed_at,omitempty"`
	Units    []CountUnit     `json:"units"`
	// Outcome is what the law made of the confirmed count, per post
	// (ballot_outcomes, decided by ConfirmBallot): nil before.
	Outcome map[vetting.Post]election.Outcome `json:"outcome,omitempty"`
	// Progress says, when confirming it elected the committee, what became
	// of the progress table's vote stage (election_feeds.go), or, when a
	// confirmed ballot is declared void, of the mark its confirmation made
	// (voided.go); not kept.
	Progress string `json:"progress,omitempty"`
	// Results says, after confirming it or declaring it void once
	// confirmed, why the committee's members could not be set ("" when
	// they were, or nothing changed them: electFrom); not kept.
	Results string `json:"results_pending,omitempty"`
}

// VoidedAfterConfirm reports a ballot whose count was confirmed and whose
// outcome elected (or left seats to fill), declared void afterwards by
// hand: a void outcome is void from its confirmation and keeps no valid post.
func (b Ballot) VoidedAfterConfirm() bool {
	if b.State != election.BallotVoid || b.Total == nil || len(b.Outcome) == 0 {
		return false
	}
	for _, o := range b.Outcome {
		if !o.Valid {
			return false
		}
	}
	return true
}

// Contest is what the ballot's counts are checked against.
func (b Ballot) Contest() election.Contest {
	return election.Contest{Committee: b.Committee, Seats: b.Seats, Registered: b.Registered, ShouldAttend: b.ShouldAttend,
		Present: b.Present}
}

// Blank is the ballot's empty count sheet.
func (b Ballot) Blank() election.Count { return election.Blank(b.Candidates) }

// Closed reports a ballot whose counts can no longer change.
func (b Ballot) Closed() bool {
	return b.State == election.BallotConfirmed || b.State == election.BallotVoid
}

// CountUnit is a station or box counted apart, with where its double entry
// stands and who made each entry (never their figures); Count is its
// count once confirmed.
type CountUnit struct {
	ID          int64                `json:"id"`
	BallotID    int64                `json:"ballot_id"`
	Seq         int                  `json:"seq"`
	Name        string               `json:"name"`
	Kind        election.UnitKind    `json:"kind"`
	Station     int64                `json:"station_id,omitempty"` // the registered polling station it is, 0 for none
	Status      election.EntryStatus `json:"status"`
	Clerks      [2]string            `json:"clerks"`
	TallyRead   int                  `json:"tally_read"` // ballots read aloud (唱票)
	TallyDone   bool                 `json:"tally_done"` // the reading finished and became the first entry
	ConfirmedBy string               `json:"confirmed_by,omitempty"`
	ConfirmedAt *time.Time           `json:"confirmed_at,omitempty"`
	Count       *election.Count      `json:"count"`
	resolution  election.Resolution
	coordinated bool // the transaction's account resolved differences of its entries (read by forWrite only)
}

// Tallying reports a unit whose ballots are being read aloud.
func (u CountUnit) Tallying() bool { return u.TallyRead > 0 && !u.TallyDone }

const ballotCols = `b.id, o.code, o.name, b.committee, b.round, b.seq, b.day, b.seats, b.candidates, b.registered, b.should_attend,
	b.present, b.state, b.void_reason, b.rerun_by, b.total, b.opened_by, b.opened_at, b.closed_by, b.closed_at,
	COALESCE((SELECT x.outcome FROM ballot_outcomes x WHERE x.ballot_id = b.id), '')`

func scanBallot(sc interface{ Scan(...any) error }) (Ballot, error) {
	var b Ballot
	var seats, candidates, total, outcome string
	var closed sql.NullTime
	if err := sc.Scan(&b.ID, &b.Community, &b.Name, &b.Committee, &b.Round, &b.Seq, &b.Day, &seats, &candidates, &b.Registered,
		&b.ShouldAttend, &b.Present, &b.State, &b.VoidReason, &b.RerunBy, &total, &b.OpenedBy, &b.OpenedAt, &b.ClosedBy, &closed,
		&outcome); err != nil {
		return b, err
	}
	if outcome != "" {
		if err := json.Unmarshal([]byte(outcome), &b.Outcome); err != nil {
			return b, err
		}
	}
	if err := json.Unmarshal([]byte(seats), &b.Seats); err != nil {
		return b, err
	}
	if err := json.Unmarshal([]byte(candidates), &b.Candidates); err != nil {
		return b, err
	}
	if total != "" {
		b.Total = new(election.Count)
		if err := json.Unmarshal([]byte(total), b.Total); err != nil {
			return b, err
		}
	}
	if closed.Valid {
		b.ClosedAt = &closed.Time
	}
	b.Units = []CountUnit{}
	return b, nil
}

// Ballots returns, in the current cycle, the ballots of the community with
// code in scope (code "": of every community in scope), in tree order, by
// committee and as they were opened, each with its stations.
func (q *Scoped) Ballots(ctx context.Context, code string) ([]Ballot, error) {
	if code != "" {
		if _, err := communityInScope(ctx, q.s.db, q.scope, code); err != nil {
			return nil, err
		}
	}
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := q.scope.Bounds()
	where, args := ``, []any{cycleID, lo, hi}
	if code != "" {
		where, args = ` AND o.code = $4`, append(args, code)
	}
	return q.ballots(ctx, q.s.db, where, args)
}

// Ballot returns the ballot with id, in scope and in the cycle, with its stations.
func (q *Scoped) Ballot(ctx context.Context, id int64) (Ballot, error) {
	return q.ballotIn(ctx, q.s.db, id)
}

func (q *Scoped) ballotIn(ctx context.Context, db querier, id int64) (Ballot, error) {
	return q.ballotWith(ctx, db, id, true)
}

// ballotWith reads the ballot with id, in scope and in the cycle, with
// its stations when units, else without: filing a ballot's report reads
// only the ballot.
func (q *Scoped) ballotWith(ctx context.Context, db querier, id int64, units bool) (Ballot, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return Ballot{}, err
	}
	lo, hi := q.scope.Bounds()
	where, args := ` AND b.id = $4`, []any{cycleID, lo, hi, id}
	list, err := ballotHeads(ctx, db, where, args)
	if err == nil && len(list) > 0 && units {
		err = unitsOf(ctx, db, list, where, args)
	}
	if err != nil {
		return Ballot{}, err
	}
	if len(list) == 0 {
		return Ballot{}, errs.New(errs.NotFound, "没有找到这次投票")
	}
	return list[0], nil
}

// ballots reads the ballots of the cycle ($1) in scope ($2, $3) that where
// selects, with their units.
func (q *Scoped) ballots(ctx context.Context, db querier, where string, args []any) ([]Ballot, error) {
	out, err := ballotHeads(ctx, db, where, args)
	if err != nil || len(out) == 0 {
		return out, err
	}
	return out, unitsOf(ctx, db, out, where, args)
}

// unitsOf reads the count units of ballots list, which the same where and
// args select, into them.
func unitsOf(ctx context.Context, db querier, list []Ballot, where string, args []any) error {
	at := make(map[int64]int, len(list))
	for i, b := range list {
		at[b.ID] = i
	}
	return eachRow(ctx, db, `SELECT `+unitCols+` FROM count_units u JOIN ballots b ON b.id = u.ballot_id JOIN orgs o ON o.id = b.org_id
		WHERE b.cycle_id = $1 AND o.path >= $2 AND o.path < $3`+where+` ORDER BY u.ballot_id, u.seq`, func(rows *sql.Rows) error {
		u, err := scanUnit(rows)
		if i, ok := at[u.BallotID]; ok && err == nil {
			list[i].Units = append(list[i].Units, u)
		}
		return err
	}, args...)
}

// ballotHeads is ballots without their count units (stations).
func ballotHeads(ctx context.Context, db querier, where string, args []any) ([]Ballot, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+ballotCols+` FROM ballots b JOIN orgs o ON o.id = b.org_id
		WHERE b.cycle_id = $1 AND o.path >= $2 AND o.path < $3`+where+` ORDER BY o.path, b.committee, b.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Ballot{}
	for rows.Next() {
		b, err := scanBallot(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

const unitCols = `u.id, u.ballot_id, u.seq, u.name, u.kind, COALESCE((SELECT s.station_id FROM unit_stations s WHERE s.unit_id = u.id), 0), u.status, u.resolution, u.tally_read, u.tally_done, u.confirmed_by, u.confirmed_at,
	COALESCE((SELECT e.clerk FROM count_entries e WHERE e.unit_id = u.id AND e.n = 1), ''),
	COALESCE((SELECT e.clerk FROM count_entries e WHERE e.unit_id = u.id AND e.n = 2), ''),
	CASE WHEN u.status = 'confirmed' THEN COALESCE((SELECT e.count FROM count_entries e WHERE e.unit_id = u.id
		AND e.n = CASE WHEN u.resolution = 'keep_second' THEN 2 ELSE 1 END), '') ELSE '' END`

func scanUnit(sc interface{ Scan(...any) error }) (CountUnit, error) {
	var u CountUnit
	var done int
	var at sql.NullTime
	var count string
	if err := sc.Scan(&u.ID, &u.BallotID, &u.Seq, &u.Name, &u.Kind, &u.Station, &u.Status, &u.resolution, &u.TallyRead, &done, &u.ConfirmedBy, &at,
		&u.Clerks[0], &u.Clerks[1], &count); err != nil {
		return u, err
	}
	u.TallyDone = done != 0
	if at.Valid {
		u.ConfirmedAt = &at.Time
	}
	if count != "" {
		u.Count = new(election.Count)
		if err := json.Unmarshal([]byte(count), u.Count); err != nil {
			return u, err
		}
	}
	return u, nil
}

// scanMore scans a row into a scanner's destinations and then more.
type scanMore struct {
	sc   interface{ Scan(...any) error }
	more []any
}

func (s scanMore) Scan(dest ...any) error { return s.sc.Scan(append(dest, s.more...)...) }

// unitIn reads the unit with id, in scope and in the cycle, with its
// ballot and the ballot's other units: the ballot and its units in two
// statements.
func (q *Scoped) unitIn(ctx context.Context, db querier, id int64) (Ballot, CountUnit, error) {
	b, err := q.unitsBallot(ctx, db, id, "")
	if err != nil {
		return b, CountUnit{}, err
	}
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return b, CountUnit{}, err
	}
	list := []Ballot{b}
	lo, hi := q.scope.Bounds()
	if err := unitsOf(ctx, db, list, ` AND b.id = $4`, []any{cycleID, lo, hi, b.ID}); err != nil {
		return b, CountUnit{}, err
	}
	b = list[0]
	for _, u := range b.Units {
		if u.ID == id {
			return b, u, nil
		}
	}
	return b, CountUnit{}, errs.New(errs.NotFound, "没有找到这个计票点")
}

// unitsBallot reads the ballot, in scope and in the cycle, of the unit
// with id, without its units; of (forUpdateOf) locks the unit's row.
func (q *Scoped) unitsBallot(ctx context.Context, db querier, id int64, of string) (Ballot, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return Ballot{}, err
	}
	lo, hi := q.scope.Bounds()
	b, err := scanBallot(db.QueryRowContext(ctx, `SELECT `+ballotCols+` FROM count_units u JOIN ballots b ON b.id = u.ballot_id
		JOIN orgs o ON o.id = b.org_id WHERE u.id = $4 AND b.cycle_id = $1 AND o.path >= $2 AND o.path < $3`+of, cycleID, lo, hi, id))
	return b, notFound(err, "没有找到这个计票点")
}

// forWrite locks the unit with id and reads it in the transaction with its
// ballot (not the ballot's other units, which no write of one unit reads)
// and its double entry: the ballot must still be counted. Two statements,
// the lock with the ballot and then the unit with its entries and the
// number of its open differences, read after the lock so that they are
// what a write that held it committed (on PostgreSQL a statement that
// waits for a lock reads the other tables as they were when it began).
// Before, a unit's write read the ballot, every unit of it, the entries,
// the open differences and the coordinator's in five statements, each
// step of a count: about 8,700 of the 46,000 statements of the demo's
// elections.
func (t *Tx) forWrite(ctx context.Context, unitID int64) (Ballot, CountUnit, election.Desk, error) {
	b, err := t.q.unitsBallot(ctx, t.tx, unitID, t.s.forUpdateOf("u"))
	if err != nil {
		return b, CountUnit{}, election.Desk{}, err
	}
	if b.Closed() {
		return b, CountUnit{}, election.Desk{}, errs.Newf(errs.Conflict, "这次投票%s,不能再改动计票", b.State.Label())
	}
	u, d, err := t.deskOf(ctx, unitID)
	return b, u, d, err
}

// deskOf reads the unit with id and its double entry in the transaction,
// with whether the transaction's account coordinated it, in one
// statement: a row for each entry (one without any).
func (t *Tx) deskOf(ctx context.Context, unitID int64) (CountUnit, election.Desk, error) {
	var u CountUnit
	var d election.Desk
	err := eachRow(ctx, t.tx, `SELECT `+unitCols+`, (SELECT COUNT(*) FROM count_differences x WHERE x.unit_id = u.id AND x.resolution = ''),
		EXISTS (SELECT 1 FROM count_differences x WHERE x.unit_id = u.id AND x.resolved_by = $2),
		COALESCE(e.n, 0), COALESCE(e.clerk, ''), COALESCE(e.count, ''), COALESCE(e.final, 0), COALESCE(e.returned, 0)
		FROM count_units u LEFT JOIN count_entries e ON e.unit_id = u.id WHERE u.id = $1`, func(rows *sql.Rows) error {
		var open, n, final, returned int
		var coordinated bool
		var raw string
		s := &election.Sheet{}
		var err error
		if u, err = scanUnit(scanMore{rows, []any{&open, &coordinated, &n, &s.Clerk, &raw, &final, &returned}}); err != nil {
			return err
		}
		u.coordinated = coordinated
		// Only their number tells the desk's status; their fields are in the rows.
		d.Differences = make([]election.Difference, open)
		if n != 1 && n != 2 {
			return nil
		}
		s.Final, s.Returned = final != 0, returned != 0
		d.Sheets[n-1] = s
		return json.Unmarshal([]byte(raw), &s.Count)
	}, unitID, t.q.actor.Name)
	if err == nil && u.ID == 0 {
		err = errs.New(errs.NotFound, "没有找到这个计票点")
	}
	d.Resolution, d.Confirmed = u.resolution, u.Status == election.EntryConfirmed
	return u, d, err
}

// entriesOf reads the entries of unit id.
func entriesOf(ctx context.Context, db querier, id int64) ([2]*election.Sheet, error) {
	var out [2]*election.Sheet
	rows, err := db.QueryContext(ctx, `SELECT n, clerk, count, final, returned FROM count_entries WHERE unit_id = $1`, id)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var n, final, returned int
		var raw string
		s := &election.Sheet{}
		if err := rows.Scan(&n, &s.Clerk, &raw, &final, &returned); err != nil {
			return out, err
		}
		if err := json.Unmarshal([]byte(raw), &s.Count); err != nil {
			return out, err
		}
		s.Final, s.Returned = final != 0, returned != 0
		if n == 1 || n == 2 {
			out[n-1] = s
		}
	}
	return out, rows.Err()
}

// setStatus keeps the unit's status (and resolution) as the desk says.
func (t *Tx) setStatus(ctx context.Context, unitID int64, d *election.Desk) error {
	_, err := t.exec(ctx, `UPDATE count_units SET status = $1, resolution = $2 WHERE id = $3`, string(d.Status()), string(d.Resolution), unitID)
	return err
}

// counting moves an open ballot to counting, at its first count.
func (t *Tx) counting(ctx context.Context, b Ballot) error {
	if b.State != election.BallotOpen {
		return nil
	}
	_, err := t.exec(ctx, `UPDATE ballots SET state = $1 WHERE id = $2`, string(election.BallotCounting), b.ID)
	return err
}

// OpenBallot opens a ballot of the community with code in the
// transaction's scope (election.Opening's rules): its day the committee's
// election day unless given, its seats the community's unless given, its
// candidates the standing ones of the committee's formal list unless some
// are chosen, its electorate the registers' counts unless typed
// (ElectorateCounts). A first ballot is opened once (again only as a repeat after
// it was void); each round's ballots are numbered in turn. It opens with
// its main venue (主会场) as its first station. Audited.
func (t *Tx) OpenBallot(ctx context.Context, code string, o election.Opening) (Ballot, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return Ballot{}, err
	}
	orgID, err := t.communityID(ctx, code)
	if err != nil {
		return Ballot{}, err
	}
	if o.Committee != org.PartyCommittee && o.Committee != org.ResidentsCommittee {
		return Ballot{}, errs.OnField("committee", "请选择党组织委员会或居民委员会")
	}
	if o.Day == "" {
		days, err := t.daysOf(ctx, orgID)
		if err != nil {
			return Ballot{}, err
		}
		o.Day = days.For(progress.Election(o.Committee))
	}
	if o.Seats == nil {
		cs, err := t.q.Seats(ctx, code)
		if err != nil {
			return Ballot{}, err
		}
		s, ok := cs.Seats[o.Committee]
		if !ok {
			return Ballot{}, errs.OnField("seats", "尚未设定"+o.Committee.Label()+"职数,请先设定职数或填写应选人数")
		}
		o.Seats = map[vetting.Post]int{}
		for _, p := range vetting.PostsOf(o.Committee) {
			if n := s.Of(p); n > 0 {
				o.Seats[p] = n
			}
		}
	}
	if o.Registered == 0 && o.ShouldAttend == 0 && o.Present == 0 {
		// Not typed: the electorate as registered (the register, the party
		// members who should attend and those marked present).
		n, err := t.q.electorateCounts(ctx, t.tx, code)
		if err != nil {
			return Ballot{}, err
		}
		if o.Committee == org.PartyCommittee {
			o.ShouldAttend, o.Present = n.ShouldAttend, n.Present
		} else {
			o.Registered = n.Registered
		}
	}
	lists, err := t.q.FormalLists(ctx, code)
	if err != nil {
		return Ballot{}, err
	}
	var listed []election.Nominee
	for _, l := range lists {
		if l.Committee != o.Committee {
			continue
		}
		for _, c := range l.Candidates {
			if c.Standing() {
				listed = append(listed, election.Nominee{Key: itoa(c.AspirantID), Name: c.Name, Sex: c.Sex, Post: c.Post})
			}
		}
	}
	chosen, err := o.Validate(listed)
	if err != nil {
		return Ballot{}, err
	}
	var firsts, voids, seq int
	if err := t.queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN round IN ('first', 'repeat') AND state <> 'void' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN state = 'void' THEN 1 ELSE 0 END), 0), COALESCE(MAX(CASE WHEN round = $4 THEN seq END), 0)
		FROM ballots WHERE cycle_id = $1 AND org_id = $2 AND committee = $3`, cycleID, orgID, string(o.Committee), string(o.Round)).
		Scan(&firsts, &voids, &seq); err != nil {
		return Ballot{}, err
	}
	switch {
	case (o.Round == election.FirstRound || o.Round == election.RepeatRound) && firsts > 0:
		return Ballot{}, errs.OnField("round", o.Committee.Label()+"已开启第一次投票;只有选举无效后才能重新选举")
	case o.Round == election.RepeatRound && voids == 0:
		return Ballot{}, errs.OnField("round", "没有被宣布无效的选举,不能重新选举")
	case o.Round == election.FirstRound && voids > 0:
		return Ballot{}, errs.OnField("round", "选举已被宣布无效,请开启重新选举")
	}
	seats, _ := json.Marshal(o.Seats)
	candidates, _ := json.Marshal(chosen)
	now := t.s.clock()
	b := Ballot{Community: code, Committee: o.Committee, Round: o.Round, Seq: seq + 1, Day: o.Day, Seats: o.Seats, Candidates: chosen,
		Registered: o.Registered, ShouldAttend: o.ShouldAttend, Present: o.Present, State: election.BallotOpen,
		OpenedBy: t.q.actor.Name, OpenedAt: now}
	if err := t.queryRow(ctx, `INSERT INTO ballots (cycle_id, org_id, committee, round, seq, day, seats, candidates, registered, should_attend,
		present, state, opened_by, opened_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		cycleID, orgID, string(o.Committee), string(o.Round), b.Seq, string(o.Day), string(seats), string(candidates), o.Registered,
		o.ShouldAttend, o.Present, string(b.State), b.OpenedBy, now).Scan(&b.ID); err != nil {
		return b, err
	}
	var names []any
	for _, n := range chosen {
		names = append(names, n.Name+"("+n.Post.Label()+")")
	}
	seatList := []any{}
	for _, p := range vetting.PostsOf(o.Committee) {
		if n, ok := o.Seats[p]; ok {
			seatList = append(seatList, p.Label()+strconv.Itoa(n)+"名")
		}
	}
	if err := t.Audit(ctx, audit.BallotOpen, On("ballot", b.ID, code), nil, audit.Fields{"committee": string(o.Committee),
		"round": string(o.Round), "seq": b.Seq, "day": string(o.Day), "seats": seatList, "candidates": names, "registered": o.Registered,
		"should_attend": o.ShouldAttend, "present": o.Present}); err != nil {
		return b, err
	}
	// The committee's registered polling stations are its count units;
	// without any, the ballot is counted at one main hall.
	stations, err := t.q.stationsIn(ctx, t.tx, code, o.Committee)
	if err != nil {
		return b, err
	}
	if len(stations) == 0 {
		stations = []election.Station{{Name: "主会场", Kind: election.MainHall}}
	}
	for i := range stations {
		u, err := t.addUnit(ctx, b, "", "", &stations[i])
		if err != nil {
			return b, err
		}
		b.Units = append(b.Units, u)
	}
	return b, nil
}

// AddCountUnit adds a station or box, counted apart, to the ballot with
// id: the registered polling station of the ballot's committee with id
// station, or, with station 0, one named here.
func (t *Tx) AddCountUnit(ctx context.Context, ballotID int64, name string, kind election.UnitKind, station int64) (CountUnit, error) {
	b, err := t.q.ballotIn(ctx, t.tx, ballotID)
	if err != nil {
		return CountUnit{}, err
	}
	if b.Closed() {
		return CountUnit{}, errs.Newf(errs.Conflict, "这次投票%s,不能再设立计票点", b.State.Label())
	}
	if station == 0 {
		return t.addUnit(ctx, b, name, kind, nil)
	}
	s, err := t.stationOf(ctx, b, station)
	if err != nil {
		return CountUnit{}, err
	}
	for _, u := range b.Units {
		if u.Station == station {
			return CountUnit{}, errs.OnField("station_id", "投票站“"+s.Name+"”已是这次投票的计票点")
		}
	}
	return t.addUnit(ctx, b, "", "", &s)
}

// stationOf reads the registered polling station with id of ballot b's
// committee, with what it lacks.
func (t *Tx) stationOf(ctx context.Context, b Ballot, id int64) (election.Station, error) {
	stations, err := t.q.stationsIn(ctx, t.tx, b.Community, b.Committee)
	if err != nil {
		return election.Station{}, err
	}
	for _, s := range stations {
		if s.ID == id {
			return s, nil
		}
	}
	return election.Station{}, errs.OnField("station_id", "没有找到"+b.Committee.Label()+"选举的这个投票站")
}

// stationReady refuses a count at unit u while the polling station it is
// lacks what a count needs (election.Station.Ready).
func (t *Tx) stationReady(ctx context.Context, b Ballot, u CountUnit) error {
	if u.Station == 0 {
		return nil
	}
	s, err := t.stationOf(ctx, b, u.Station)
	if err != nil {
		return err
	}
	return s.NotReady()
}

// addUnit adds a unit named name of kind, or, with station not nil, the
// polling station station is (its ID 0 for the main hall of a ballot
// without registered stations).
func (t *Tx) addUnit(ctx context.Context, b Ballot, name string, kind election.UnitKind, station *election.Station) (CountUnit, error) {
	if station != nil {
		name, kind = station.Name, station.Kind
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "" || utf8.RuneCountInString(name) > 40:
		return CountUnit{}, errs.OnField("name", "请填写计票点名称(最多40个字),如“第一分会场”“流动票箱一”")
	case !kind.Valid():
		return CountUnit{}, errs.OnField("kind", "请选择主会场、分会场或流动票箱")
	}
	for _, u := range b.Units {
		if u.Name == name {
			return CountUnit{}, errs.OnField("name", "这次投票已有名为“"+name+"”的计票点")
		}
	}
	u := CountUnit{BallotID: b.ID, Seq: len(b.Units) + 1, Name: name, Kind: kind, Status: election.EntryNone}
	if err := t.queryRow(ctx, `INSERT INTO count_units (ballot_id, seq, name, kind, status) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		b.ID, u.Seq, name, string(kind), string(u.Status)).Scan(&u.ID); err != nil {
		if isUnique(err) {
			return u, errs.OnField("name", "这次投票已有名为“"+name+"”的计票点")
		}
		return u, err
	}
	fields := audit.Fields{"ballot": b.ID, "name": name, "kind": string(kind)}
	if station != nil && station.ID != 0 {
		u.Station = station.ID
		if _, err := t.exec(ctx, `INSERT INTO unit_stations (unit_id, station_id) VALUES ($1, $2)`, u.ID, u.Station); err != nil {
			return u, err
		}
		fields["station_id"] = u.Station
	}
	return u, t.Audit(ctx, audit.CountUnitAdd, On("count_unit", u.ID, b.Community), nil, fields)
}

// VoidBallot declares the ballot with id void for reason (returned ballots
// outnumbering those issued, a turnout short of the law, a procedure
// broken): it must be held again by its day plus the cycle's RerunDays.
// A ballot already confirmed (the higher level finds the vote void) may be
// declared void only by an account that may confirm counts (Forbidden
// otherwise); what its confirmation set follows (afterVoid, voided.go):
// the committee's members are those of its remaining valid ballots, the
// vote stage its confirmation marked is taken back, and b.Results and
// b.Progress say what became of them.
func (t *Tx) VoidBallot(ctx context.Context, id int64, reason string) (Ballot, error) {
	reason = strings.TrimSpace(reason)
	b, err := t.q.ballotIn(ctx, t.tx, id)
	if err != nil {
		return b, err
	}
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return b, errs.OnField("reason", "请写明选举无效的理由(最多500字)")
	}
	if b.State == election.BallotVoid {
		return b, errs.New(errs.Conflict, "这次投票已被宣布无效")
	}
	confirmed := b.State == election.BallotConfirmed
	if confirmed && !t.q.Can(account.CoordinateCount) {
		return b, errs.New(errs.Forbidden, "这次投票的计票结果已确认,宣布其无效须由有权确认计票结果的人员办理")
	}
	settings, err := t.electionSettings(ctx)
	if err != nil {
		return b, err
	}
	before := b.State
	b.State, b.VoidReason, b.RerunBy, b.ClosedBy = election.BallotVoid, reason, b.Day.AddDays(settings.RerunDays), t.q.actor.Name
	now := t.s.clock()
	b.ClosedAt = &now
	if _, err := t.exec(ctx, `UPDATE ballots SET state = $1, void_reason = $2, rerun_by = $3, closed_by = $4, closed_at = $5 WHERE id = $6`,
		string(b.State), reason, string(b.RerunBy), b.ClosedBy, now, b.ID); err != nil {
		return b, err
	}
	after := audit.Fields{"state": string(b.State), "reason": reason, "rerun_by": string(b.RerunBy)}
	if confirmed {
		after["after_confirmation"] = true
	}
	if err := t.Audit(ctx, audit.BallotVoid, On("ballot", b.ID, b.Community), audit.Fields{"state": string(before)}, after); err != nil {
		return b, err
	}
	if confirmed {
		err = t.afterVoid(ctx, &b, settings)
	}
	return b, err
}

// MyEntry is what a clerk sees of a station's double entry: the station,
// its status, and only their own entry (N 1 or 2, 0 when they made none),
// never the other's figures; whether they may enter now or why not; the
// findings of the checks on their entry; and, when the coordinator
// returned it, which fields differed (not the other's values).
type MyEntry struct {
	Ballot   Ballot             `json:"ballot"`
	Unit     CountUnit          `json:"unit"`
	N        int                `json:"entry"`
	Sheet    *election.Sheet    `json:"sheet"`
	Findings []election.Finding `json:"findings"`
	CanEnter bool               `json:"can_enter"`
	Why      string             `json:"why,omitempty"`
	Differed []string           `json:"differed,omitempty"`
}

// MyEntry reads the entry the signed-in clerk made of the unit with id.
func (q *Scoped) MyEntry(ctx context.Context, unitID int64) (MyEntry, error) {
	b, u, err := q.unitIn(ctx, q.s.db, unitID)
	if err != nil {
		return MyEntry{}, err
	}
	sheets, err := entriesOf(ctx, q.s.db, unitID)
	if err != nil {
		return MyEntry{}, err
	}
	v := MyEntry{Ballot: b, Unit: u, Findings: []election.Finding{}}
	d := election.Desk{Sheets: sheets, Confirmed: u.Status == election.EntryConfirmed}
	if i := d.SlotOf(q.actor.Name); i >= 0 {
		v.N, v.Sheet = i+1, sheets[i]
		settings, err := q.ElectionSettings(ctx)
		if err != nil {
			return v, err
		}
		v.Findings = election.Check(sheets[i].Count, b.Contest(), settings)
		if sheets[i].Returned {
			if v.Differed, err = q.differed(ctx, unitID); err != nil {
				return v, err
			}
		}
	}
	_, why := d.Slot(q.actor.Name)
	switch {
	case b.Closed():
		why = errs.Newf(errs.Conflict, "这次投票%s,不能再录入", b.State.Label())
	case why == nil && v.N == 0 && u.Tallying():
		why = errs.New(errs.Conflict, "本计票点正在唱票,唱票结束后其结果作为第一次录入")
	case why == nil && v.N == 0:
		why = q.coordinated(ctx, q.s.db, unitID)
	}
	v.CanEnter, v.Why = why == nil, errs.MessageOf(why)
	if why == nil {
		v.Why = ""
	}
	if v.N == 0 && why == nil {
		n, _ := d.Slot(q.actor.Name)
		v.N = n + 1
	}
	return v, nil
}

// coordinated refuses as a clerk an account that already coordinated the
// unit's entries: it has seen both.
func (q *Scoped) coordinated(ctx context.Context, db querier, unitID int64) error {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM count_differences WHERE unit_id = $1 AND resolved_by = $2`, unitID,
		q.actor.Name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return errCoordinated
	}
	return nil
}

var errCoordinated = errs.New(errs.Forbidden, "你已作为协调员处理过本计票点的录入,不能再做录入员")

// differed names the fields of the last comparison of the unit that its
// coordinator returned an entry over.
func (q *Scoped) differed(ctx context.Context, unitID int64) ([]string, error) {
	rows, err := q.s.db.QueryContext(ctx, `SELECT label FROM count_differences WHERE unit_id = $1 AND comparison =
		(SELECT MAX(comparison) FROM count_differences WHERE unit_id = $1) ORDER BY id`, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// SaveEntry saves the signed-in clerk's entry c of the unit with id (the
// first or the second, election.Desk's rules), as a draft or finalised;
// fillZero first fills every empty field but 参加投票人数 with 0 (其余填0,
// audited apart). The entry is normalised to the ballot's lines
// (election.Normalise refuses bad rows on their field). When both entries
// are final they are compared: each difference is kept and audited.
func (t *Tx) SaveEntry(ctx context.Context, unitID int64, c election.Count, final, fillZero bool) (int, error) {
	b, u, d, err := t.forWrite(ctx, unitID)
	if err != nil {
		return 0, err
	}
	if err := t.stationReady(ctx, b, u); err != nil {
		return 0, err
	}
	c, err = election.Normalise(c, b.Committee, b.Seats, b.Candidates)
	if err != nil {
		return 0, err
	}
	i, err := d.Slot(t.q.actor.Name)
	if err != nil {
		return 0, err
	}
	if d.Sheets[i] == nil {
		if u.Tallying() {
			return 0, errs.New(errs.Conflict, "本计票点正在唱票,唱票结束后其结果作为第一次录入")
		}
		if u.coordinated {
			return 0, errCoordinated
		}
	}
	var filled []string
	if fillZero {
		filled = election.FillZero(&c)
	}
	return i + 1, t.putEntry(ctx, b, u, &d, c, final, filled)
}

// putEntry saves clerk's entry c on desk d of unit u, compares a second
// final entry and audits it all.
func (t *Tx) putEntry(ctx context.Context, b Ballot, u CountUnit, d *election.Desk, c election.Count, final bool, filled []string) error {
	var before audit.Fields
	if i := d.SlotOf(t.q.actor.Name); i >= 0 {
		before = countFields(d.Sheets[i].Count)
	}
	i, err := d.Save(t.q.actor.Name, c, final)
	if err != nil {
		return err
	}
	raw, _ := json.Marshal(c)
	s := d.Sheets[i]
	if _, err := t.exec(ctx, `INSERT INTO count_entries (unit_id, n, clerk, count, final, returned, saved_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (unit_id, n) DO UPDATE SET clerk = excluded.clerk, count = excluded.count, final = excluded.final,
		returned = excluded.returned, saved_at = excluded.saved_at`,
		u.ID, i+1, s.Clerk, string(raw), boolInt(s.Final), boolInt(s.Returned), t.s.clock()); err != nil {
		return err
	}
	if err := t.setStatus(ctx, u.ID, d); err != nil {
		return err
	}
	if err := t.counting(ctx, b); err != nil {
		return err
	}
	on := On("count_unit", u.ID, b.Community)
	after := countFields(c)
	after["entry"] = i + 1
	act := audit.CountSave
	if final {
		act = audit.CountFinalise
	}
	if len(filled) > 0 {
		labels := make([]any, len(filled))
		for k, f := range filled {
			labels[k] = c.FieldLabel(f)
		}
		if err := t.Audit(ctx, audit.CountFillZero, on, nil, audit.Fields{"entry": i + 1, "filled": labels}); err != nil {
			return err
		}
	}
	if err := t.Audit(ctx, act, on, before, after); err != nil {
		return err
	}
	if !final || d.Sheets[0] == nil || d.Sheets[1] == nil || !d.Sheets[0].Final || !d.Sheets[1].Final {
		return nil
	}
	if len(d.Differences) == 0 {
		return nil
	}
	var comparison int
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(comparison), 0) + 1 FROM count_differences WHERE unit_id = $1`, u.ID).Scan(&comparison); err != nil {
		return err
	}
	list := make([]any, len(d.Differences))
	for k, x := range d.Differences {
		first, _ := json.Marshal(x.First)
		second, _ := json.Marshal(x.Second)
		if _, err := t.exec(ctx, `INSERT INTO count_differences (unit_id, comparison, field, label, first_value, second_value)
			VALUES ($1, $2, $3, $4, $5, $6)`, u.ID, comparison, x.Field, x.Label, string(first), string(second)); err != nil {
			return err
		}
		list[k] = x.Label + ":第一次 " + valueText(string(first)) + ",第二次 " + valueText(string(second))
	}
	return t.Audit(ctx, audit.CountDiffer, on, nil, audit.Fields{"comparison": comparison, "differences": list})
}

// valueText is a value of a count sheet kept as JSON, as people read it:
// a number, a name, or 空 for a field left empty.
func valueText(raw string) string {
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil || v == nil {
		return "空"
	}
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// countFields are a count sheet's figures as the audit log keeps them.
func countFields(c election.Count) audit.Fields {
	n := func(p *int) any {
		if p == nil {
			return nil
		}
		return *p
	}
	t := func(p *int) string {
		if p == nil {
			return "空"
		}
		return strconv.Itoa(*p)
	}
	lines := make([]any, len(c.Lines))
	for i, l := range c.Lines {
		lines[i] = fmt.Sprintf("%s(%s)赞成%s 不赞成%s 弃权%s", l.Name, l.Post.Label(), t(l.Yes), t(l.No), t(l.Abstain))
	}
	writeIns := make([]any, len(c.WriteIns))
	for i, w := range c.WriteIns {
		writeIns[i] = fmt.Sprintf("%s(%s)%s票", w.Name, w.Post.Label(), t(w.Yes))
	}
	return audit.Fields{"voted": n(c.Voted), "ballots_issued": n(c.Issued), "ballots_returned": n(c.Returned),
		"valid_ballots": n(c.Valid), "invalid_ballots": n(c.Invalid), "lines": lines, "write_ins": writeIns}
}

// CountDifference is one difference of two entries as the coordinator
// reads it, with its resolution once made.
type CountDifference struct {
	ID         int64               `json:"id"`
	Comparison int                 `json:"comparison"`
	Field      string              `json:"field"`
	Label      string              `json:"label"`
	First      string              `json:"first"`
	Second     string              `json:"second"`
	Resolution election.Resolution `json:"resolution"`
	ResolvedBy string              `json:"resolved_by"`
	ResolvedAt *time.Time          `json:"resolved_at"`
}

// Ack is a warning the coordinator acknowledged.
type Ack struct {
	Code    string    `json:"code"`
	Message string    `json:"message"`
	By      string    `json:"acked_by"`
	At      time.Time `json:"acked_at"`
}

// Desk is a station's double entry as its coordinator sees it: both
// entries once both are final (before, who is entering only), every
// difference of every comparison with its resolution, the agreed count
// with the findings of its checks and the warnings acknowledged.
type Desk struct {
	Ballot      Ballot             `json:"ballot"`
	Unit        CountUnit          `json:"unit"`
	Sheets      [2]*election.Sheet `json:"entries"`
	Differences []CountDifference  `json:"differences"`
	Result      *election.Count    `json:"result"`
	Findings    []election.Finding `json:"findings"`
	Acks        []Ack              `json:"acks"`
}

// CountDesk reads the double entry of the unit with id for its coordinator,
// refused to a clerk of either entry.
func (q *Scoped) CountDesk(ctx context.Context, unitID int64) (Desk, error) {
	b, u, err := q.unitIn(ctx, q.s.db, unitID)
	if err != nil {
		return Desk{}, err
	}
	sheets, err := entriesOf(ctx, q.s.db, unitID)
	if err != nil {
		return Desk{}, err
	}
	d := election.Desk{Sheets: sheets, Resolution: u.resolution, Confirmed: u.Status == election.EntryConfirmed}
	if d.SlotOf(q.actor.Name) >= 0 {
		return Desk{}, errs.New(errs.Forbidden, "你是本计票点的录入员,不能查看另一次录入或协调处理")
	}
	v := Desk{Ballot: b, Unit: u, Differences: []CountDifference{}, Findings: []election.Finding{}, Acks: []Ack{}}
	both := sheets[0] != nil && sheets[1] != nil && sheets[0].Final && sheets[1].Final
	for i, s := range sheets {
		if s != nil {
			v.Sheets[i] = &election.Sheet{Clerk: s.Clerk, Final: s.Final, Returned: s.Returned}
			if both || u.Status == election.EntryConfirmed {
				v.Sheets[i].Count = s.Count
			}
		}
	}
	rows, err := q.s.db.QueryContext(ctx, `SELECT id, comparison, field, label, first_value, second_value, resolution, resolved_by,
		resolved_at FROM count_differences WHERE unit_id = $1 ORDER BY comparison DESC, id`, unitID)
	if err != nil {
		return v, err
	}
	defer rows.Close()
	for rows.Next() {
		var x CountDifference
		var at sql.NullTime
		if err := rows.Scan(&x.ID, &x.Comparison, &x.Field, &x.Label, &x.First, &x.Second, &x.Resolution, &x.ResolvedBy, &at); err != nil {
			return v, err
		}
		if x.Resolution == "" {
			d.Differences = append(d.Differences, election.Difference{})
		}
		x.First, x.Second = valueText(x.First), valueText(x.Second)
		if at.Valid {
			x.ResolvedAt = &at.Time
		}
		v.Differences = append(v.Differences, x)
	}
	if err := rows.Err(); err != nil {
		return v, err
	}
	rows.Close()
	if c, ok := d.Result(); ok {
		v.Result = &c
		settings, err := q.ElectionSettings(ctx)
		if err != nil {
			return v, err
		}
		v.Findings = election.Check(c, b.Contest(), settings)
	}
	v.Acks, err = acksOf(ctx, q.s.db, b.ID, unitID)
	return v, err
}

// acksOf are the warnings acknowledged on unit (0: the ballot's total).
func acksOf(ctx context.Context, db querier, ballotID, unitID int64) ([]Ack, error) {
	rows, err := db.QueryContext(ctx, `SELECT code, message, acked_by, acked_at FROM count_acks WHERE ballot_id = $1 AND unit_id = $2 ORDER BY id`,
		ballotID, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Ack{}
	for rows.Next() {
		var a Ack
		if err := rows.Scan(&a.Code, &a.Message, &a.By, &a.At); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func ackedCodes(acks []Ack) map[string]bool {
	out := map[string]bool{}
	for _, a := range acks {
		out[a.Code] = true
	}
	return out
}

// ResolveCount applies the coordinator's resolution to the entries of the
// unit with id (election.Desk.Resolve's rules): each open difference is
// marked with it; a returned entry is its clerk's draft again; discarded
// entries are deleted (the log keeps them). Acknowledgements of the count
// go with a returned or discarded entry.
func (t *Tx) ResolveCount(ctx context.Context, unitID int64, r election.Resolution) error {
	b, _, d, err := t.forWrite(ctx, unitID)
	if err != nil {
		return err
	}
	sheets := d.Sheets
	if err := d.Resolve(t.q.actor.Name, r); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE count_differences SET resolution = $1, resolved_by = $2, resolved_at = $3 WHERE unit_id = $4 AND resolution = ''`,
		string(r), t.q.actor.Name, t.s.clock(), unitID); err != nil {
		return err
	}
	before := audit.Fields{}
	switch r {
	case election.ReturnFirst, election.ReturnSecond:
		n := 1
		if r == election.ReturnSecond {
			n = 2
		}
		if _, err := t.exec(ctx, `UPDATE count_entries SET final = 0, returned = 1 WHERE unit_id = $1 AND n = $2`, unitID, n); err != nil {
			return err
		}
		before["clerk"] = sheets[n-1].Clerk
	case election.DiscardBoth:
		if _, err := t.exec(ctx, `DELETE FROM count_entries WHERE unit_id = $1`, unitID); err != nil {
			return err
		}
		before["first_entry"], before["second_entry"] = countFields(sheets[0].Count), countFields(sheets[1].Count)
	}
	if r != election.KeepFirst && r != election.KeepSecond {
		if _, err := t.exec(ctx, `DELETE FROM count_acks WHERE ballot_id = $1 AND unit_id = $2`, b.ID, unitID); err != nil {
			return err
		}
	}
	if err := t.setStatus(ctx, unitID, &d); err != nil {
		return err
	}
	return t.Audit(ctx, audit.CountResolve, On("count_unit", unitID, b.Community), before,
		audit.Fields{"resolution": string(r), "status": string(d.Status())})
}

// AcknowledgeCount records that the coordinator read the warning code of
// the agreed count of the unit with id (unitID 0 with ballotID: of the
// ballot's total once every station is confirmed).
func (t *Tx) AcknowledgeCount(ctx context.Context, ballotID, unitID int64, code string) error {
	var b Ballot
	var findings []election.Finding
	var err error
	if unitID != 0 {
		var d election.Desk
		if b, _, d, err = t.forWrite(ctx, unitID); err != nil {
			return err
		}
		if d.SlotOf(t.q.actor.Name) >= 0 {
			return errs.New(errs.Forbidden, "你是本计票点的录入员,不能确认自己参与录入的计票结果")
		}
		c, ok := d.Result()
		if !ok {
			return errs.Newf(errs.Conflict, "计票结果%s,两次录入一致后才能确认提醒", d.Status().Label())
		}
		if findings, err = t.findings(ctx, c, b); err != nil {
			return err
		}
	} else {
		if b, findings, err = t.ballotFindings(ctx, ballotID); err != nil {
			return err
		}
		if b.clerk(t.q.actor.Name) {
			return errs.New(errs.Forbidden, "你是这次投票的录入员,不能确认其计票结果")
		}
	}
	var found *election.Finding
	for i, f := range findings {
		if f.Code == code && !f.Error {
			found = &findings[i]
		}
	}
	if found == nil {
		return errs.OnField("code", "计票结果没有这项提醒")
	}
	acks, err := acksOf(ctx, t.tx, b.ID, unitID)
	if err != nil {
		return err
	}
	if ackedCodes(acks)[code] {
		return errs.New(errs.Conflict, "这项提醒已确认知悉")
	}
	if _, err := t.exec(ctx, `INSERT INTO count_acks (ballot_id, unit_id, code, message, acked_by, acked_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		b.ID, unitID, code, found.Message, t.q.actor.Name, t.s.clock()); err != nil {
		return err
	}
	on := On("count_unit", unitID, b.Community)
	if unitID == 0 {
		on = On("ballot", b.ID, b.Community)
	}
	return t.Audit(ctx, audit.CountAck, on, nil, audit.Fields{"code": code, "message": found.Message})
}

func (t *Tx) findings(ctx context.Context, c election.Count, b Ballot) ([]election.Finding, error) {
	settings, err := t.electionSettings(ctx)
	if err != nil {
		return nil, err
	}
	return election.Check(c, b.Contest(), settings), nil
}

// ConfirmCount confirms the agreed count of the unit with id: refused to a
// clerk of it, before the entries agree, with an error among its checks'
// findings or a warning not acknowledged.
func (t *Tx) ConfirmCount(ctx context.Context, unitID int64) error {
	b, _, d, err := t.forWrite(ctx, unitID)
	if err != nil {
		return err
	}
	var findings []election.Finding
	c, ok := d.Result()
	if ok {
		if findings, err = t.findings(ctx, c, b); err != nil {
			return err
		}
	}
	acks, err := acksOf(ctx, t.tx, b.ID, unitID)
	if err != nil {
		return err
	}
	if err := d.Confirm(t.q.actor.Name, findings, ackedCodes(acks)); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE count_units SET status = $1, confirmed_by = $2, confirmed_at = $3 WHERE id = $4`,
		string(election.EntryConfirmed), t.q.actor.Name, t.s.clock(), unitID); err != nil {
		return err
	}
	return t.Audit(ctx, audit.CountConfirm, On("count_unit", unitID, b.Community), nil, countFields(c))
}

// ballotFindings are the checks of the ballot's total: every station
// confirmed, their sum checked against the ballot's contest.
func (t *Tx) ballotFindings(ctx context.Context, ballotID int64) (Ballot, []election.Finding, error) {
	b, err := t.q.ballotIn(ctx, t.tx, ballotID)
	if err != nil {
		return b, nil, err
	}
	if b.Closed() {
		return b, nil, errs.Newf(errs.Conflict, "这次投票%s", b.State.Label())
	}
	total, err := b.sum()
	if err != nil {
		return b, nil, err
	}
	findings, err := t.findings(ctx, total, b)
	return b, findings, err
}

// sum is the total of the ballot's stations, every one confirmed.
func (b Ballot) sum() (election.Count, error) {
	if len(b.Units) == 0 {
		return election.Count{}, errs.New(errs.Conflict, "这次投票还没有计票点")
	}
	var counts []election.Count
	for _, u := range b.Units {
		if u.Count == nil {
			return election.Count{}, errs.Newf(errs.Conflict, "计票点“%s”的计票结果%s,各计票点都确认后才能确认这次投票的结果", u.Name, u.Status.Label())
		}
		counts = append(counts, *u.Count)
	}
	return election.Sum(counts...), nil
}

// clerk reports whether name entered a count of one of the ballot's stations.
func (b Ballot) clerk(name string) bool {
	for _, u := range b.Units {
		if u.Clerks[0] == name || u.Clerks[1] == name {
			return true
		}
	}
	return false
}

// Sum is the total of the ballot's confirmed stations, false until every
// station is confirmed.
func (b Ballot) Sum() (election.Count, bool) {
	c, err := b.sum()
	return c, err == nil
}

// BallotAcks are the warnings of the ballot's total acknowledged.
func (q *Scoped) BallotAcks(ctx context.Context, ballotID int64) ([]Ack, error) {
	if _, err := q.Ballot(ctx, ballotID); err != nil {
		return nil, err
	}
	return acksOf(ctx, q.s.db, ballotID, 0)
}

// ConfirmBallot confirms the count of the ballot with id: every station
// confirmed, their sum without an error among its checks' findings and
// every warning acknowledged; refused to a clerk of any station. The total
// is kept with the ballot.
func (t *Tx) ConfirmBallot(ctx context.Context, id int64) (Ballot, error) {
	b, findings, err := t.ballotFindings(ctx, id)
	if err != nil {
		return b, err
	}
	if b.clerk(t.q.actor.Name) {
		return b, errs.New(errs.Forbidden, "你是这次投票的录入员,不能确认其计票结果")
	}
	acks, err := acksOf(ctx, t.tx, b.ID, 0)
	if err != nil {
		return b, err
	}
	if err := election.Confirmable(findings, ackedCodes(acks)); err != nil {
		return b, err
	}
	total, _ := b.sum()
	raw, _ := json.Marshal(total)
	now := t.s.clock()
	b.State, b.Total, b.ClosedBy, b.ClosedAt = election.BallotConfirmed, &total, t.q.actor.Name, &now
	if _, err := t.exec(ctx, `UPDATE ballots SET state = $1, total = $2, closed_by = $3, closed_at = $4 WHERE id = $5`,
		string(b.State), string(raw), b.ClosedBy, now, b.ID); err != nil {
		return b, err
	}
	if err := t.Audit(ctx, audit.BallotConfirm, On("ballot", b.ID, b.Community), nil, countFields(total)); err != nil {
		return b, err
	}
	if b, err = t.decideBallot(ctx, b); err != nil {
		return b, err
	}
	return b, t.ballotDecided(ctx, &b)
}

// CountRow is a station awaiting its coordinator or its second clerk, for
// the coordinator's overview.
type CountRow struct {
	Unit      CountUnit      `json:"unit"`
	BallotID  int64          `json:"ballot_id"`
	Community string         `json:"community"`
	Name      string         `json:"community_name"`
	Committee org.Committee  `json:"committee"`
	Round     election.Round `json:"round"`
	Seq       int            `json:"seq"`
	Day       civil.Date     `json:"day"`
}

// Awaiting are the statuses of the coordinator's overview: awaiting the
// second entry, with differences, ready to confirm.
var Awaiting = []election.EntryStatus{election.EntrySecond, election.EntryDifferent, election.EntryAgreed}

// CountsAwaiting lists, in scope and in the cycle, the stations of ballots
// still counted whose status is one of statuses (Awaiting when none), in
// tree order, a page of limit from offset, and how many there are.
func (q *Scoped) CountsAwaiting(ctx context.Context, statuses []election.EntryStatus, limit, offset int) ([]CountRow, int, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, 0, err
	}
	if len(statuses) == 0 {
		statuses = Awaiting
	}
	lo, hi := q.scope.Bounds()
	args := []any{cycleID, lo, hi}
	in := make([]string, len(statuses))
	for i, s := range statuses {
		args = append(args, string(s))
		in[i] = "$" + strconv.Itoa(len(args))
	}
	from := ` FROM count_units u JOIN ballots b ON b.id = u.ballot_id JOIN orgs o ON o.id = b.org_id
		WHERE b.cycle_id = $1 AND o.path >= $2 AND o.path < $3 AND b.state IN ('open', 'counting') AND u.status IN (` + strings.Join(in, ", ") + `)`
	var total int
	if err := q.s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := q.s.db.QueryContext(ctx, `SELECT `+unitCols+`, o.code, o.name, b.committee, b.round, b.seq, b.day`+from+
		` ORDER BY o.path, b.id, u.seq LIMIT `+strconv.Itoa(limit)+` OFFSET `+strconv.Itoa(offset), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []CountRow{}
	for rows.Next() {
		var r CountRow
		var err error
		if r.Unit, err = scanUnit(scanMore{rows, []any{&r.Community, &r.Name, &r.Committee, &r.Round, &r.Seq, &r.Day}}); err != nil {
			return nil, 0, err
		}
		r.BallotID = r.Unit.BallotID
		out = append(out, r)
	}
	return out, total, rows.Err()
}
