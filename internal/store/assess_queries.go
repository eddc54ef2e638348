package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/org"
)

// ClassCounts counts the communities in scope by class in force in q's
// cycle; the Unassessed key counts those without an assessment. It reads the
// counters of the scope's top units (class_totals and tree_communities), not
// the communities.
func (q *Scoped) ClassCounts(ctx context.Context) (map[assess.Class]int, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	where, args := `o.parent_id IS NULL`, []any{cycleID}
	if q.scope != org.All {
		where, args = `o.path = $2`, append(args, q.scope.Path)
	}
	var all, a, b, c int
	err = q.s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(o.tree_communities), 0), COALESCE(SUM(t.a), 0), COALESCE(SUM(t.b), 0),
		COALESCE(SUM(t.c), 0) FROM orgs o LEFT JOIN class_totals t ON t.org_id = o.id AND t.cycle_id = $1 WHERE `+where, args...).
		Scan(&all, &a, &b, &c)
	return map[assess.Class]int{assess.A: a, assess.B: b, assess.C: c, assess.Unassessed: all - a - b - c}, err
}

// DistrictClasses is one row of the overview: a district (the parent of
// communities) and its communities counted by class.
type DistrictClasses struct {
	Code, Name string
	Counts     ClassTally
}

// ClassTally counts communities by class (a value, not a map: a province's
// 12,500 districts are read on one page).
type ClassTally struct{ A, B, C, Unassessed int }

// Of is the count of class c (Unassessed for any other).
func (t ClassTally) Of(c assess.Class) int {
	switch c {
	case assess.A:
		return t.A
	case assess.B:
		return t.B
	case assess.C:
		return t.C
	}
	return t.Unassessed
}

// ClassCountsByDistrict counts the communities by class for each unit in
// scope that has communities as children, in tree order, at most limit of
// them (0: all). A unit's counts cover its whole subtree.
func (q *Scoped) ClassCountsByDistrict(ctx context.Context, limit int) ([]DistrictClasses, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := q.scope.Bounds()
	query := `SELECT o.code, o.name, o.tree_communities, COALESCE(t.a, 0), COALESCE(t.b, 0), COALESCE(t.c, 0) FROM orgs o
		LEFT JOIN class_totals t ON t.org_id = o.id AND t.cycle_id = $1
		WHERE o.kind <> 'community' AND o.path >= $2 AND o.path < $3
		AND EXISTS (SELECT 1 FROM orgs c WHERE c.parent_id = o.id AND c.kind = 'community') ORDER BY o.path`
	if limit > 0 {
		query += ` LIMIT ` + strconv.Itoa(limit)
	}
	// Room for them all at once, from the scope's count of districts (a
	// hint: growing a slice to a province's 12,500 copied megabytes).
	totals, err := q.CountOrgs(ctx)
	if err != nil {
		return nil, err
	}
	n := totals.Districts
	if limit > 0 {
		n = min(n, limit)
	}
	rows, err := q.s.db.QueryContext(ctx, query, cycleID, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]DistrictClasses, 0, n)
	for rows.Next() {
		d := DistrictClasses{}
		var all, a, b, c int
		if err := rows.Scan(&d.Code, &d.Name, &all, &a, &b, &c); err != nil {
			return nil, err
		}
		d.Counts = ClassTally{A: a, B: b, C: c, Unassessed: all - a - b - c}
		out = append(out, d)
	}
	return out, rows.Err()
}

// CommunityClass is a community with its standing and plan count.
type CommunityClass struct {
	Code, Name, DistrictCode, DistrictName string
	Standing                               assess.Standing
	Total, Max                             int // of the latest assessment
	AssessedOn                             civil.Date
	Plans                                  int
	Scores                                 assess.Scores // with CommunityFilter.WithScores
}

// CommunityFilter narrows CommunityClasses.
type CommunityFilter struct {
	Class    assess.Class // "" for all; "-" for unassessed only
	District string       // a unit's code: the communities of its subtree
	Code     string       // one community
	Codes    []string     // these communities only (a few hundred at most: a placeholder each)
	// WithScores also reads the latest assessment's scores.
	WithScores bool
	// Limit and Offset page the list (Limit 0: all).
	Limit, Offset int
}

// CommunityClasses lists the communities in scope with their standing in
// q's cycle, in tree order (district by district). The page is chosen on the orgs_kind_path
// index alone, which walks in that order, and only its rows are joined to
// the rest: the last of 500 pages costs little more than the first.
func (q *Scoped) CommunityClasses(ctx context.Context, f CommunityFilter) ([]CommunityClass, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	from, args, err := q.s.communityFrom(ctx, q.scope, cycleID, f)
	if err != nil {
		return nil, err
	}
	page := `SELECT o.id` + from + ` ORDER BY o.path`
	if f.Limit > 0 {
		page += ` LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(f.Offset)
	}
	scores := `''`
	if f.WithScores {
		scores = `COALESCE(a.scores, '')`
	}
	query := `SELECT o.code, o.name, COALESCE(p.code, ''), COALESCE(p.name, ''), COALESCE(st.computed_class, ''),
		COALESCE(st.override_class, ''), COALESCE(st.override_reason, ''), COALESCE(st.override_by, ''), st.override_at,
		COALESCE(st.explanation, ''), COALESCE(st.assessment_id, 0), COALESCE(a.total, 0), COALESCE(a.max_total, 0),
		COALESCE(a.assessed_on, ''), (SELECT COUNT(*) FROM plans pl WHERE pl.org_id = o.id AND pl.cycle_id = $1), ` + scores + `
		FROM (` + page + `) pg JOIN orgs o ON o.id = pg.id LEFT JOIN orgs p ON p.id = o.parent_id
		LEFT JOIN standings st ON st.org_id = o.id AND st.cycle_id = $1 LEFT JOIN assessments a ON a.id = st.assessment_id
		ORDER BY o.path`
	rows, err := q.s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CommunityClass
	for rows.Next() {
		var c CommunityClass
		var at sql.NullTime
		var scores string
		st := &c.Standing
		if err := rows.Scan(&c.Code, &c.Name, &c.DistrictCode, &c.DistrictName, &st.Computed, &st.Override, &st.OverrideReason,
			&st.OverrideBy, &at, &st.Explanation, &st.AssessmentID, &c.Total, &c.Max, &c.AssessedOn, &c.Plans, &scores); err != nil {
			return nil, err
		}
		if scores != "" {
			if err := json.Unmarshal([]byte(scores), &c.Scores); err != nil {
				return nil, err
			}
		}
		st.OrgCode, st.OverrideAt = c.Code, at.Time
		out = append(out, c)
	}
	return out, rows.Err()
}

// Warned lists the page p of the warned communities in scope (class C in
// tree order, then class B) with their scores, and how many there are,
// from the counters: each class's part of the page is a page of that class.
func (q *Scoped) Warned(ctx context.Context, p Page) ([]CommunityClass, int, error) {
	counts, err := q.ClassCounts(ctx)
	if err != nil {
		return nil, 0, err
	}
	var out []CommunityClass
	skip := max(p.Offset, 0)
	for _, class := range []assess.Class{assess.C, assess.B} {
		n := counts[class]
		if skip >= n {
			skip -= n
			continue
		}
		take := n - skip
		if p.Limit > 0 {
			take = min(take, p.Limit-len(out))
		}
		if take <= 0 {
			break
		}
		list, err := q.CommunityClasses(ctx, CommunityFilter{Class: class, WithScores: true, Limit: take, Offset: skip})
		if err != nil {
			return nil, 0, err
		}
		out, skip = append(out, list...), 0
	}
	return out, counts[assess.C] + counts[assess.B], nil
}

// CountCommunities counts the communities in scope that f selects (its
// Limit, Offset and WithScores aside); by class alone, from the counters.
func (q *Scoped) CountCommunities(ctx context.Context, f CommunityFilter) (int, error) {
	if f.District == "" && f.Code == "" {
		counts, err := q.ClassCounts(ctx)
		switch f.Class {
		case "":
			return counts[assess.A] + counts[assess.B] + counts[assess.C] + counts[assess.Unassessed], err
		case "-":
			return counts[assess.Unassessed], err
		}
		return counts[f.Class], err
	}
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return 0, err
	}
	from, args, err := q.s.communityFrom(ctx, q.scope, cycleID, f)
	if err != nil {
		return 0, err
	}
	var n int
	err = q.s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&n)
	return n, err
}

// communityFrom is the FROM and WHERE that select the communities in scope
// that f asks for, as o with the cycle's standings as st. A district filter
// narrows the range of paths to the district's subtree, so that the index on
// (kind, path) finds its communities directly; one outside the scope
// selects nothing.
func (s *Store) communityFrom(ctx context.Context, scope org.Scope, cycleID int64, f CommunityFilter) (string, []any, error) {
	lo, hi := scope.Bounds()
	if f.District != "" {
		var path string
		err := s.db.QueryRowContext(ctx, `SELECT path FROM orgs WHERE code = $1`, f.District).Scan(&path)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", nil, err
		}
		dlo, dhi := org.Within(path).Bounds() // empty when not found
		lo, hi = max(lo, dlo), min(hi, dhi)
	}
	args := []any{cycleID, lo, hi}
	next := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	from := ` FROM orgs o LEFT JOIN standings st ON st.org_id = o.id AND st.cycle_id = $1
		WHERE o.kind = 'community' AND o.path >= $2 AND o.path < $3`
	switch f.Class {
	case "":
	case "-":
		from += ` AND st.org_id IS NULL`
	default:
		from += ` AND st.class = ` + next(string(f.Class))
	}
	if f.Code != "" {
		from += ` AND o.code = ` + next(f.Code)
	}
	if f.Codes != nil {
		from += ` AND o.code IN (` + inList(&args, f.Codes) + `)`
	}
	return from, args, nil
}

// Assessments returns the assessments of a community in scope in q's
// cycle, newest first; NotFound for a community outside the scope.
func (q *Scoped) Assessments(ctx context.Context, code string) ([]assess.Assessment, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	orgID, err := communityInScope(ctx, q.s.db, q.scope, code)
	if err != nil {
		return nil, err
	}
	rows, err := q.s.db.QueryContext(ctx, `SELECT id, assessed_on, assessors, findings, scores, total, max_total, computed_class,
		explanation, created_by, created_at FROM assessments WHERE org_id = $1 AND cycle_id = $2 ORDER BY id DESC`, orgID, cycleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []assess.Assessment
	for rows.Next() {
		a := assess.Assessment{OrgCode: code}
		var team, scores string
		if err := rows.Scan(&a.ID, &a.AssessedOn, &team, &a.Findings, &scores, &a.Result.Total, &a.Result.Max,
			&a.Result.Class, &a.Result.Explanation, &a.CreatedBy, &a.CreatedAt); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(team), &a.Assessors); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(scores), &a.Scores); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ClassChange is a move of a community's class in force.
type ClassChange struct {
	Code, Name, District string
	At                   time.Time
	From, To             assess.Class
	Cause                string
}

// ClassChanges lists the page p of the class changes in scope in q's cycle
// since a moment, newest first, and how many there are.
func (q *Scoped) ClassChanges(ctx context.Context, since time.Time, p Page) ([]ClassChange, int, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, 0, err
	}
	return q.s.classChanges(ctx, q.scope, cycleID, since, p)
}

// classChanges is ClassChanges for a scope and a cycle given, for the
// daily meeting's agenda.
func (s *Store) classChanges(ctx context.Context, scope org.Scope, cycleID int64, since time.Time, p Page) ([]ClassChange, int, error) {
	lo, hi := scope.Bounds()
	var out []ClassChange
	n, err := s.paged(ctx, `o.code, o.name, COALESCE(p.name, ''), c.at, c.from_class, c.to_class, c.cause`,
		` FROM class_changes c JOIN orgs o ON o.id = c.org_id LEFT JOIN orgs p ON p.id = o.parent_id
		WHERE c.cycle_id = $1 AND c.at >= $2 AND o.path >= $3 AND o.path < $4`, `c.at DESC, c.id DESC`, p, func(rows *sql.Rows) error {
			var c ClassChange
			err := rows.Scan(&c.Code, &c.Name, &c.District, &c.At, &c.From, &c.To, &c.Cause)
			out = append(out, c)
			return err
		}, cycleID, since.UTC(), lo, hi)
	return out, n, err
}

// PlanShortfalls lists the page p of the assessed communities in scope
// with fewer plans than their class requires under rules, in tree order,
// and how many there are. The count takes the communities of each such
// class from the counters and the ones with enough plans from the plans:
// it grows with the plans made, not with the zone.
func (q *Scoped) PlanShortfalls(ctx context.Context, rules assess.Rules, p Page) ([]assess.Shortfall, int, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, 0, err
	}
	counts, err := q.ClassCounts(ctx)
	if err != nil {
		return nil, 0, err
	}
	lo, hi := q.scope.Bounds()
	args := []any{cycleID, lo, hi}
	var classes []string
	need, total := `CASE st.class`, 0
	for _, c := range []assess.Class{assess.A, assess.B, assess.C} {
		if n := rules.PlansRequired[c]; n > 0 {
			classes = append(classes, string(c))
			args = append(args, n)
			need += ` WHEN '` + string(c) + `' THEN CAST($` + strconv.Itoa(len(args)) + ` AS INTEGER)`
			total += counts[c]
		}
	}
	if len(classes) == 0 {
		return nil, 0, nil
	}
	need += ` END`
	in := inList(&args, classes)
	plans := `(SELECT COUNT(*) FROM plans pl WHERE pl.org_id = o.id AND pl.cycle_id = $1)`
	var out []assess.Shortfall
	err = q.s.each(ctx, `SELECT o.code, o.name, COALESCE(d.name, ''), st.class, `+plans+`, `+need+`
		FROM orgs o JOIN standings st ON st.org_id = o.id AND st.cycle_id = $1 LEFT JOIN orgs d ON d.id = o.parent_id
		WHERE o.kind = 'community' AND o.path >= $2 AND o.path < $3 AND st.class IN (`+in+`) AND `+plans+` < `+need+`
		ORDER BY o.path`+p.sql(), func(rows *sql.Rows) error {
		var sf assess.Shortfall
		err := rows.Scan(&sf.OrgCode, &sf.OrgName, &sf.District, &sf.Class, &sf.Plans, &sf.Required)
		out = append(out, sf)
		return err
	}, args...)
	if err != nil {
		return nil, 0, err
	}
	var enough int
	// The plans are counted first, grouped, and joined to their standings
	// (CROSS JOIN keeps SQLite to that order: from the class index it
	// would read the 100,000 standings).
	err = q.s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT org_id, COUNT(*) AS n FROM plans WHERE cycle_id = $1 GROUP BY org_id) pl
		CROSS JOIN standings st CROSS JOIN orgs o
		WHERE st.org_id = pl.org_id AND st.cycle_id = $1 AND o.id = pl.org_id AND o.path >= $2 AND o.path < $3
		AND st.class IN (`+in+`) AND pl.n >= `+need, args...).Scan(&enough)
	return out, total - enough, err
}
