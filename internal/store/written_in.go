package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// A person written in (另选他人) whom a confirmed ballot elected has no
// aspirant record: no birth date, education or party status, which
// election.CheckElected needs of every member. The office enters them per
// ballot and name (written_in_details, migration 00032, a protected
// record); once every person the committee's valid ballots elected is
// known, its members are set (electFrom, outcomes.go), as for candidates.

// WrittenInPerson is a person written in whom a confirmed ballot elected,
// with the details the office entered (nil while they are missing).
type WrittenInPerson struct {
	BallotID  int64          `json:"ballot_id"`
	Committee org.Committee  `json:"committee"`
	Round     election.Round `json:"round"`
	Seq       int            `json:"seq"`
	Day       civil.Date     `json:"day"`
	Name      string         `json:"name"`
	Post      vetting.Post   `json:"post"`
	Votes     int            `json:"votes"`
	// CountSex is the sex the count sheet wrote beside the name ("" none):
	// the women's seat was decided on it, so the details must agree.
	CountSex   string              `json:"count_sex,omitempty"`
	Details    *election.WrittenIn `json:"details"`
	RecordedBy string              `json:"recorded_by,omitempty"`
	RecordedAt *time.Time          `json:"recorded_at,omitempty"`
}

// Ballot names the ballot that elected the person: "党组织委员会 · 第一次投票".
func (p WrittenInPerson) Ballot() string { return ballotWords(p.Committee, p.Round, p.Seq) }

// writtenInDetail is a stored row of written_in_details.
type writtenInDetail struct {
	election.WrittenIn
	by string
	at time.Time
}

// writtenInDetails reads the details entered for the ballots of a
// community in a cycle, by ballot and name.
func writtenInDetails(ctx context.Context, db querier, cycleID, orgID int64) (map[int64]map[string]writtenInDetail, error) {
	rows, err := db.QueryContext(ctx, `SELECT d.ballot_id, d.name, d.sex, d.birth_date, d.education, d.party, d.recorded_by, d.recorded_at
		FROM written_in_details d JOIN ballots b ON b.id = d.ballot_id WHERE b.cycle_id = $1 AND b.org_id = $2`, cycleID, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[string]writtenInDetail{}
	for rows.Next() {
		var id int64
		var d writtenInDetail
		if err := rows.Scan(&id, &d.Name, &d.Sex, &d.BirthDate, &d.Education, &d.Party, &d.by, &d.at); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[string]writtenInDetail{}
		}
		out[id][d.Name] = d
	}
	return out, rows.Err()
}

// writtenInOf lists the persons written in whom the confirmed ballots
// among ballots elected, in the ballots' order, with their details.
func writtenInOf(ballots []Ballot, details map[int64]map[string]writtenInDetail) []WrittenInPerson {
	out := []WrittenInPerson{}
	for _, b := range ballots {
		for _, e := range electedOfBallot(b) {
			if !e.writeIn {
				continue
			}
			p := WrittenInPerson{BallotID: b.ID, Committee: b.Committee, Round: b.Round, Seq: b.Seq, Day: b.Day, Name: e.name, Post: e.post,
				Votes: e.votes, CountSex: e.sex}
			if d, ok := details[b.ID][e.name]; ok {
				w, at := d.WrittenIn, d.at
				p.Details, p.RecordedBy, p.RecordedAt = &w, d.by, &at
			}
			out = append(out, p)
		}
	}
	return out
}

// WrittenInElected lists the persons written in whom the confirmed
// ballots of the community with code in scope elected (both committees,
// in the ballots' order), with the details entered for each; NotFound
// outside the scope.
func (q *Scoped) WrittenInElected(ctx context.Context, code string) ([]WrittenInPerson, error) {
	ballots, err := q.Ballots(ctx, code)
	if err != nil {
		return nil, err
	}
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	orgID, err := communityInScope(ctx, q.s.db, q.scope, code)
	if err != nil {
		return nil, err
	}
	details, err := writtenInDetails(ctx, q.s.db, cycleID, orgID)
	if err != nil {
		return nil, err
	}
	return writtenInOf(ballots, details), nil
}

// ResultsPending says, per committee of the community with code in scope,
// why its members could not be set from its valid ballots (electFrom);
// a committee whose members are set, or that nothing elected, is absent.
func (q *Scoped) ResultsPending(ctx context.Context, code string) (map[org.Committee]string, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	orgID, err := communityInScope(ctx, q.s.db, q.scope, code)
	if err != nil {
		return nil, err
	}
	out := map[org.Committee]string{}
	err = q.s.each(ctx, `SELECT committee, reason FROM results_pending WHERE cycle_id = $1 AND org_id = $2`, func(rows *sql.Rows) error {
		var c org.Committee
		var reason string
		if err := rows.Scan(&c, &reason); err != nil {
			return err
		}
		out[c] = reason
		return nil
	}, cycleID, orgID)
	return out, err
}

// WrittenInAnswer is what entering a person's details did: the person as
// now recorded, and why the committee's members are still not set ("" when
// they are).
type WrittenInAnswer struct {
	Person  WrittenInPerson `json:"person"`
	Pending string          `json:"results_pending"`
}

// SetWrittenIn records the details of w.Name, a person written in whom the
// confirmed ballot with id (in scope) elected: sex, birth date, education
// and party status, by election.CheckWrittenIn (18 on the ballot's day;
// for the party committee a full member; the sex the count sheet wrote, if
// any). Entering them again corrects them. Then the committee's members are
// set from its valid ballots when every person they elected is known
// (electFrom). Refused: NotFound outside the scope; Conflict when the
// ballot is not confirmed (still counted, or void); on the field name when
// the ballot did not elect w.Name as a person written in; on its field
// when a rule breaks. Audited (results.written_in) with the details before.
func (t *Tx) SetWrittenIn(ctx context.Context, ballotID int64, w election.WrittenIn) (WrittenInAnswer, error) {
	b, err := t.q.ballotIn(ctx, t.tx, ballotID)
	if err != nil {
		return WrittenInAnswer{}, err
	}
	if b.State != election.BallotConfirmed {
		return WrittenInAnswer{}, errs.Newf(errs.Conflict, "这次投票%s,只有计票结果已确认、选举有效的投票才能登记另选他人当选人员的信息", b.State.Label())
	}
	w.Name = strings.TrimSpace(w.Name)
	var person *electedPerson
	for _, e := range electedOfBallot(b) {
		if e.writeIn && e.name == w.Name {
			person = &e
			break
		}
	}
	if person == nil {
		return WrittenInAnswer{}, errs.OnField("name", "“"+w.Name+"”不是这次投票当选的另选他人")
	}
	if err := election.CheckWrittenIn(b.Committee, b.Day, w, person.sex); err != nil {
		return WrittenInAnswer{}, err
	}
	var before audit.Fields
	var old election.WrittenIn
	err = t.queryRow(ctx, `SELECT sex, birth_date, education, party FROM written_in_details WHERE ballot_id = $1 AND name = $2`, b.ID, w.Name).
		Scan(&old.Sex, &old.BirthDate, &old.Education, &old.Party)
	now, by := t.s.clock(), t.q.actor.Name
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = t.exec(ctx, `INSERT INTO written_in_details (ballot_id, name, sex, birth_date, education, party, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, b.ID, w.Name, w.Sex, string(w.BirthDate), string(w.Education), string(w.Party), by, now)
	case err == nil:
		before = audit.Fields{"name": w.Name, "sex": old.Sex, "birth_date": string(old.BirthDate), "education": string(old.Education),
			"party": string(old.Party)}
		_, err = t.exec(ctx, `UPDATE written_in_details SET sex = $1, birth_date = $2, education = $3, party = $4, recorded_by = $5, recorded_at = $6
			WHERE ballot_id = $7 AND name = $8`, w.Sex, string(w.BirthDate), string(w.Education), string(w.Party), by, now, b.ID, w.Name)
	}
	if err != nil {
		return WrittenInAnswer{}, err
	}
	if err := t.Audit(ctx, audit.ResultsWrittenIn, On("ballot", b.ID, b.Community), before, audit.Fields{"name": w.Name, "sex": w.Sex,
		"birth_date": string(w.BirthDate), "education": string(w.Education), "party": string(w.Party), "post": string(person.post)}); err != nil {
		return WrittenInAnswer{}, err
	}
	settings, err := t.electionSettings(ctx)
	if err != nil {
		return WrittenInAnswer{}, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return WrittenInAnswer{}, err
	}
	lo, hi := t.q.scope.Bounds()
	ballots, err := t.q.ballots(ctx, t.tx, ` AND o.code = $4 AND b.committee = $5`, []any{cycleID, lo, hi, b.Community, string(b.Committee)})
	if err != nil {
		return WrittenInAnswer{}, err
	}
	pending, err := t.electFrom(ctx, b.Community, b.Committee, ballots, settings, false)
	if err != nil {
		return WrittenInAnswer{}, err
	}
	at := now
	out := WrittenInAnswer{Pending: pending, Person: WrittenInPerson{BallotID: b.ID, Committee: b.Committee, Round: b.Round, Seq: b.Seq,
		Day: b.Day, Name: w.Name, Post: person.post, Votes: person.votes, CountSex: person.sex, Details: &w, RecordedBy: by, RecordedAt: &at}}
	return out, nil
}
