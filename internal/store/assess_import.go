package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
)

// ImportAssessments records many assessments in one transaction, each
// classified under the cycle's rubric and rules and made its community's
// standing, as AddAssessment does one (an assessment dated before the
// standing's own is recorded but leaves the newer one current). They must
// have passed Validate. at
// gives the moment a class change is logged for each (nil: now). One audit
// entry records the batch. Every community must lie in the transaction's
// scope: NotFound (and nothing written) for one that does not.
func (t *Tx) ImportAssessments(ctx context.Context, items []assess.Assessment, at func(assess.Assessment) time.Time) error {
	t.filled("assessments", len(items))
	t.filled("standings", len(items))
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	rubric, err := rubricOf(ctx, t.tx, cycleID)
	if err != nil {
		return err
	}
	rules, err := rulesOf(ctx, t.tx, cycleID)
	if err != nil {
		return err
	}
	lo, hi := t.q.scope.Bounds()
	find, err := t.tx.PrepareContext(ctx, `SELECT o.id, o.path, COALESCE(s.computed_class, ''), COALESCE(s.override_class, ''),
		COALESCE(a.assessed_on, '')
		FROM orgs o LEFT JOIN standings s ON s.org_id = o.id AND s.cycle_id = $2 LEFT JOIN assessments a ON a.id = s.assessment_id
		WHERE o.code = $1 AND o.kind = 'community' AND o.path >= $3 AND o.path < $4`)
	if err != nil {
		return err
	}
	defer find.Close()
	ins, err := t.tx.PrepareContext(ctx, `INSERT INTO assessments (org_id, cycle_id, assessed_on, assessors, findings, scores, total,
		max_total, computed_class, explanation, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`)
	if err != nil {
		return err
	}
	defer ins.Close()
	put, err := t.tx.PrepareContext(ctx, `INSERT INTO standings (org_id, cycle_id, assessment_id, computed_class, explanation, class, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, cycle_id) DO UPDATE SET assessment_id = excluded.assessment_id,
		computed_class = excluded.computed_class, explanation = excluded.explanation,
		class = CASE WHEN standings.override_class = '' THEN excluded.computed_class ELSE standings.override_class END,
		updated_at = excluded.updated_at`)
	if err != nil {
		return err
	}
	defer put.Close()
	log, err := t.tx.PrepareContext(ctx, `INSERT INTO class_changes (org_id, cycle_id, at, from_class, to_class, cause)
		VALUES ($1, $2, $3, $4, $5, $6)`)
	if err != nil {
		return err
	}
	defer log.Close()
	now := t.s.clock()
	moves := classTally{}
	for _, a := range items {
		var orgID int64
		var path string
		var prev assess.Standing
		var currentOn string
		if err := find.QueryRowContext(ctx, a.OrgCode, cycleID, lo, hi).Scan(&orgID, &path, &prev.Computed, &prev.Override, &currentOn); err != nil {
			return notFoundAs(err, errs.OnField("code", "社区不存在或不在管辖范围内:"+a.OrgCode))
		}
		res := assess.Classify(rubric, rules, a.Scores)
		team, _ := json.Marshal(a.Assessors)
		scores, _ := json.Marshal(a.Scores)
		var id int64
		if err := ins.QueryRowContext(ctx, orgID, cycleID, a.AssessedOn, string(team), a.Findings, string(scores), res.Total, res.Max,
			string(res.Class), res.Explanation, t.q.actor.Name, now).Scan(&id); err != nil {
			return fmt.Errorf("assessment of %s: %w", a.OrgCode, err)
		}
		if !supersedes(a.AssessedOn, currentOn) {
			continue // an older assessment: kept in the history, the newer one stays current
		}
		next := prev
		next.Computed = res.Class
		if _, err := put.ExecContext(ctx, orgID, cycleID, id, string(res.Class), res.Explanation, string(next.Class()), now); err != nil {
			return err
		}
		if prev.Class() != next.Class() {
			moves.move(path, prev.Class(), next.Class())
			when := now
			if at != nil {
				when = at(a).UTC()
			}
			if _, err := log.ExecContext(ctx, orgID, cycleID, when, string(prev.Class()), string(next.Class()), "新研判"); err != nil {
				return err
			}
		}
	}
	if err := t.addClassTotals(ctx, cycleID, moves); err != nil {
		return err
	}
	first, last := "", ""
	if len(items) > 0 {
		first, last = items[0].OrgCode, items[len(items)-1].OrgCode
	}
	return t.Audit(ctx, audit.AssessImport, On("cycle", itoa(cycleID), ""), nil, audit.Fields{"count": len(items), "first": first, "last": last})
}

// ImportPlans adds many plans of the transaction's cycle with their measures
// in one transaction with one audit entry, as AddPlan and AddMeasure do one
// by one. Every community must lie in the transaction's scope.
func (t *Tx) ImportPlans(ctx context.Context, plans []assess.Plan) error {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	for i := range plans {
		p := &plans[i]
		measures := p.Measures
		if err := p.Validate(); err != nil {
			return fmt.Errorf("%s: %w", p.OrgCode, err)
		}
		orgID, err := t.communityID(ctx, p.OrgCode)
		if err != nil {
			return err
		}
		sections, _ := json.Marshal(p.Sections)
		if err := t.queryRow(ctx, `INSERT INTO plans (org_id, cycle_id, kind, title, sections, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			orgID, cycleID, string(p.Kind), p.Title, string(sections), t.s.clock()).Scan(&p.ID); err != nil {
			if isUnique(err) {
				return errs.Newf(errs.Conflict, "社区 %s 已有%s", p.OrgCode, p.Kind.Label())
			}
			return err
		}
		for _, m := range measures {
			if err := m.Validate(); err != nil {
				return fmt.Errorf("%s: %w", p.OrgCode, err)
			}
			if _, err := t.exec(ctx, `INSERT INTO plan_measures (plan_id, section, content, owner, due_on, done_on) VALUES ($1, $2, $3, $4, $5, $6)`,
				p.ID, string(m.Section), m.Content, m.Owner, m.Due, m.DoneOn); err != nil {
				return err
			}
		}
	}
	return t.Audit(ctx, audit.PlanImport, On("cycle", itoa(cycleID), ""), nil, audit.Fields{"count": len(plans)})
}
