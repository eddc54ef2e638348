package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Discipline cases (换届纪律案件), shared by the discipline commission and
// the police. A case's outcome 取消参选资格 disqualifies its linked aspirants
// in the same transaction that records it.

// CaseAspirant is an aspirant linked to a case, as the case pages show it.
type CaseAspirant struct {
	ID          int64          `json:"id"`
	Name        string         `json:"name"`
	Status      vetting.Status `json:"status"`
	StatusLabel string         `json:"status_label"`
}

// CaseRow is a case with its community's name, labels and linked aspirants.
// For an account that does not handle cases (OutcomeOnly) it holds the
// outcome alone: the community, the aspirants concerned, the outcome, its
// note and the day it was decided.
type CaseRow struct {
	vetting.Case
	OrgName      string
	TipReceived  string // the day the linked tip came in, "" if none
	Aspirants    []CaseAspirant
	SourceLabel  string
	StatusLabel  string
	OutcomeLabel string
	DecidedOn    civil.Date           // the day the outcome was decided, "" until then
	Next         []vetting.CaseStatus // the status the case may move to
	OutcomeOnly  bool                 // the investigation is left out
}

// outcomeOnly is what an account that does not handle cases sees of one:
// the office, leaders and the party committee see who was disqualified and
// why, not the investigation (summary, parties, source, tip, stages).
func outcomeOnly(r CaseRow) CaseRow {
	return CaseRow{Case: vetting.Case{ID: r.ID, CycleID: r.CycleID, OrgCode: r.OrgCode, AspirantIDs: r.AspirantIDs,
		Outcome: r.Outcome, OutcomeNote: r.OutcomeNote}, OrgName: r.OrgName, Aspirants: r.Aspirants,
		OutcomeLabel: r.OutcomeLabel, DecidedOn: r.DecidedOn, OutcomeOnly: true}
}

// investigates reports whether q sees cases whole (the discipline
// commission and the police); other accounts see only the outcomes of cases
// that have one.
func (q *Scoped) investigates() bool { return q.Can(account.ManageCases) }

// casesSeen is the condition that keeps cases (as c) to those q sees.
func (q *Scoped) casesSeen() string {
	if q.investigates() {
		return ""
	}
	return ` AND c.outcome <> ''`
}

// CaseFilter narrows Cases.
type CaseFilter struct {
	Status        vetting.CaseStatus
	OrgCode       string
	Limit, Offset int // Limit 0: all
}

const caseColumns = `c.id, c.cycle_id, o.code, o.name, c.source, COALESCE(c.tip_id, 0), COALESCE(t.submitted_on, ''), c.summary,
	c.parties, c.status, c.outcome, c.outcome_note, c.decided_on, c.created_at, c.updated_at`

const caseFrom = ` FROM cases c JOIN orgs o ON o.id = c.org_id LEFT JOIN tips t ON t.id = c.tip_id `

func scanCase(row interface{ Scan(...any) error }) (CaseRow, error) {
	var r CaseRow
	var parties string
	err := row.Scan(&r.ID, &r.CycleID, &r.OrgCode, &r.OrgName, &r.Source, &r.TipID, &r.TipReceived, &r.Summary,
		&parties, &r.Status, &r.Outcome, &r.OutcomeNote, &r.DecidedOn, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return r, err
	}
	if r.Outcome != "" && r.DecidedOn == "" {
		r.DecidedOn = civil.Of(r.UpdatedAt) // decided before the day was kept
	}
	if err := json.Unmarshal([]byte(parties), &r.Parties); err != nil {
		return r, fmt.Errorf("case %d parties: %w", r.ID, err)
	}
	r.SourceLabel, r.StatusLabel = r.Source.Label(), r.Status.Label()
	if r.Outcome != "" {
		r.OutcomeLabel = r.Outcome.Label()
	}
	for _, s := range vetting.CaseStatuses {
		if vetting.CaseTransition(r.Status, s) == nil {
			r.Next = append(r.Next, s)
		}
	}
	return r, nil
}

func (s *Store) caseAspirants(ctx context.Context, q querier, rows []CaseRow) error {
	for i := range rows {
		rs, err := q.QueryContext(ctx, `SELECT a.id, a.name, a.status FROM case_aspirants ca JOIN aspirants a ON a.id = ca.aspirant_id
			WHERE ca.case_id = $1 ORDER BY a.id`, rows[i].ID)
		if err != nil {
			return err
		}
		rows[i].Aspirants, rows[i].AspirantIDs = nil, nil
		for rs.Next() {
			var a CaseAspirant
			if err := rs.Scan(&a.ID, &a.Name, &a.Status); err != nil {
				rs.Close()
				return err
			}
			a.StatusLabel = a.Status.Label()
			rows[i].Aspirants = append(rows[i].Aspirants, a)
			rows[i].AspirantIDs = append(rows[i].AspirantIDs, a.ID)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
	}
	return nil
}

// Cases lists the cycle's cases on communities in scope, newest first, with
// the number of all that match. An account that does not handle cases
// (ManageCases) gets only the cases with an outcome, each as outcomeOnly,
// and cannot filter them by stage.
func (q *Scoped) Cases(ctx context.Context, f CaseFilter) ([]CaseRow, int, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, 0, err
	}
	lo, hi := q.scope.Bounds()
	where := `WHERE c.cycle_id = $1 AND o.path >= $2 AND o.path < $3` + q.casesSeen()
	args := []any{cycleID, lo, hi}
	if f.Status != "" && q.investigates() {
		args = append(args, string(f.Status))
		where += ` AND c.status = $` + strconv.Itoa(len(args))
	}
	if f.OrgCode != "" {
		args = append(args, f.OrgCode)
		where += ` AND o.code = $` + strconv.Itoa(len(args))
	}
	var total int
	if err := q.s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases c JOIN orgs o ON o.id = c.org_id `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	query := `SELECT ` + caseColumns + caseFrom + where + ` ORDER BY c.id DESC`
	if f.Limit > 0 {
		query += ` LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(f.Offset)
	}
	rows, err := q.s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	var out []CaseRow
	for rows.Next() {
		r, err := scanCase(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := q.s.caseAspirants(ctx, q.s.db, out); err != nil {
		return nil, 0, err
	}
	if !q.investigates() {
		for i := range out {
			out[i] = outcomeOnly(out[i])
		}
	}
	return out, total, nil
}

// Case returns one case on a community in scope as q sees it (Cases);
// NotFound otherwise.
func (q *Scoped) Case(ctx context.Context, id int64) (CaseRow, error) {
	return q.caseByID(ctx, q.s.db, id)
}

func (q *Scoped) caseByID(ctx context.Context, db querier, id int64) (CaseRow, error) {
	lo, hi := q.scope.Bounds()
	r, err := scanCase(db.QueryRowContext(ctx, `SELECT `+caseColumns+caseFrom+`WHERE c.id = $1 AND o.path >= $2 AND o.path < $3`+
		q.casesSeen(), id, lo, hi))
	if err != nil {
		return r, notFound(err, "没有找到该案件")
	}
	rows := []CaseRow{r}
	if err = q.s.caseAspirants(ctx, db, rows); err != nil {
		return r, err
	}
	if !q.investigates() {
		return outcomeOnly(rows[0]), nil
	}
	return rows[0], nil
}

// caseHead checks that a case of the cycle is one the transaction sees and
// returns its community code.
func (t *Tx) caseHead(ctx context.Context, id, cycleID int64) (string, error) {
	lo, hi := t.q.scope.Bounds()
	var code string
	err := t.queryRow(ctx, `SELECT o.code FROM cases c JOIN orgs o ON o.id = c.org_id
		WHERE c.id = $1 AND c.cycle_id = $2 AND o.path >= $3 AND o.path < $4`+t.q.casesSeen(), id, cycleID, lo, hi).Scan(&code)
	return code, notFound(err, "没有找到该案件")
}

// AddCase opens a case of the cycle on a community in the transaction's
// scope. A case from a tip names a tip of that community the transaction
// sees (TipDesk), which is then linked to the case if it had none; linked
// aspirants must be of that community. Status starts at 受理. Errors:
// Forbidden to an account that does not handle cases, Unprocessable for a
// refused field.
func (t *Tx) AddCase(ctx context.Context, c vetting.Case) (CaseRow, error) {
	if !t.q.investigates() {
		return CaseRow{}, errHandleCases
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return CaseRow{}, err
	}
	if c.Source != vetting.FromTip {
		c.TipID = 0
	}
	if err := c.Validate(); err != nil {
		return CaseRow{}, err
	}
	orgID, err := t.communityID(ctx, c.OrgCode)
	if errs.Is(err, errs.NotFound) {
		return CaseRow{}, errs.OnField("community", "社区不存在或不在管辖范围内")
	}
	if err != nil {
		return CaseRow{}, err
	}
	if c.TipID != 0 {
		var tipOrg int64
		args := []any{c.TipID, cycleID}
		err := t.queryRow(ctx, `SELECT t.org_id FROM tips t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1 AND t.cycle_id = $2`+
			t.q.tipsAt(&args), args...).Scan(&tipOrg)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return CaseRow{}, err
		}
		if err != nil || tipOrg != orgID {
			return CaseRow{}, errs.OnField("tip_id", "所选举报不存在或不是该社区的举报")
		}
	}
	for _, id := range c.AspirantIDs {
		var ok int
		err := t.queryRow(ctx, `SELECT 1 FROM aspirants WHERE id = $1 AND cycle_id = $2 AND org_id = $3`, id, cycleID, orgID).Scan(&ok)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return CaseRow{}, err
		}
		if err != nil {
			return CaseRow{}, errs.OnField("aspirant_ids", "关联的参选人须是该社区本届的参选人")
		}
	}
	parties, err := json.Marshal(append([]string{}, c.Parties...))
	if err != nil {
		return CaseRow{}, err
	}
	now := t.s.clock()
	err = t.queryRow(ctx, `INSERT INTO cases (cycle_id, org_id, source, tip_id, summary, parties, status, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		cycleID, orgID, string(c.Source), nullID(c.TipID), c.Summary, string(parties), string(vetting.CaseAccepted), t.q.actor.Name, now, now).Scan(&c.ID)
	if err != nil {
		return CaseRow{}, fmt.Errorf("add case: %w", err)
	}
	for _, id := range c.AspirantIDs {
		if _, err := t.exec(ctx, `INSERT INTO case_aspirants (case_id, aspirant_id) VALUES ($1, $2)`, c.ID, id); err != nil {
			return CaseRow{}, err
		}
	}
	if c.TipID != 0 {
		if _, err := t.exec(ctx, `UPDATE tips SET case_id = $1, updated_on = $2 WHERE id = $3 AND case_id IS NULL`,
			c.ID, civil.Of(now), c.TipID); err != nil {
			return CaseRow{}, err
		}
	}
	if err := t.Audit(ctx, audit.CaseAdd, On("case", itoa(c.ID), c.OrgCode), nil, audit.Fields{"community": c.OrgCode, "source": string(c.Source),
		"tip": c.TipID, "summary": c.Summary, "parties": c.Parties, "aspirants": c.AspirantIDs}); err != nil {
		return CaseRow{}, err
	}
	return t.q.caseByID(ctx, t.tx, c.ID)
}

// lockCase reads a case in scope for a change, locking its row on PostgreSQL.
func (t *Tx) lockCase(ctx context.Context, id int64) (CaseRow, error) {
	if t.s.engine == Postgres {
		var ok int64
		if err := t.queryRow(ctx, `SELECT id FROM cases WHERE id = $1 FOR UPDATE`, id).Scan(&ok); err != nil {
			return CaseRow{}, notFound(err, "没有找到该案件")
		}
	}
	return t.q.caseByID(ctx, t.tx, id)
}

// errHandleCases refuses a change of a case to an account that does not
// handle cases (ManageCases).
var errHandleCases = errs.New(errs.Forbidden, "只有纪委和公安可以办理案件")

// MoveCase takes a case in the transaction's scope one step on (受理 → 调查 →
// 处理 → 办结, none skipped; closing needs an outcome). Errors: Forbidden,
// NotFound, Conflict, Unprocessable.
func (t *Tx) MoveCase(ctx context.Context, id int64, to vetting.CaseStatus) (CaseRow, error) {
	if !t.q.investigates() {
		return CaseRow{}, errHandleCases
	}
	c, err := t.lockCase(ctx, id)
	if err != nil {
		return c, err
	}
	from := c.Status
	if err := c.Move(to, t.s.clock()); err != nil {
		return c, err
	}
	if _, err := t.exec(ctx, `UPDATE cases SET status = $1, updated_at = $2 WHERE id = $3`, string(c.Status), c.UpdatedAt, id); err != nil {
		return c, err
	}
	if err := t.Audit(ctx, audit.CaseStatus, On("case", itoa(id), c.OrgCode), audit.Fields{"status": string(from)}, audit.Fields{"status": string(to)}); err != nil {
		return c, err
	}
	return t.q.caseByID(ctx, t.tx, id)
}

// DecideCase records the outcome of a case in the transaction's scope while
// it is being handled (处理), and the day. The outcome 取消参选资格 moves every
// linked aspirant not already in a final status to disqualified, in this
// transaction, each move audited. Errors: Forbidden, NotFound, Conflict,
// Unprocessable.
func (t *Tx) DecideCase(ctx context.Context, id int64, o vetting.Outcome, note string) (CaseRow, error) {
	if !t.q.investigates() {
		return CaseRow{}, errHandleCases
	}
	c, err := t.lockCase(ctx, id)
	if err != nil {
		return c, err
	}
	before := audit.Fields{"outcome": string(c.Outcome)}
	if err := c.Decide(o, note, t.s.clock()); err != nil {
		return c, err
	}
	if _, err := t.exec(ctx, `UPDATE cases SET outcome = $1, outcome_note = $2, decided_on = $3, updated_at = $4 WHERE id = $5`,
		string(c.Outcome), c.OutcomeNote, civil.Of(c.UpdatedAt), c.UpdatedAt, id); err != nil {
		return c, err
	}
	if err := t.Audit(ctx, audit.CaseOutcome, On("case", itoa(id), c.OrgCode), before, audit.Fields{"outcome": string(c.Outcome), "note": c.OutcomeNote}); err != nil {
		return c, err
	}
	disqualifies := c.Disqualifies()
	for _, a := range c.Aspirants {
		if slices.Contains(disqualifies, a.ID) && !a.Status.Final() {
			if err := t.moveAspirant(ctx, a.ID, vetting.Disqualified, fmt.Sprintf("案件%d:%s", id, vetting.Disqualify.Label())); err != nil {
				return c, err
			}
		}
	}
	return t.q.caseByID(ctx, t.tx, id)
}
