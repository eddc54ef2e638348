package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
)

// 唱票: a station's ballots read aloud one by one on a phone. Each ballot is
// a row (its marks, valid or not by election.ReadBallot, who read it,
// when); the station keeps the running totals, so recording a ballot
// costs the same for the first and the three-thousandth. The last ballot
// can be undone. When the reading ends, with the ballots issued entered,
// its totals become the station's first entry, finalised, made by whoever
// ended it: a second clerk still enters the paper count sheet and the two
// are compared like any other entries.

// TallyBallot is one ballot read aloud.
type TallyBallot struct {
	Seq    int             `json:"seq"`
	Marks  []election.Mark `json:"marks"`
	Valid  bool            `json:"valid"`
	Reason string          `json:"reason,omitempty"`
	ReadBy string          `json:"read_by"`
	ReadAt time.Time       `json:"read_at"`
}

// Tally is a station's reading aloud: its running totals with the checks'
// findings on them, how many ballots were read and the last one.
type Tally struct {
	Ballot   Ballot             `json:"ballot"`
	Unit     CountUnit          `json:"unit"`
	Count    election.Count     `json:"count"`
	Findings []election.Finding `json:"findings"`
	Last     *TallyBallot       `json:"last"`
}

// Tally reads the reading aloud of the unit with id.
func (q *Scoped) Tally(ctx context.Context, unitID int64) (Tally, error) {
	b, u, err := q.unitIn(ctx, q.s.db, unitID)
	if err != nil {
		return Tally{}, err
	}
	v := Tally{Ballot: b, Unit: u}
	if v.Count, err = runningOf(ctx, q.s.db, unitID, b); err != nil {
		return v, err
	}
	settings, err := q.ElectionSettings(ctx)
	if err != nil {
		return v, err
	}
	v.Findings = election.Check(v.Count, b.Contest(), settings)
	if u.TallyRead > 0 {
		last, err := lastTally(ctx, q.s.db, unitID, u.TallyRead)
		if err != nil {
			return v, err
		}
		v.Last = &last
	}
	return v, nil
}

// runningOf is the unit's running totals.
func runningOf(ctx context.Context, db querier, unitID int64, b Ballot) (election.Count, error) {
	var raw string
	if err := db.QueryRowContext(ctx, `SELECT tally FROM count_units WHERE id = $1`, unitID).Scan(&raw); err != nil {
		return election.Count{}, err
	}
	if raw == "" {
		return election.NewTally(b.Blank().Lines), nil
	}
	var c election.Count
	return c, json.Unmarshal([]byte(raw), &c)
}

func lastTally(ctx context.Context, db querier, unitID int64, seq int) (TallyBallot, error) {
	var tb TallyBallot
	var marks string
	var valid int
	err := db.QueryRowContext(ctx, `SELECT seq, marks, valid, reason, read_by, read_at FROM tally_ballots WHERE unit_id = $1 AND seq = $2`,
		unitID, seq).Scan(&tb.Seq, &marks, &valid, &tb.Reason, &tb.ReadBy, &tb.ReadAt)
	if err != nil {
		return tb, err
	}
	tb.Valid = valid != 0
	return tb, json.Unmarshal([]byte(marks), &tb.Marks)
}

// tallyOpen refuses a reading aloud of a unit that has its first entry.
func (t *Tx) tallyOpen(ctx context.Context, unitID int64) (Ballot, CountUnit, election.Desk, error) {
	b, u, d, err := t.forWrite(ctx, unitID)
	if err != nil {
		return b, u, d, err
	}
	if u.TallyDone {
		return b, u, d, errs.New(errs.Conflict, "本计票点的唱票已经结束")
	}
	if u.Clerks[0] != "" {
		return b, u, d, errs.New(errs.Conflict, "本计票点已有录入员在录入计票单,不能再唱票")
	}
	return b, u, d, t.stationReady(ctx, b, u)
}

// ReadAloud records one ballot of the unit with id read aloud: its marks
// (election.CompleteMarks: unmarked nominees abstain), valid or not as
// election.ReadBallot decides (more marks than seats makes it invalid), or
// spoiled (unreadable, not filled in as the rules say): invalid whatever
// its marks. The running totals add it (Count.AddBallot).
func (t *Tx) ReadAloud(ctx context.Context, unitID int64, marks []election.Mark, spoiled bool) (TallyBallot, error) {
	b, u, _, err := t.tallyOpen(ctx, unitID)
	if err != nil {
		return TallyBallot{}, err
	}
	tb := TallyBallot{Seq: u.TallyRead + 1, ReadBy: t.q.actor.Name, ReadAt: t.s.clock()}
	if spoiled {
		tb.Reason = "无法辨认或不按规定填写的废票"
		tb.Marks = []election.Mark{}
	} else {
		if tb.Marks, err = election.CompleteMarks(marks, b.Committee, b.Seats, b.Candidates); err != nil {
			return tb, err
		}
		tb.Valid, tb.Reason = election.ReadBallot(tb.Marks, b.Seats)
	}
	running, err := runningOf(ctx, t.tx, unitID, b)
	if err != nil {
		return tb, err
	}
	addBallot(&running, tb)
	raw, _ := json.Marshal(tb.Marks)
	if _, err := t.exec(ctx, `INSERT INTO tally_ballots (unit_id, seq, marks, valid, reason, read_by, read_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		unitID, tb.Seq, string(raw), boolInt(tb.Valid), tb.Reason, tb.ReadBy, tb.ReadAt); err != nil {
		return tb, err
	}
	if err := t.setRunning(ctx, unitID, running, tb.Seq); err != nil {
		return tb, err
	}
	if err := t.counting(ctx, b); err != nil {
		return tb, err
	}
	return tb, t.Audit(ctx, audit.TallyRead, On("count_unit", unitID, b.Community), nil, tallyFields(tb))
}

// addBallot adds a ballot read aloud to the running totals; the ballots
// returned are those read.
func addBallot(c *election.Count, tb TallyBallot) {
	c.AddBallot(tb.Marks, tb.Valid)
	returned := 0
	for _, p := range []*int{c.Valid, c.Invalid} {
		if p != nil {
			returned += *p
		}
	}
	c.Returned = &returned
}

func (t *Tx) setRunning(ctx context.Context, unitID int64, c election.Count, read int) error {
	raw, _ := json.Marshal(c)
	_, err := t.exec(ctx, `UPDATE count_units SET tally = $1, tally_read = $2 WHERE id = $3`, string(raw), read, unitID)
	return err
}

func tallyFields(tb TallyBallot) audit.Fields {
	var choices []string
	for _, m := range tb.Marks {
		if m.Key == "" {
			choices = append(choices, "另选"+m.Name+"("+m.Post.Label()+")")
		} else {
			choices = append(choices, m.Name+map[election.Choice]string{election.Yes: "赞成", election.No: "不赞成", election.Abstain: "弃权"}[m.Choice])
		}
	}
	return audit.Fields{"seq": tb.Seq, "valid": tb.Valid, "reason": tb.Reason, "choices": strings.Join(choices, ";")}
}

// UndoTally takes back the last ballot read aloud of the unit with id and
// counts the running totals again from the ballots left.
func (t *Tx) UndoTally(ctx context.Context, unitID int64) (TallyBallot, error) {
	b, u, _, err := t.tallyOpen(ctx, unitID)
	if err != nil {
		return TallyBallot{}, err
	}
	if u.TallyRead == 0 {
		return TallyBallot{}, errs.New(errs.Conflict, "还没有唱过票,没有可以撤销的")
	}
	last, err := lastTally(ctx, t.tx, unitID, u.TallyRead)
	if err != nil {
		return last, err
	}
	if _, err := t.exec(ctx, `DELETE FROM tally_ballots WHERE unit_id = $1 AND seq = $2`, unitID, last.Seq); err != nil {
		return last, err
	}
	running := election.NewTally(b.Blank().Lines)
	rows, err := t.tx.QueryContext(ctx, `SELECT marks, valid FROM tally_ballots WHERE unit_id = $1 ORDER BY seq`, unitID)
	if err != nil {
		return last, err
	}
	defer rows.Close()
	for rows.Next() {
		var raw string
		var valid int
		var tb TallyBallot
		if err := rows.Scan(&raw, &valid); err != nil {
			return last, err
		}
		if err := json.Unmarshal([]byte(raw), &tb.Marks); err != nil {
			return last, err
		}
		tb.Valid = valid != 0
		addBallot(&running, tb)
	}
	if err := rows.Err(); err != nil {
		return last, err
	}
	rows.Close()
	if err := t.setRunning(ctx, unitID, running, last.Seq-1); err != nil {
		return last, err
	}
	return last, t.Audit(ctx, audit.TallyUndo, On("count_unit", unitID, b.Community), tallyFields(last), nil)
}

// FinishTally ends the reading aloud of the unit with id: its totals, with
// the ballots issued (required) and 参加投票人数 (optional) entered, become
// the unit's first entry, finalised, made by the account that ends it.
func (t *Tx) FinishTally(ctx context.Context, unitID int64, issued, voted *int) error {
	b, u, d, err := t.tallyOpen(ctx, unitID)
	if err != nil {
		return err
	}
	if u.TallyRead == 0 {
		return errs.New(errs.Conflict, "还没有唱过票")
	}
	if issued == nil {
		return errs.OnField("ballots_issued", "请填写本计票点发出的选票数")
	}
	running, err := runningOf(ctx, t.tx, unitID, b)
	if err != nil {
		return err
	}
	running.Issued, running.Voted = issued, voted
	c, err := election.Normalise(running, b.Committee, b.Seats, b.Candidates)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE count_units SET tally_done = 1 WHERE id = $1`, unitID); err != nil {
		return err
	}
	if err := t.Audit(ctx, audit.TallyFinish, On("count_unit", unitID, b.Community), nil,
		audit.Fields{"read": u.TallyRead, "ballots_issued": *issued}); err != nil {
		return err
	}
	return t.putEntry(ctx, b, u, &d, c, true, nil)
}
