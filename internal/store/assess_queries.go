package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"time"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/org"
)

// ClassCounts counts the communities in scope by class in force; the
// Unassessed key counts those without an assessment.
func (s *Store) ClassCounts(ctx context.Context, scope org.Scope, cycleID int64) (map[assess.Class]int, error) {
	lo, hi := scope.Bounds()
	rows, err := s.db.QueryContext(ctx, `SELECT COALESCE(st.class, ''), COUNT(*) FROM orgs o
		LEFT JOIN standings st ON st.org_id = o.id AND st.cycle_id = $1
		WHERE o.kind = 'community' AND o.path >= $2 AND o.path < $3 GROUP BY COALESCE(st.class, '')`, cycleID, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[assess.Class]int{assess.A: 0, assess.B: 0, assess.C: 0, assess.Unassessed: 0}
	for rows.Next() {
		var c assess.Class
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			return nil, err
		}
		out[c] = n
	}
	return out, rows.Err()
}

// DistrictClasses is one row of the overview: a district (the parent of
// communities) and its communities counted by class.
type DistrictClasses struct {
	Code, Name string
	Counts     map[assess.Class]int
}

// ClassCountsByDistrict counts the communities in scope by class per parent unit.
func (s *Store) ClassCountsByDistrict(ctx context.Context, scope org.Scope, cycleID int64) ([]DistrictClasses, error) {
	lo, hi := scope.Bounds()
	rows, err := s.db.QueryContext(ctx, `SELECT p.code, p.name, COALESCE(st.class, ''), COUNT(*) FROM orgs o
		JOIN orgs p ON p.id = o.parent_id
		LEFT JOIN standings st ON st.org_id = o.id AND st.cycle_id = $1
		WHERE o.kind = 'community' AND o.path >= $2 AND o.path < $3
		GROUP BY p.code, p.name, COALESCE(st.class, '') ORDER BY p.code`, cycleID, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DistrictClasses
	for rows.Next() {
		var code, name string
		var c assess.Class
		var n int
		if err := rows.Scan(&code, &name, &c, &n); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Code != code {
			out = append(out, DistrictClasses{Code: code, Name: name, Counts: map[assess.Class]int{}})
		}
		out[len(out)-1].Counts[c] = n
	}
	return out, rows.Err()
}

// CommunityClass is a community with its standing and plan count.
type CommunityClass struct {
	Code, Name, DistrictCode, DistrictName string
	Standing                               assess.Standing
	Total, Max                             int // of the latest assessment
	AssessedOn                             string
	Plans                                  int
	Scores                                 assess.Scores // with CommunityFilter.WithScores
}

// CommunityFilter narrows CommunityClasses.
type CommunityFilter struct {
	Class    assess.Class // "" for all; "-" for unassessed only
	District string       // parent code
	Code     string       // one community
	// WithScores also reads the latest assessment's scores.
	WithScores bool
	// Limit and Offset page the list (Limit 0: all).
	Limit, Offset int
}

// CommunityClasses lists the communities in scope with their standing, by code.
func (s *Store) CommunityClasses(ctx context.Context, scope org.Scope, cycleID int64, f CommunityFilter) ([]CommunityClass, error) {
	from, args := communityFrom(scope, cycleID, f, ` LEFT JOIN assessments a ON a.id = st.assessment_id`)
	q := `SELECT o.code, o.name, COALESCE(p.code, ''), COALESCE(p.name, ''), COALESCE(st.computed_class, ''),
		COALESCE(st.override_class, ''), COALESCE(st.override_reason, ''), COALESCE(st.override_by, ''), st.override_at,
		COALESCE(st.explanation, ''), COALESCE(st.assessment_id, 0), COALESCE(a.total, 0), COALESCE(a.max_total, 0),
		COALESCE(a.assessed_on, ''), (SELECT COUNT(*) FROM plans pl WHERE pl.org_id = o.id AND pl.cycle_id = $1), `
	if f.WithScores {
		q += `COALESCE(a.scores, '')`
	} else {
		q += `''`
	}
	q += from + ` ORDER BY o.code`
	if f.Limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(f.Offset)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
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

// CountCommunities counts the communities in scope that f selects (its
// Limit, Offset and WithScores aside).
func (s *Store) CountCommunities(ctx context.Context, scope org.Scope, cycleID int64, f CommunityFilter) (int, error) {
	from, args := communityFrom(scope, cycleID, f, "")
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&n)
	return n, err
}

// communityFrom is the FROM and WHERE that select the communities in scope
// that f asks for, with the parent joined as p, the cycle's standings as st,
// and any further join.
func communityFrom(scope org.Scope, cycleID int64, f CommunityFilter, join string) (string, []any) {
	lo, hi := scope.Bounds()
	args := []any{cycleID, lo, hi}
	next := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	q := ` FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id
		LEFT JOIN standings st ON st.org_id = o.id AND st.cycle_id = $1` + join + `
		WHERE o.kind = 'community' AND o.path >= $2 AND o.path < $3`
	switch f.Class {
	case "":
	case "-":
		q += ` AND st.org_id IS NULL`
	default:
		q += ` AND st.class = ` + next(string(f.Class))
	}
	if f.District != "" {
		q += ` AND p.code = ` + next(f.District)
	}
	if f.Code != "" {
		q += ` AND o.code = ` + next(f.Code)
	}
	return q, args
}

// Assessments returns a community's assessments in the cycle, newest first.
func (s *Store) Assessments(ctx context.Context, scope org.Scope, cycleID int64, code string) ([]assess.Assessment, error) {
	orgID, err := communityInScope(ctx, s.db, scope, code)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, assessed_on, assessors, findings, scores, total, max_total, computed_class,
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

// ClassChanges lists the class changes in scope since a moment, newest first.
func (s *Store) ClassChanges(ctx context.Context, scope org.Scope, cycleID int64, since time.Time) ([]ClassChange, error) {
	lo, hi := scope.Bounds()
	rows, err := s.db.QueryContext(ctx, `SELECT o.code, o.name, COALESCE(p.name, ''), c.at, c.from_class, c.to_class, c.cause
		FROM class_changes c JOIN orgs o ON o.id = c.org_id LEFT JOIN orgs p ON p.id = o.parent_id
		WHERE c.cycle_id = $1 AND c.at >= $2 AND o.path >= $3 AND o.path < $4 ORDER BY c.at DESC, c.id DESC`,
		cycleID, since.UTC(), lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ClassChange
	for rows.Next() {
		var c ClassChange
		if err := rows.Scan(&c.Code, &c.Name, &c.District, &c.At, &c.From, &c.To, &c.Cause); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PlanShortfalls lists the assessed communities in scope with fewer plans
// than their class requires under rules.
func (s *Store) PlanShortfalls(ctx context.Context, scope org.Scope, cycleID int64, rules assess.Rules) ([]assess.Shortfall, error) {
	all, err := s.CommunityClasses(ctx, scope, cycleID, CommunityFilter{})
	if err != nil {
		return nil, err
	}
	var out []assess.Shortfall
	for _, c := range all {
		class := c.Standing.Class()
		if class == assess.Unassessed {
			continue
		}
		if need := rules.PlansRequired[class]; c.Plans < need {
			out = append(out, assess.Shortfall{OrgCode: c.Code, OrgName: c.Name, District: c.DistrictName,
				Class: class, Plans: c.Plans, Required: need})
		}
	}
	return out, nil
}
