package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

const orgColumns = `o.id, o.code, o.name, o.kind, COALESCE(o.parent_id, 0), COALESCE(p.code, ''), o.path, o.households, o.population`

func scanOrg(row interface{ Scan(...any) error }) (org.Unit, error) {
	var u org.Unit
	err := row.Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &u.ParentID, &u.ParentCode, &u.Path, &u.Households, &u.Population)
	return u, err
}

// OrgFilter narrows ListOrgs.
type OrgFilter struct {
	Kind       org.Kind // "" for every kind
	ParentCode string   // "" for any parent
}

// ListOrgs returns the units in scope in tree order.
func (s *Store) ListOrgs(ctx context.Context, scope org.Scope, f OrgFilter) ([]org.Unit, error) {
	lo, hi := scope.Bounds()
	q := `SELECT ` + orgColumns + ` FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id
		WHERE o.path >= $1 AND o.path < $2`
	args := []any{lo, hi}
	if f.Kind != "" {
		args = append(args, string(f.Kind))
		q += ` AND o.kind = $` + strconv.Itoa(len(args))
	}
	if f.ParentCode != "" {
		args = append(args, f.ParentCode)
		q += ` AND p.code = $` + strconv.Itoa(len(args))
	}
	q += ` ORDER BY o.path`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.Unit
	for rows.Next() {
		u, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// OrgByCode returns the unit with code if it lies in scope; NotFound otherwise,
// so that a unit outside one's scope cannot be told from a missing one.
func (s *Store) OrgByCode(ctx context.Context, scope org.Scope, code string) (org.Unit, error) {
	lo, hi := scope.Bounds()
	u, err := scanOrg(s.db.QueryRowContext(ctx, `SELECT `+orgColumns+`
		FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id
		WHERE o.code = $1 AND o.path >= $2 AND o.path < $3`, code, lo, hi))
	if err != nil {
		return org.Unit{}, notFound(err, "没有找到该组织")
	}
	return u, nil
}

// OrgAncestors returns the units above u, root first.
func (s *Store) OrgAncestors(ctx context.Context, u org.Unit) ([]org.Unit, error) {
	var out []org.Unit
	for id := u.ParentID; id != 0; {
		a, err := scanOrg(s.db.QueryRowContext(ctx, `SELECT `+orgColumns+`
			FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.id = $1`, id))
		if err != nil {
			return nil, err
		}
		out = append([]org.Unit{a}, out...)
		id = a.ParentID
	}
	return out, nil
}

// AddOrg adds a unit under parentCode ("" for a root) and returns it.
// Conflict when the code is taken; NotFound when the parent is not in scope.
func (t *Tx) AddOrg(ctx context.Context, scope org.Scope, u org.Unit, demo bool) (org.Unit, error) {
	if err := u.Validate(); err != nil {
		return org.Unit{}, err
	}
	var parentPath string
	var parentID sql.NullInt64
	if u.ParentCode != "" {
		lo, hi := scope.Bounds()
		err := t.queryRow(ctx, `SELECT id, path FROM orgs WHERE code = $1 AND path >= $2 AND path < $3`,
			u.ParentCode, lo, hi).Scan(&parentID, &parentPath)
		if err != nil {
			return org.Unit{}, notFound(err, "上级组织不存在或不在管辖范围内")
		}
	} else if scope != org.All {
		return org.Unit{}, errs.New(errs.Forbidden, "只有全区管理员可以新建顶级组织")
	}
	u.Path = org.PathOf(parentPath, u.Code)
	err := t.queryRow(ctx, `INSERT INTO orgs (code, name, kind, parent_id, path, households, population, demo, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		u.Code, u.Name, string(u.Kind), parentID, u.Path, u.Households, u.Population, demo, t.s.clock()).Scan(&u.ID)
	if isUnique(err) {
		return org.Unit{}, errs.Newf(errs.Conflict, "组织编码 %s 已被使用", u.Code)
	}
	if err != nil {
		return org.Unit{}, fmt.Errorf("add org: %w", err)
	}
	u.ParentID = parentID.Int64
	return u, t.Audit(ctx, "org.add", "org", u.Code, nil, audit.Fields{
		"name": u.Name, "kind": u.Kind, "parent": u.ParentCode, "households": u.Households, "population": u.Population,
	})
}

// UpdateOrg changes a unit's name, households and population.
func (t *Tx) UpdateOrg(ctx context.Context, scope org.Scope, code, name string, households, population int) (org.Unit, error) {
	old, err := t.s.OrgByCode(ctx, scope, code)
	if err != nil {
		return org.Unit{}, err
	}
	u := old
	u.Name, u.Households, u.Population = name, households, population
	if err := u.Validate(); err != nil {
		return org.Unit{}, err
	}
	if _, err := t.exec(ctx, `UPDATE orgs SET name = $1, households = $2, population = $3 WHERE id = $4`,
		u.Name, u.Households, u.Population, u.ID); err != nil {
		return org.Unit{}, err
	}
	return u, t.Audit(ctx, "org.update", "org", u.Code,
		audit.Fields{"name": old.Name, "households": old.Households, "population": old.Population},
		audit.Fields{"name": u.Name, "households": u.Households, "population": u.Population})
}

// OrgCounts is the number of units of each kind in scope, with the
// communities' households and population summed.
type OrgCounts struct {
	Zones, Districts, Communities int
	Households, Population        int64
}

// CountOrgs counts the units in scope.
func (s *Store) CountOrgs(ctx context.Context, scope org.Scope) (OrgCounts, error) {
	lo, hi := scope.Bounds()
	var c OrgCounts
	err := s.db.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN kind = 'zone' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN kind = 'district' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN kind = 'community' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN kind = 'community' THEN households ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN kind = 'community' THEN population ELSE 0 END), 0)
		FROM orgs WHERE path >= $1 AND path < $2`, lo, hi).
		Scan(&c.Zones, &c.Districts, &c.Communities, &c.Households, &c.Population)
	return c, err
}

// ChildSummary is one unit with the number of communities below it.
type ChildSummary struct {
	Unit        org.Unit
	Communities int
	Households  int64
	Population  int64
}

// ChildrenSummary returns the children of the unit with id parentID (in
// scope), each with its communities counted and summed.
func (s *Store) ChildrenSummary(ctx context.Context, scope org.Scope, parentID int64) ([]ChildSummary, error) {
	lo, hi := scope.Bounds()
	rows, err := s.db.QueryContext(ctx, `SELECT `+orgColumns+`,
		COUNT(c.id), COALESCE(SUM(c.households), 0), COALESCE(SUM(c.population), 0)
		FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id
		LEFT JOIN orgs c ON c.kind = 'community' AND c.path >= o.path AND c.path < o.path || '~'
		WHERE o.parent_id = $1 AND o.path >= $2 AND o.path < $3
		GROUP BY o.id, o.code, o.name, o.kind, o.parent_id, p.code, o.path, o.households, o.population
		ORDER BY o.code`, parentID, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ChildSummary
	for rows.Next() {
		var c ChildSummary
		err := rows.Scan(&c.Unit.ID, &c.Unit.Code, &c.Unit.Name, &c.Unit.Kind, &c.Unit.ParentID, &c.Unit.ParentCode,
			&c.Unit.Path, &c.Unit.Households, &c.Unit.Population, &c.Communities, &c.Households, &c.Population)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ScopeRoots returns the topmost units of a scope: the roots of the tree for
// the whole tree, otherwise the scope's own unit.
func (s *Store) ScopeRoots(ctx context.Context, scope org.Scope) ([]org.Unit, error) {
	q := `SELECT ` + orgColumns + ` FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id `
	var args []any
	if scope == org.All {
		q += `WHERE o.parent_id IS NULL ORDER BY o.code`
	} else {
		q += `WHERE o.path = $1`
		args = append(args, scope.Path)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.Unit
	for rows.Next() {
		u, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// ImportOrgs adds many units at once, parents before children, each parent
// either earlier in units or already stored. It records one audit entry for
// the batch and returns the new units' ids by code; progress, if not nil, is
// called after every 1,000 units.
func (t *Tx) ImportOrgs(ctx context.Context, units []org.Unit, demo bool, progress func(done int)) (map[string]int64, error) {
	stmt, err := t.tx.PrepareContext(ctx, `INSERT INTO orgs (code, name, kind, parent_id, path, households, population, demo, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	type ref struct {
		id   int64
		path string
	}
	known := map[string]ref{}
	ids := make(map[string]int64, len(units))
	now := t.s.clock()
	for i, u := range units {
		if err := u.Validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", u.Code, err)
		}
		var parent sql.NullInt64
		var parentPath string
		if u.ParentCode != "" {
			p, ok := known[u.ParentCode]
			if !ok {
				if err := t.queryRow(ctx, `SELECT id, path FROM orgs WHERE code = $1`, u.ParentCode).Scan(&p.id, &p.path); err != nil {
					return nil, notFoundAs(err, errs.OnField("parent", "上级组织不存在:"+u.ParentCode))
				}
				known[u.ParentCode] = p
			}
			parent, parentPath = sql.NullInt64{Int64: p.id, Valid: true}, p.path
		}
		path := org.PathOf(parentPath, u.Code)
		var id int64
		err := stmt.QueryRowContext(ctx, u.Code, u.Name, string(u.Kind), parent, path, u.Households, u.Population, demo, now).Scan(&id)
		if isUnique(err) {
			return nil, errs.Newf(errs.Conflict, "组织编码 %s 已被使用", u.Code)
		}
		if err != nil {
			return nil, err
		}
		ids[u.Code] = id
		if u.Kind != org.Community {
			known[u.Code] = ref{id, path}
		}
		if progress != nil && (i+1)%1000 == 0 {
			progress(i + 1)
		}
	}
	if progress != nil {
		progress(len(units))
	}
	first, last := "", ""
	if len(units) > 0 {
		first, last = units[0].Code, units[len(units)-1].Code
	}
	return ids, t.Audit(ctx, "org.import", "org", first, nil, audit.Fields{"count": len(units), "first": first, "last": last, "demo": demo})
}
