package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// Plans returns the plans of a community in scope in q's cycle with their
// measures, in the order main, fallback, contingency; NotFound for a
// community outside the scope.
func (q *Scoped) Plans(ctx context.Context, code string) ([]assess.Plan, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	orgID, err := communityInScope(ctx, q.s.db, q.scope, code)
	if err != nil {
		return nil, err
	}
	rows, err := q.s.db.QueryContext(ctx, `SELECT id, kind, title, sections FROM plans WHERE org_id = $1 AND cycle_id = $2`, orgID, cycleID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*assess.Plan{}
	var plans []*assess.Plan
	for rows.Next() {
		p := &assess.Plan{OrgCode: code}
		var sections string
		if err := rows.Scan(&p.ID, &p.Kind, &p.Title, &sections); err != nil {
			rows.Close()
			return nil, err
		}
		if err := json.Unmarshal([]byte(sections), &p.Sections); err != nil {
			rows.Close()
			return nil, err
		}
		byID[p.ID] = p
		plans = append(plans, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	mrows, err := q.s.db.QueryContext(ctx, `SELECT m.id, m.plan_id, m.section, m.content, m.owner, m.due_on, m.done_on
		FROM plan_measures m JOIN plans p ON p.id = m.plan_id WHERE p.org_id = $1 AND p.cycle_id = $2 ORDER BY m.due_on, m.id`, orgID, cycleID)
	if err != nil {
		return nil, err
	}
	defer mrows.Close()
	for mrows.Next() {
		var m assess.Measure
		if err := mrows.Scan(&m.ID, &m.PlanID, &m.Section, &m.Content, &m.Owner, &m.Due, &m.DoneOn); err != nil {
			return nil, err
		}
		byID[m.PlanID].Measures = append(byID[m.PlanID].Measures, m)
	}
	out := make([]assess.Plan, 0, len(plans))
	for _, k := range assess.PlanKinds {
		for _, p := range plans {
			if p.Kind == k {
				out = append(out, *p)
			}
		}
	}
	return out, mrows.Err()
}

// AddPlan adds a plan of the transaction's cycle to a community in its
// scope. Conflict if it already has a plan of that kind; NotFound for a
// community outside the scope.
func (t *Tx) AddPlan(ctx context.Context, p assess.Plan) (assess.Plan, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return p, err
	}
	orgID, err := t.communityID(ctx, p.OrgCode)
	if err != nil {
		return p, err
	}
	if p.Sections == nil {
		p.Sections = map[assess.Section]string{}
	}
	sections, _ := json.Marshal(p.Sections)
	err = t.queryRow(ctx, `INSERT INTO plans (org_id, cycle_id, kind, title, sections, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		orgID, cycleID, string(p.Kind), p.Title, string(sections), t.s.clock()).Scan(&p.ID)
	if isUnique(err) {
		return p, errs.Newf(errs.Conflict, "该社区已有%s", p.Kind.Label())
	}
	if err != nil {
		return p, fmt.Errorf("add plan: %w", err)
	}
	return p, t.Audit(ctx, audit.PlanAdd, On("plan", itoa(p.ID), p.OrgCode), nil, audit.Fields{"community": p.OrgCode, "kind": string(p.Kind), "title": p.Title})
}

// planInScope returns the community code of a plan of the transaction's
// cycle in its scope; NotFound otherwise.
func (t *Tx) planInScope(ctx context.Context, planID int64) (string, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return "", err
	}
	lo, hi := t.q.scope.Bounds()
	var code string
	err = t.queryRow(ctx, `SELECT o.code FROM plans p JOIN orgs o ON o.id = p.org_id
		WHERE p.id = $1 AND p.cycle_id = $2 AND o.path >= $3 AND o.path < $4`, planID, cycleID, lo, hi).Scan(&code)
	return code, notFound(err, "没有找到该方案")
}

// AddMeasure adds a measure to a plan in the transaction's scope and cycle;
// NotFound for any other plan.
func (t *Tx) AddMeasure(ctx context.Context, m assess.Measure) (assess.Measure, error) {
	if err := m.Validate(); err != nil {
		return m, err
	}
	code, err := t.planInScope(ctx, m.PlanID)
	if err != nil {
		return m, err
	}
	err = t.queryRow(ctx, `INSERT INTO plan_measures (plan_id, section, content, owner, due_on) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		m.PlanID, string(m.Section), m.Content, m.Owner, m.Due).Scan(&m.ID)
	if err != nil {
		return m, err
	}
	return m, t.Audit(ctx, audit.MeasureAdd, On("measure", itoa(m.ID), code), nil, audit.Fields{
		"community": code, "plan": m.PlanID, "section": string(m.Section), "content": m.Content, "owner": m.Owner, "due": m.Due})
}

// CompleteMeasure marks a measure of a plan in the transaction's scope and
// cycle done on day; NotFound for any other measure.
func (t *Tx) CompleteMeasure(ctx context.Context, measureID int64, day civil.Date) error {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	lo, hi := t.q.scope.Bounds()
	var code, done string
	err = t.queryRow(ctx, `SELECT o.code, m.done_on FROM plan_measures m JOIN plans p ON p.id = m.plan_id JOIN orgs o ON o.id = p.org_id
		WHERE m.id = $1 AND p.cycle_id = $2 AND o.path >= $3 AND o.path < $4`, measureID, cycleID, lo, hi).Scan(&code, &done)
	if err != nil {
		return notFound(err, "没有找到该措施")
	}
	if done != "" {
		return errs.New(errs.Conflict, "该措施已于 "+done+" 完成")
	}
	if _, err := t.exec(ctx, `UPDATE plan_measures SET done_on = $1 WHERE id = $2`, day, measureID); err != nil {
		return err
	}
	return t.Audit(ctx, audit.MeasureDone, On("measure", itoa(measureID), code), audit.Fields{"done_on": ""}, audit.Fields{"community": code, "done_on": day})
}

// OpenMeasure is an open measure with its community, for the warning list
// and the overdue list.
type OpenMeasure struct {
	assess.Measure
	Code, Name, District string
	PlanKind             assess.PlanKind
}

// MeasureFilter selects open measures: those due before OverdueOn when it
// is set, those of the communities Codes when it is not nil, the page Page.
type MeasureFilter struct {
	OverdueOn civil.Date
	Codes     []string
	Page
}

// OpenMeasures lists the open measures in scope in q's cycle that f
// selects, by due day, and how many there are.
func (q *Scoped) OpenMeasures(ctx context.Context, f MeasureFilter) ([]OpenMeasure, int, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, 0, err
	}
	lo, hi := q.scope.Bounds()
	from := ` FROM plan_measures m JOIN plans p ON p.id = m.plan_id JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs d ON d.id = o.parent_id
		WHERE p.cycle_id = $1 AND m.done_on = '' AND o.path >= $2 AND o.path < $3`
	args := []any{cycleID, lo, hi}
	if f.OverdueOn != "" {
		args = append(args, f.OverdueOn)
		from += ` AND m.due_on < $4`
	}
	if f.Codes != nil {
		from += ` AND o.code IN (` + inList(&args, f.Codes) + `)`
	}
	var out []OpenMeasure
	n, err := q.s.paged(ctx, `m.id, m.plan_id, m.section, m.content, m.owner, m.due_on, o.code, o.name, COALESCE(d.name, ''), p.kind`,
		from, `m.due_on, o.code, m.id`, f.Page, func(rows *sql.Rows) error {
			var m OpenMeasure
			err := rows.Scan(&m.ID, &m.PlanID, &m.Section, &m.Content, &m.Owner, &m.Due, &m.Code, &m.Name, &m.District, &m.PlanKind)
			out = append(out, m)
			return err
		}, args...)
	return out, n, err
}
