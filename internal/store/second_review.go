package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The party committee's second review (二次审核): meetings, and per aspirant
// the dossier the meeting weighs (every round's findings, tips, cases) and
// its decision.

// AddMeeting records a second-review meeting of the cycle.
func (t *Tx) AddMeeting(ctx context.Context, m vetting.Meeting) (vetting.Meeting, error) {
	if err := m.Validate(t.s.Today()); err != nil {
		return m, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return m, err
	}
	m.CycleID = cycleID
	err = t.queryRow(ctx, `INSERT INTO review_meetings (cycle_id, held_on, title, doc_no, note, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, cycleID, m.HeldOn, m.Title, m.DocNo, m.Note, t.q.actor.Name, t.s.clock()).Scan(&m.ID)
	if err != nil {
		return m, fmt.Errorf("add meeting: %w", err)
	}
	return m, t.Audit(ctx, audit.ReviewMeeting, On("meeting", itoa(m.ID), ""), nil,
		audit.Fields{"held_on": m.HeldOn, "title": m.Title, "doc_no": m.DocNo})
}

// Meetings lists the cycle's second-review meetings, newest first.
func (q *Scoped) Meetings(ctx context.Context) ([]vetting.Meeting, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := q.s.db.QueryContext(ctx, `SELECT id, cycle_id, held_on, title, doc_no, note FROM review_meetings
		WHERE cycle_id = $1 ORDER BY held_on DESC, id DESC`, cycleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vetting.Meeting
	for rows.Next() {
		var m vetting.Meeting
		if err := rows.Scan(&m.ID, &m.CycleID, &m.HeldOn, &m.Title, &m.DocNo, &m.Note); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Meeting returns one meeting of the cycle; NotFound otherwise.
func (q *Scoped) Meeting(ctx context.Context, id int64) (vetting.Meeting, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return vetting.Meeting{}, err
	}
	return reviewMeeting(ctx, q.s.db, cycleID, id)
}

func reviewMeeting(ctx context.Context, q querier, cycleID, id int64) (vetting.Meeting, error) {
	var m vetting.Meeting
	err := q.QueryRowContext(ctx, `SELECT id, cycle_id, held_on, title, doc_no, note FROM review_meetings
		WHERE id = $1 AND cycle_id = $2`, id, cycleID).Scan(&m.ID, &m.CycleID, &m.HeldOn, &m.Title, &m.DocNo, &m.Note)
	return m, notFound(err, "没有找到该会议记录")
}

// Decide records the meeting's decision on an aspirant in the
// transaction's scope and moves the aspirant's status through its steps,
// refusing a skipped one. A disqualification must name a case that names the
// aspirant.
func (t *Tx) Decide(ctx context.Context, d vetting.Decision) (vetting.Decision, error) {
	ds := []vetting.Decision{d}
	err := t.DecideAll(ctx, ds)
	return ds[0], err
}

// DecideAll records decisions ds as Decide would one after another: each
// checked against the status the decisions before it left its aspirant
// in, and audited, with its moves, in the same order. The aspirants are
// read and the decisions written a thousand to a statement, the moves a
// statement for each status they end in (a meeting decides on hundreds).
// Each decision is given back as recorded, with its id. At a decision
// refused it returns that decision's error, and none is written or audited.
func (t *Tx) DecideAll(ctx context.Context, ds []vetting.Decision) error {
	today := t.s.Today()
	for i := range ds {
		if err := ds[i].Validate(vetting.DefaultCatalogue(), today); err != nil {
			return err
		}
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	meetings := map[int64]bool{}
	var ids []int64
	status := map[int64]vetting.Status{}
	for _, d := range ds {
		if !meetings[d.MeetingID] {
			if _, err := reviewMeeting(ctx, t.tx, cycleID, d.MeetingID); err != nil {
				return err
			}
			meetings[d.MeetingID] = true
		}
		if _, ok := status[d.AspirantID]; !ok {
			status[d.AspirantID], ids = "", append(ids, d.AspirantID)
		}
	}
	unit := map[int64]string{}
	lo, hi := t.q.scope.Bounds()
	for chunk := range slices.Chunk(ids, 1000) {
		args := []any{lo, hi}
		err := eachRow(ctx, t.tx, `SELECT a.id, a.status, o.code FROM aspirants a JOIN orgs o ON o.id = a.org_id
			WHERE `+t.s.anyID("a.id", &args, chunk)+` AND o.path >= $1 AND o.path < $2`+t.s.forUpdateOf("a"), func(rows *sql.Rows) error {
			var id int64
			var st vetting.Status
			var code string
			err := rows.Scan(&id, &st, &code)
			status[id], unit[id] = st, code
			return err
		}, args...)
		if err != nil {
			return err
		}
	}
	// The aspirants of the cases the decisions name, read once for the
	// batch (a case's aspirants are not changed by a decision).
	var cases []int64
	for _, d := range ds {
		if d.CaseID != 0 && !slices.Contains(cases, d.CaseID) {
			cases = append(cases, d.CaseID)
		}
	}
	linked := map[[2]int64]bool{} // case id, aspirant id
	for chunk := range slices.Chunk(cases, 1000) {
		var args []any
		if err := addPairs(ctx, t.tx, linked, `SELECT case_id, aspirant_id FROM case_aspirants WHERE `+t.s.anyID("case_id", &args, chunk),
			args...); err != nil {
			return err
		}
	}
	type entry struct {
		act           *audit.Action
		id            int64
		before, after audit.Fields
	}
	var entries []entry
	by, now := t.q.actor.Name, t.s.clock()
	for i := range ds {
		d := &ds[i]
		if _, ok := unit[d.AspirantID]; !ok {
			return errs.New(errs.NotFound, "没有找到该参选人")
		}
		before := status[d.AspirantID]
		if _, err := d.Apply(before); err != nil {
			return err
		}
		if d.CaseID != 0 && !linked[[2]int64{d.CaseID, d.AspirantID}] {
			return errs.OnField("case_id", "该案件未涉及此参选人")
		}
		d.By, d.At = by, now
		st := before
		for _, to := range d.Steps() {
			if st == to {
				continue // a persuasion recorded after the unsuitable decision
			}
			if err := vetting.Transition(st, to); err != nil {
				return err
			}
			entries = append(entries, entry{audit.AspirantStatus, d.AspirantID, audit.Fields{"status": string(st)},
				audit.Fields{"status": string(to), "cause": "二次审核"}})
			st = to
		}
		status[d.AspirantID] = st
		withdrawn := d.Persuasion != nil && d.Persuasion.Withdrawn
		entries = append(entries, entry{audit.ReviewDecide, d.AspirantID, audit.Fields{"status": string(before)},
			audit.Fields{"meeting": d.MeetingID, "outcome": string(d.Outcome), "condition": d.Condition, "case": d.CaseID,
				"withdrawn": withdrawn, "status": string(d.Status())}})
	}
	err = t.insertMany(ctx, manyRows{table: "review_decisions", cols: []string{"meeting_id", "aspirant_id", "outcome", "condition", "case_id",
		"persuaded_by", "persuaded_on", "withdrawn", "persuasion_note", "note", "decided_by", "decided_at"}, n: len(ds),
		row: func(i int) ([]any, error) {
			d := ds[i]
			var caseID any
			if d.CaseID != 0 {
				caseID = d.CaseID
			}
			p := vetting.Persuasion{}
			if d.Persuasion != nil {
				p = *d.Persuasion
			}
			return []any{d.MeetingID, d.AspirantID, string(d.Outcome), d.Condition, caseID, p.By, p.On, p.Withdrawn, p.Note, d.Note, d.By, d.At}, nil
		},
		suffix: "RETURNING id, aspirant_id", all: true,
		scan: func(i int, r *sql.Rows) error {
			var aspirant int64
			if err := r.Scan(&ds[i].ID, &aspirant); err != nil {
				return err
			}
			if aspirant != ds[i].AspirantID { // rows answered in another order than sent: nothing is kept
				return fmt.Errorf("decision %d on aspirant %d answered as %d's", i, ds[i].AspirantID, aspirant)
			}
			return nil
		}})
	if err != nil {
		return fmt.Errorf("decide: %w", err)
	}
	// Each aspirant's status as the decisions left it, a statement per status.
	moved := map[vetting.Status][]int64{}
	var ends []vetting.Status
	for _, id := range ids {
		st := status[id]
		if len(moved[st]) == 0 {
			ends = append(ends, st)
		}
		moved[st] = append(moved[st], id)
	}
	for _, st := range ends {
		for chunk := range slices.Chunk(moved[st], 1000) {
			args := []any{string(st), now}
			if _, err := t.exec(ctx, `UPDATE aspirants SET status = $1, updated_at = $2 WHERE `+t.s.anyID("id", &args, chunk)+
				` AND status <> $1`, args...); err != nil {
				return err
			}
		}
	}
	for _, e := range entries {
		if err := t.Audit(ctx, e.act, On("aspirant", itoa(e.id), unit[e.id]), e.before, e.after); err != nil {
			return err
		}
	}
	return nil
}

// Finding is what one department answered with findings in one round.
type Finding struct {
	AspirantID int64
	RoundDocNo string
	RoundKind  vetting.RoundKind
	Department string // name
	Conditions []string
	Note       string
}

// LinkedTip is a public tip linked to an aspirant.
type LinkedTip struct {
	AspirantID  int64      `json:"-"`
	ID          int64      `json:"id"`
	Category    string     `json:"category"` // labels
	Status      string     `json:"status"`
	Result      string     `json:"result"`
	SubmittedOn civil.Date `json:"submitted_on"`
}

// LinkedCase is a discipline case naming an aspirant. An account that does
// not handle cases sees only those with an outcome, and only the outcome.
type LinkedCase struct {
	AspirantID int64  `json:"-"`
	ID         int64  `json:"id"`
	Source     string `json:"source,omitempty"` // labels
	Status     string `json:"status,omitempty"`
	Outcome    string `json:"outcome"`
	Summary    string `json:"summary,omitempty"`
}

// Dossier is what the second review weighs for one aspirant.
type Dossier struct {
	AspirantRow
	Findings  []Finding
	Tips      []LinkedTip
	Cases     []LinkedCase
	Decisions []vetting.Decision
}

// Dossiers returns the dossiers of the given aspirants (already read in
// scope), in their order: the tips linked to them at q's desk (TipDesk), the
// cases naming them as q sees cases (Cases), every round's findings and the
// decisions.
func (q *Scoped) Dossiers(ctx context.Context, aspirants []AspirantRow) ([]Dossier, error) {
	s := q.s
	out := make([]Dossier, len(aspirants))
	at := map[int64]*Dossier{}
	ids := make([]string, len(aspirants))
	for i, a := range aspirants {
		out[i].AspirantRow = a
		at[a.ID] = &out[i]
		ids[i] = itoa(a.ID)
	}
	if len(ids) == 0 {
		return out, nil
	}
	in := `(` + strings.Join(ids, ",") + `)` // integers we read ourselves
	err := s.each(ctx, `SELECT q.aspirant_id, r.doc_no, r.kind, d.name, q.conditions, q.note FROM review_requests q
		JOIN review_rounds r ON r.id = q.round_id JOIN departments d ON d.id = q.department_id
		WHERE q.verdict = 'findings' AND q.aspirant_id IN `+in+` ORDER BY r.started_on, r.id, d.sort`, func(rows *sql.Rows) error {
		var f Finding
		var conds string
		if err := rows.Scan(&f.AspirantID, &f.RoundDocNo, &f.RoundKind, &f.Department, &conds, &f.Note); err != nil {
			return err
		}
		for _, code := range splitCodes(conds) {
			f.Conditions = append(f.Conditions, vetting.ConditionOf(code).Label())
		}
		d := at[f.AspirantID]
		d.Findings = append(d.Findings, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var tipArgs []any
	err = s.each(ctx, `SELECT t.aspirant_id, t.id, t.category, t.status, t.result, t.submitted_on FROM tips t JOIN orgs o ON o.id = t.org_id
		WHERE t.aspirant_id IN `+in+q.tipsAt(&tipArgs)+` ORDER BY t.id`,
		func(rows *sql.Rows) error {
			var t LinkedTip
			if err := rows.Scan(&t.AspirantID, &t.ID, &t.Category, &t.Status, &t.Result, &t.SubmittedOn); err != nil {
				return err
			}
			t.Category, t.Status = vetting.TipCategory(t.Category).Label(), vetting.TipStatus(t.Status).Label()
			d := at[t.AspirantID]
			d.Tips = append(d.Tips, t)
			return nil
		}, tipArgs...)
	if err != nil {
		return nil, err
	}
	err = s.each(ctx, `SELECT ca.aspirant_id, c.id, c.source, c.status, c.outcome, c.summary FROM case_aspirants ca
		JOIN cases c ON c.id = ca.case_id WHERE ca.aspirant_id IN `+in+q.casesSeen()+` ORDER BY c.id`, func(rows *sql.Rows) error {
		var c LinkedCase
		if err := rows.Scan(&c.AspirantID, &c.ID, &c.Source, &c.Status, &c.Outcome, &c.Summary); err != nil {
			return err
		}
		c.Source, c.Status = vetting.CaseSource(c.Source).Label(), vetting.CaseStatus(c.Status).Label()
		c.Outcome = vetting.Outcome(c.Outcome).Label()
		if !q.investigates() {
			c = LinkedCase{AspirantID: c.AspirantID, ID: c.ID, Outcome: c.Outcome}
		}
		d := at[c.AspirantID]
		d.Cases = append(d.Cases, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.each(ctx, `SELECT id, meeting_id, aspirant_id, outcome, condition, COALESCE(case_id, 0), persuaded_by, persuaded_on,
		withdrawn, persuasion_note, note, decided_by, decided_at FROM review_decisions WHERE aspirant_id IN `+in+` ORDER BY id`,
		func(rows *sql.Rows) error {
			var d vetting.Decision
			var p vetting.Persuasion
			if err := rows.Scan(&d.ID, &d.MeetingID, &d.AspirantID, &d.Outcome, &d.Condition, &d.CaseID, &p.By, &p.On,
				&p.Withdrawn, &p.Note, &d.Note, &d.By, &d.At); err != nil {
				return err
			}
			if p.By != "" {
				d.Persuasion = &p
			}
			ds := at[d.AspirantID]
			ds.Decisions = append(ds.Decisions, d)
			return nil
		})
	return out, err
}
