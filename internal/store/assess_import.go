package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
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
	units, err := t.importedUnits(ctx, cycleID, items)
	if err != nil {
		return err
	}
	// The assessments, many a statement: a statement each took 11 of the
	// 10,000-community demo's 99 seconds on PostgreSQL, most of it in
	// round trips.
	now := t.s.clock()
	results := make([]assess.Result, len(items))
	ids := make([]int64, len(items))
	err = t.insertMany(ctx, manyRows{table: "assessments", cols: importColumns, n: len(items),
		row: func(i int) ([]any, error) {
			a := items[i]
			results[i] = assess.Classify(rubric, rules, a.Scores)
			team, _ := json.Marshal(a.Assessors)
			scores, _ := json.Marshal(a.Scores)
			return []any{units[a.OrgCode].id, cycleID, a.AssessedOn, string(team), a.Findings, string(scores), results[i].Total,
				results[i].Max, string(results[i].Class), results[i].Explanation, t.q.actor.Name, now}, nil
		},
		suffix: `RETURNING id, org_id`, all: true,
		scan: func(i int, r *sql.Rows) error {
			var orgID int64
			if err := r.Scan(&ids[i], &orgID); err != nil {
				return err
			}
			if orgID != units[items[i].OrgCode].id { // rows answered in another order than sent: nothing is kept
				return fmt.Errorf("assessment %d of %s answered as %d's", i, items[i].OrgCode, orgID)
			}
			return nil
		}})
	if err != nil {
		return fmt.Errorf("assessments: %w", err)
	}
	// Each in turn becomes its community's standing unless the standing
	// rests on a later one; a community's last is written.
	moves := classTally{}
	var changes [][]any // class_changes rows
	var moved []*importedUnit
	for i, a := range items {
		u := units[a.OrgCode]
		if !supersedes(a.AssessedOn, u.currentOn) {
			continue // an older assessment: kept in the history, the newer one stays current
		}
		if !u.moved {
			u.moved, moved = true, append(moved, u)
		}
		prev := u.standing.Class()
		u.standing.Computed, u.standing.Explanation, u.standing.AssessmentID = results[i].Class, results[i].Explanation, ids[i]
		u.currentOn = string(a.AssessedOn)
		if next := u.standing.Class(); next != prev {
			moves.move(u.path, prev, next)
			when := now
			if at != nil {
				when = at(a).UTC()
			}
			changes = append(changes, []any{u.id, cycleID, when, string(prev), string(next), "新研判"})
		}
	}
	err = t.insertMany(ctx, manyRows{table: "standings", cols: strings.Fields(`org_id cycle_id assessment_id computed_class explanation
		class updated_at`), n: len(moved),
		row: func(i int) ([]any, error) {
			u := moved[i]
			return []any{u.id, cycleID, u.standing.AssessmentID, string(u.standing.Computed), u.standing.Explanation,
				string(u.standing.Class()), now}, nil
		},
		suffix: `ON CONFLICT (org_id, cycle_id) DO UPDATE SET assessment_id = excluded.assessment_id,
		computed_class = excluded.computed_class, explanation = excluded.explanation,
		class = CASE WHEN standings.override_class = '' THEN excluded.computed_class ELSE standings.override_class END,
		updated_at = excluded.updated_at`})
	if err != nil {
		return fmt.Errorf("standings: %w", err)
	}
	err = t.insertRows(ctx, "class_changes", strings.Fields(`org_id cycle_id at from_class to_class cause`), len(changes),
		func(i int) ([]any, error) { return changes[i], nil })
	if err != nil {
		return fmt.Errorf("class changes: %w", err)
	}
	t.addClassTotals(cycleID, moves)
	first, last := "", ""
	if len(items) > 0 {
		first, last = items[0].OrgCode, items[len(items)-1].OrgCode
	}
	return t.Audit(ctx, audit.AssessImport, On("cycle", itoa(cycleID), ""), nil, audit.Fields{"count": len(items), "first": first, "last": last})
}

// importColumns are the columns an assessment is recorded in.
var importColumns = strings.Fields(`org_id cycle_id assessed_on assessors findings scores total max_total computed_class
	explanation created_by created_at`)

// importedUnit is a community an import names, with its standing as the
// import goes through its rows.
type importedUnit struct {
	id        int64
	path      string
	standing  assess.Standing
	currentOn string // the day of the assessment its standing rests on, "" for none
	moved     bool   // its standing rests on an assessment of the import
}

// importedUnits reads the communities items name, a statement for 1,000 of
// them; NotFound on the field code for the first item whose community is
// not in the transaction's scope.
func (t *Tx) importedUnits(ctx context.Context, cycleID int64, items []assess.Assessment) (map[string]*importedUnit, error) {
	units := map[string]*importedUnit{}
	var codes []string
	for _, a := range items {
		if _, ok := units[a.OrgCode]; !ok {
			units[a.OrgCode] = nil
			codes = append(codes, a.OrgCode)
		}
	}
	lo, hi := t.q.scope.Bounds()
	for start := 0; start < len(codes); start += 1000 {
		args := []any{cycleID, lo, hi}
		err := eachRow(ctx, t.tx, `SELECT o.code, o.id, o.path, COALESCE(s.computed_class, ''), COALESCE(s.override_class, ''),
			COALESCE(a.assessed_on, '') FROM orgs o
			LEFT JOIN standings s ON s.org_id = o.id AND s.cycle_id = $1 LEFT JOIN assessments a ON a.id = s.assessment_id
			WHERE `+t.s.anyText("o.code", &args, codes[start:min(start+1000, len(codes))])+`
			AND o.kind = 'community' AND o.path >= $2 AND o.path < $3`, func(r *sql.Rows) error {
			var code string
			u := &importedUnit{}
			err := r.Scan(&code, &u.id, &u.path, &u.standing.Computed, &u.standing.Override, &u.currentOn)
			units[code] = u
			return err
		}, args...)
		if err != nil {
			return nil, err
		}
	}
	for _, a := range items {
		if units[a.OrgCode] == nil {
			return nil, errs.OnField("code", "社区不存在或不在管辖范围内:"+a.OrgCode)
		}
	}
	return units, nil
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
