package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/audit"
)

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// AssessRubric returns the rubric of q's cycle: the office's if it edited
// one, else assess.DefaultRubric. It is the same for the whole zone.
func (q *Scoped) AssessRubric(ctx context.Context) (assess.Rubric, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	return rubricOf(ctx, q.s.db, cycleID)
}

func rubricOf(ctx context.Context, q querier, cycleID int64) (assess.Rubric, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, dimension, name, kind, max_score, veto FROM assess_indicators
		WHERE cycle_id = $1 ORDER BY sort`, cycleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var r assess.Rubric
	for rows.Next() {
		var ind assess.Indicator
		if err := rows.Scan(&ind.Code, &ind.Dimension, &ind.Name, &ind.Kind, &ind.Max, &ind.Veto); err != nil {
			return nil, err
		}
		r = append(r, ind)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(r) == 0 {
		return assess.DefaultRubric(), nil
	}
	return r, nil
}

// AssessRules returns the classification rules of q's cycle, defaults if
// unset. They are the same for the whole zone.
func (q *Scoped) AssessRules(ctx context.Context) (assess.Rules, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return assess.Rules{}, err
	}
	return rulesOf(ctx, q.s.db, cycleID)
}

func rulesOf(ctx context.Context, q querier, cycleID int64) (assess.Rules, error) {
	r := assess.Rules{PlansRequired: map[assess.Class]int{}}
	var pa, pb, pc int
	err := q.QueryRowContext(ctx, `SELECT a_min, b_min, plans_a, plans_b, plans_c FROM assess_rules WHERE cycle_id = $1`, cycleID).
		Scan(&r.AMin, &r.BMin, &pa, &pb, &pc)
	if errors.Is(err, sql.ErrNoRows) {
		return assess.DefaultRules(), nil
	}
	r.PlansRequired[assess.A], r.PlansRequired[assess.B], r.PlansRequired[assess.C] = pa, pb, pc
	return r, err
}

// SaveRubric replaces the cycle's rubric and reclassifies every community
// under it. The rubric is the whole zone's: Forbidden unless the
// transaction may change zone-wide settings.
func (t *Tx) SaveRubric(ctx context.Context, r assess.Rubric) (Reclassified, error) {
	if err := t.needZone(); err != nil {
		return Reclassified{}, err
	}
	if err := r.Validate(); err != nil {
		return Reclassified{}, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return Reclassified{}, err
	}
	before, err := rubricOf(ctx, t.tx, cycleID)
	if err != nil {
		return Reclassified{}, err
	}
	if _, err := t.exec(ctx, `DELETE FROM assess_indicators WHERE cycle_id = $1`, cycleID); err != nil {
		return Reclassified{}, err
	}
	for i, ind := range r {
		if _, err := t.exec(ctx, `INSERT INTO assess_indicators (cycle_id, code, dimension, name, kind, max_score, veto, sort)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, cycleID, ind.Code, string(ind.Dimension), ind.Name, string(ind.Kind),
			ind.Max, string(ind.Veto), i); err != nil {
			return Reclassified{}, err
		}
	}
	if err := t.Audit(ctx, audit.AssessRubric, On("cycle", itoa(cycleID), ""),
		audit.Fields{"indicators": len(before), "max_total": before.MaxTotal()},
		audit.Fields{"indicators": len(r), "max_total": r.MaxTotal()}); err != nil {
		return Reclassified{}, err
	}
	return t.reclassify(ctx, cycleID, "评分标准修改")
}

// SaveRules replaces the cycle's thresholds and plan counts and
// reclassifies. The rules are the whole zone's: Forbidden unless the
// transaction may change zone-wide settings.
func (t *Tx) SaveRules(ctx context.Context, r assess.Rules) (Reclassified, error) {
	if err := t.needZone(); err != nil {
		return Reclassified{}, err
	}
	if err := r.Validate(); err != nil {
		return Reclassified{}, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return Reclassified{}, err
	}
	before, err := rulesOf(ctx, t.tx, cycleID)
	if err != nil {
		return Reclassified{}, err
	}
	_, err = t.exec(ctx, `INSERT INTO assess_rules (cycle_id, a_min, b_min, plans_a, plans_b, plans_c)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (cycle_id) DO UPDATE
		SET a_min = excluded.a_min, b_min = excluded.b_min, plans_a = excluded.plans_a, plans_b = excluded.plans_b, plans_c = excluded.plans_c`,
		cycleID, r.AMin, r.BMin, r.PlansRequired[assess.A], r.PlansRequired[assess.B], r.PlansRequired[assess.C])
	if err != nil {
		return Reclassified{}, err
	}
	if err := t.Audit(ctx, audit.AssessRules, On("cycle", itoa(cycleID), ""), rulesFields(before), rulesFields(r)); err != nil {
		return Reclassified{}, err
	}
	return t.reclassify(ctx, cycleID, "分类规则修改")
}

func rulesFields(r assess.Rules) audit.Fields {
	return audit.Fields{"a_min": r.AMin, "b_min": r.BMin,
		"plans_a": r.PlansRequired[assess.A], "plans_b": r.PlansRequired[assess.B], "plans_c": r.PlansRequired[assess.C]}
}
