package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/vetting"
)

// ActivityRow is an entry of the publicity and warning-education log with
// its unit's name and the labels pages show.
type ActivityRow struct {
	vetting.Activity
	OrgName   string
	TypeLabel string
	Unit      string // 幅, 场, 篇 …
}

// ActivityFilter narrows Activities.
type ActivityFilter struct {
	OrgCode string // one unit
}

// AddActivity records an entry of the cycle's log on a unit in the
// transaction's scope (a community, or a district or the zone for wider
// activities). Its day may not be in the future. Errors: Unprocessable.
func (t *Tx) AddActivity(ctx context.Context, a vetting.Activity) (ActivityRow, error) {
	now := t.s.clock()
	if err := a.Validate(civil.Of(now)); err != nil {
		return ActivityRow{}, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return ActivityRow{}, err
	}
	lo, hi := t.q.scope.Bounds()
	var orgID int64
	var orgName string
	err = t.queryRow(ctx, `SELECT id, name FROM orgs WHERE code = $1 AND path >= $2 AND path < $3`, a.OrgCode, lo, hi).Scan(&orgID, &orgName)
	if err != nil {
		return ActivityRow{}, notFoundAs(err, errs.OnField("community", "单位不存在或不在管辖范围内"))
	}
	a.CycleID, a.CreatedBy, a.CreatedAt = cycleID, t.q.actor.Name, now
	err = t.queryRow(ctx, `INSERT INTO activities (cycle_id, org_id, type, quantity, held_on, note, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		cycleID, orgID, string(a.Type), a.Quantity, a.Date, a.Note, a.CreatedBy, now).Scan(&a.ID)
	if err != nil {
		return ActivityRow{}, fmt.Errorf("add activity: %w", err)
	}
	if err := t.Audit(ctx, audit.ActivityAdd, On("activity", itoa(a.ID), a.OrgCode), nil, audit.Fields{"unit": a.OrgCode, "type": string(a.Type),
		"quantity": a.Quantity, "date": a.Date, "note": a.Note}); err != nil {
		return ActivityRow{}, err
	}
	return ActivityRow{Activity: a, OrgName: orgName, TypeLabel: a.Type.Label(), Unit: a.Type.Unit()}, nil
}

// Activities lists the cycle's log on units in scope, latest day first.
func (q *Scoped) Activities(ctx context.Context, f ActivityFilter) ([]ActivityRow, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := q.scope.Bounds()
	query := `SELECT a.id, a.cycle_id, o.code, o.name, a.type, a.quantity, a.held_on, a.note, a.created_by, a.created_at
		FROM activities a JOIN orgs o ON o.id = a.org_id WHERE a.cycle_id = $1 AND o.path >= $2 AND o.path < $3`
	args := []any{cycleID, lo, hi}
	if f.OrgCode != "" {
		args = append(args, f.OrgCode)
		query += ` AND o.code = $` + strconv.Itoa(len(args))
	}
	rows, err := q.s.db.QueryContext(ctx, query+` ORDER BY a.held_on DESC, a.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ActivityRow
	for rows.Next() {
		var r ActivityRow
		if err := rows.Scan(&r.ID, &r.CycleID, &r.OrgCode, &r.OrgName, &r.Type, &r.Quantity, &r.Date, &r.Note, &r.CreatedBy, &r.CreatedAt); err != nil {
			return nil, err
		}
		r.TypeLabel, r.Unit = r.Type.Label(), r.Type.Unit()
		out = append(out, r)
	}
	return out, rows.Err()
}

// ActivityTotals sums a log by type, every type in order, zeros included.
func ActivityTotals(rows []ActivityRow) []vetting.ActivityTotal {
	log := make([]vetting.Activity, len(rows))
	for i, r := range rows {
		log[i] = r.Activity
	}
	return vetting.Totals(log)
}
