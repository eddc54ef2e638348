package store

import (
	"context"
	"time"

	"github.com/huanjie/huanjie/internal/assess"
)

// The writes of a whole-zone reclassification, which can touch every
// standing. SQLite runs a prepared statement per row (cheap in process;
// a multi-row UPDATE measured slower). PostgreSQL gets each kind of write as
// one statement over arrays: a round trip per row made 87,532 updates take
// 12 s, against under 2 s in one.

// standingUpdate is a standing's newly computed class and explanation, and
// the class in force that results.
type standingUpdate struct {
	orgID       int64
	computed    assess.Class
	explanation string
	class       assess.Class
}

// classChange is a move of a community's class in force.
type classChange struct {
	orgID    int64
	from, to assess.Class
}

func (t *Tx) updateStandings(ctx context.Context, cycleID int64, now time.Time, ups []standingUpdate) error {
	if len(ups) == 0 {
		return nil
	}
	if t.s.engine == Postgres {
		ids, computed, expl, class := make([]int64, len(ups)), make([]string, len(ups)), make([]string, len(ups)), make([]string, len(ups))
		for i, u := range ups {
			ids[i], computed[i], expl[i], class[i] = u.orgID, string(u.computed), u.explanation, string(u.class)
		}
		_, err := t.exec(ctx, `UPDATE standings s SET computed_class = v.computed, explanation = v.explanation, class = v.class,
			updated_at = $5 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS v(org_id, computed, explanation, class)
			WHERE s.org_id = v.org_id AND s.cycle_id = $6`, ids, computed, expl, class, now, cycleID)
		return err
	}
	for _, u := range ups { // a statement prepared once for all writes (stmts.go)
		if _, err := t.exec(ctx, `UPDATE standings SET computed_class = $1, explanation = $2, class = $3, updated_at = $4
			WHERE org_id = $5 AND cycle_id = $6`, string(u.computed), u.explanation, string(u.class), now, u.orgID, cycleID); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) logClassChanges(ctx context.Context, cycleID int64, at time.Time, cause string, cs []classChange) error {
	if len(cs) == 0 {
		return nil
	}
	if t.s.engine == Postgres {
		ids, from, to := make([]int64, len(cs)), make([]string, len(cs)), make([]string, len(cs))
		for i, c := range cs {
			ids[i], from[i], to[i] = c.orgID, string(c.from), string(c.to)
		}
		_, err := t.exec(ctx, `INSERT INTO class_changes (org_id, cycle_id, at, from_class, to_class, cause)
			SELECT v.org_id, $4, $5, v.from_class, v.to_class, $6 FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v(org_id, from_class, to_class)`,
			ids, from, to, cycleID, at, cause)
		return err
	}
	for _, c := range cs { // a statement prepared once for all writes (stmts.go)
		if _, err := t.exec(ctx, `INSERT INTO class_changes (org_id, cycle_id, at, from_class, to_class, cause)
			VALUES ($1, $2, $3, $4, $5, $6)`, c.orgID, cycleID, at, string(c.from), string(c.to), cause); err != nil {
			return err
		}
	}
	return nil
}
