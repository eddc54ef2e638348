package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

const orgColumns = `o.id, o.code, o.name, o.kind, COALESCE(o.parent_id, 0), COALESCE(p.code, ''), o.path,
	o.households, o.population, o.tree_zones, o.tree_districts, o.tree_communities, o.tree_households, o.tree_population`

const orgFrom = ` FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id `

func scanOrg(row interface{ Scan(...any) error }) (org.Unit, error) {
	var u org.Unit
	t := &u.Tree
	err := row.Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &u.ParentID, &u.ParentCode, &u.Path, &u.Households, &u.Population,
		&t.Zones, &t.Districts, &t.Communities, &t.Households, &t.Population)
	return u, err
}

func (s *Store) queryOrgs(ctx context.Context, q string, args ...any) ([]org.Unit, error) {
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

// OrgFilter narrows ListOrgs.
type OrgFilter struct {
	Kind       org.Kind // "" for every kind
	ParentCode string   // "" for any parent
	After      string   // code of the last unit of the previous page, "" for the first
	Limit      int      // 0 for no limit
	Codes      []string // these units only (a few hundred at most: a placeholder each); nil for any
}

// ListOrgs returns the units in scope in tree order.
func (q *Scoped) ListOrgs(ctx context.Context, f OrgFilter) ([]org.Unit, error) {
	lo, hi := q.scope.Bounds()
	query := `SELECT ` + orgColumns + orgFrom + `WHERE o.path >= $1 AND o.path < $2`
	args := []any{lo, hi}
	next := func(v any) string { args = append(args, v); return `$` + strconv.Itoa(len(args)) }
	if f.Kind != "" {
		query += ` AND o.kind = ` + next(string(f.Kind))
	}
	if f.ParentCode != "" {
		query += ` AND p.code = ` + next(f.ParentCode)
	}
	if f.After != "" {
		query += ` AND o.path > (SELECT path FROM orgs WHERE code = ` + next(f.After) + `)`
	}
	if f.Codes != nil {
		query += ` AND o.code IN (` + inList(&args, f.Codes) + `)`
	}
	query += ` ORDER BY o.path`
	if f.Limit > 0 {
		query += ` LIMIT ` + strconv.Itoa(f.Limit)
	}
	return q.s.queryOrgs(ctx, query, args...)
}

// UnitsNamed finds the units in scope of kind ("" any) that a typed field
// names: the one whose code is s, else those whose name is s, in tree
// order, at most limit of them.
func (q *Scoped) UnitsNamed(ctx context.Context, kind org.Kind, s string, limit int) ([]org.Unit, error) {
	lo, hi := q.scope.Bounds()
	where, args := ` AND o.path >= $2 AND o.path < $3`, []any{s, lo, hi}
	if kind != "" {
		where, args = where+` AND o.kind = $4`, append(args, string(kind))
	}
	byCode, err := q.s.queryOrgs(ctx, `SELECT `+orgColumns+orgFrom+`WHERE o.code = $1`+where, args...)
	if err != nil || len(byCode) > 0 {
		return byCode, err
	}
	return q.s.queryOrgs(ctx, `SELECT `+orgColumns+orgFrom+`WHERE o.name = $1`+where+` ORDER BY o.path LIMIT `+strconv.Itoa(max(limit, 1)), args...)
}

// OrgByCode returns the unit with code if it lies in scope; NotFound otherwise,
// so that a unit outside one's scope cannot be told from a missing one.
func (q *Scoped) OrgByCode(ctx context.Context, code string) (org.Unit, error) {
	return orgInScope(ctx, q.s.db, q.scope, code)
}

// orgByCode is OrgByCode inside the transaction.
func (t *Tx) orgByCode(ctx context.Context, code string) (org.Unit, error) {
	return orgInScope(ctx, t.tx, t.q.scope, code)
}

// orgByCode reads the unit with code $1, by key: its scope is checked on
// the path it reads (byKey).
const orgByCode = byKey + `SELECT ` + orgColumns + orgFrom + `WHERE o.code = $1`

func orgInScope(ctx context.Context, db querier, scope org.Scope, code string) (org.Unit, error) {
	u, err := scanOrg(db.QueryRowContext(ctx, orgByCode, code))
	if err == nil && !scope.Contains(u.Path) {
		err = sql.ErrNoRows
	}
	if err != nil {
		return org.Unit{}, notFound(err, "没有找到该组织")
	}
	return u, nil
}

// OrgAncestors returns the units above u that lie in scope, root first, in
// one statement (a path's parts are its units' codes; an ancestor's path is
// a prefix of its descendants', so it sorts first, here in Go: the engine
// would sort the few rows in a temporary tree).
func (q *Scoped) OrgAncestors(ctx context.Context, u org.Unit) ([]org.Unit, error) {
	codes := org.Ancestors(u.Path)
	if len(codes) == 0 {
		return nil, nil
	}
	lo, hi := q.scope.Bounds()
	args := []any{lo, hi}
	out, err := q.s.queryOrgs(ctx, orgsAmong(inList(&args, codes)), args...)
	slices.SortFunc(out, func(a, b org.Unit) int { return strings.Compare(a.Path, b.Path) })
	return out, err
}

// orgsAmong reads the units whose codes are in list (placeholders after $2)
// and whose paths lie in the bounds $1, $2.
func orgsAmong(list string) string {
	return `SELECT ` + orgColumns + orgFrom + `WHERE o.code IN (` + list + `) AND o.path >= $1 AND o.path < $2`
}

// ScopeRoots returns the topmost units of a scope: the roots of the tree for
// the whole tree, otherwise the scope's own unit.
func (q *Scoped) ScopeRoots(ctx context.Context) ([]org.Unit, error) {
	if q.scope == org.All {
		return q.s.queryOrgs(ctx, scopeRoots)
	}
	return q.s.queryOrgs(ctx, scopeRoot, q.scope.Path)
}

// scopeRoot is the unit at path $1: a scoped account's one root.
const scopeRoot = `SELECT ` + orgColumns + orgFrom + `WHERE o.path = $1`

// scopeRoots are the roots of the tree by code. Ordered by parent_id (NULL
// for all of them) first, so that PostgreSQL reads them in orgs_children's
// order: it does not take "IS NULL" for an equality that fixes the index's
// first column, and would read every unit by code instead.
const scopeRoots = `SELECT ` + orgColumns + orgFrom + `WHERE o.parent_id IS NULL ORDER BY o.parent_id, o.code`

// CountOrgs sums the scope: read from the totals kept on its top units.
func (q *Scoped) CountOrgs(ctx context.Context) (org.Totals, error) {
	where, args := `parent_id IS NULL`, []any{}
	if q.scope != org.All {
		where, args = `path = $1`, []any{q.scope.Path}
	}
	var t org.Totals
	err := q.s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(tree_zones), 0), COALESCE(SUM(tree_districts), 0),
		COALESCE(SUM(tree_communities), 0), COALESCE(SUM(tree_households), 0), COALESCE(SUM(tree_population), 0)
		FROM orgs WHERE `+where, args...).Scan(&t.Zones, &t.Districts, &t.Communities, &t.Households, &t.Population)
	return t, err
}

// The children of unit $1 within the scope's bounds $2 and $3: how many,
// and in code order (orgs_children gives both from the index).
const (
	childrenCount = `SELECT COUNT(*) FROM orgs WHERE parent_id = $1 AND path >= $2 AND path < $3`
	childrenPage  = `SELECT ` + orgColumns + orgFrom + `WHERE o.parent_id = $1 AND o.path >= $2 AND o.path < $3 ORDER BY o.code`
)

// Children returns one page of the children of the unit with id parentID
// that lie in scope, by code, and how many there are in all.
func (q *Scoped) Children(ctx context.Context, parentID int64, limit, offset int) ([]org.Unit, int, error) {
	lo, hi := q.scope.Bounds()
	var total int
	err := q.s.db.QueryRowContext(ctx, childrenCount, parentID, lo, hi).Scan(&total)
	if err != nil || total == 0 {
		return nil, total, err
	}
	units, err := q.s.queryOrgs(ctx, childrenPage+` LIMIT `+strconv.Itoa(limit)+` OFFSET `+strconv.Itoa(offset), parentID, lo, hi)
	return units, total, err
}

// orgInsertColumns are the columns a unit is added in, in insertOrgArgs' order.
var orgInsertColumns = strings.Fields(`code name kind parent_id path households population tree_zones tree_districts tree_communities
	tree_households tree_population demo created_at`)

// insertOrg adds one unit (AddOrg).
var insertOrg = `INSERT INTO orgs (` + strings.Join(orgInsertColumns, ", ") + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`

func insertOrgArgs(u org.Unit, parent sql.NullInt64, demo bool, now any) []any {
	t := u.Own()
	return []any{u.Code, u.Name, string(u.Kind), parent, u.Path, u.Households, u.Population,
		t.Zones, t.Districts, t.Communities, t.Households, t.Population, demo, now}
}

// addTotals adds d to the totals of the units with the given codes.
func (t *Tx) addTotals(ctx context.Context, codes []string, d org.Totals) error {
	if d == (org.Totals{}) {
		return nil
	}
	for _, code := range codes {
		if _, err := t.exec(ctx, `UPDATE orgs SET tree_zones = tree_zones + $1, tree_districts = tree_districts + $2,
			tree_communities = tree_communities + $3, tree_households = tree_households + $4, tree_population = tree_population + $5
			WHERE code = $6`, d.Zones, d.Districts, d.Communities, d.Households, d.Population, code); err != nil {
			return fmt.Errorf("totals of %s: %w", code, err)
		}
	}
	return nil
}

// addTotalsMany adds to the totals of each unit its delta in deltas, by
// code: on PostgreSQL in one statement (an import of 10,000 communities
// added to its 1,251 districts and zone one statement each), on SQLite,
// where a statement costs no round trip, one by one.
func (t *Tx) addTotalsMany(ctx context.Context, deltas map[string]org.Totals) error {
	codes := slices.Sorted(maps.Keys(deltas))
	if t.s.engine != Postgres {
		for _, code := range codes {
			if err := t.addTotals(ctx, []string{code}, deltas[code]); err != nil {
				return err
			}
		}
		return nil
	}
	zones, districts, communities, households, population := make([]int64, len(codes)), make([]int64, len(codes)),
		make([]int64, len(codes)), make([]int64, len(codes)), make([]int64, len(codes))
	for i, code := range codes {
		d := deltas[code]
		zones[i], districts[i], communities[i], households[i], population[i] = int64(d.Zones), int64(d.Districts),
			int64(d.Communities), d.Households, d.Population
	}
	_, err := t.exec(ctx, `UPDATE orgs o SET tree_zones = o.tree_zones + v.z, tree_districts = o.tree_districts + v.d,
		tree_communities = o.tree_communities + v.c, tree_households = o.tree_households + v.h, tree_population = o.tree_population + v.p
		FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[]) AS v(code, z, d, c, h, p)
		WHERE o.code = v.code`, codes, zones, districts, communities, households, population)
	return err
}

// AddOrg adds a unit under u.ParentCode ("" for a root) and returns it.
// Conflict when the code is taken; NotFound when the parent is not in scope;
// Forbidden for a root unless the transaction may change the whole zone.
func (t *Tx) AddOrg(ctx context.Context, u org.Unit, demo bool) (org.Unit, error) {
	scope := t.q.scope
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
	} else if err := t.needZone(); err != nil {
		return org.Unit{}, errs.New(errs.Forbidden, "只有全区管理员可以新建顶级组织")
	}
	u.Path = org.PathOf(parentPath, u.Code)
	err := t.queryRow(ctx, insertOrg, insertOrgArgs(u, parentID, demo, t.s.clock())...).Scan(&u.ID)
	if isUnique(err) {
		return org.Unit{}, errs.Newf(errs.Conflict, "组织编码 %s 已被使用", u.Code)
	}
	if err != nil {
		return org.Unit{}, fmt.Errorf("add org: %w", err)
	}
	u.ParentID, u.Tree = parentID.Int64, u.Own()
	if err := t.addTotals(ctx, org.Ancestors(u.Path), u.Own()); err != nil {
		return org.Unit{}, err
	}
	return u, t.Audit(ctx, audit.OrgAdd, On("org", u.Code, u.Code), nil, audit.Fields{
		"name": u.Name, "kind": u.Kind, "parent": u.ParentCode, "households": u.Households, "population": u.Population,
	})
}

// UpdateOrg changes the name, households and population of a unit in scope.
func (t *Tx) UpdateOrg(ctx context.Context, code, name string, households, population int) (org.Unit, error) {
	old, err := t.orgByCode(ctx, code)
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
	delta := u.Own().Minus(old.Own())
	if err := t.addTotals(ctx, append(org.Ancestors(u.Path), u.Code), delta); err != nil {
		return org.Unit{}, err
	}
	u.Tree = old.Tree.Plus(delta)
	return u, t.Audit(ctx, audit.OrgUpdate, On("org", u.Code, u.Code),
		audit.Fields{"name": old.Name, "households": old.Households, "population": old.Population},
		audit.Fields{"name": u.Name, "households": u.Households, "population": u.Population})
}

// ImportOrgs adds many units at once, parents before children, each parent
// either earlier in units or already stored. It records one audit entry for
// the batch and returns the new units' ids by code. Only the whole zone's
// office (or the platform) imports units.
func (t *Tx) ImportOrgs(ctx context.Context, units []org.Unit, demo bool) (map[string]int64, error) {
	if err := t.needZone(); err != nil {
		return nil, err
	}
	type ref struct {
		id   int64
		path string
	}
	known := map[string]ref{}
	ids := make(map[string]int64, len(units))
	deltas := map[string]org.Totals{} // what the batch adds to each ancestor
	now := t.s.clock()
	// The units go in waves, many a statement: a unit whose parent is in
	// the wave waits for the next, since the parent's id is not known
	// before its row is in. The waves go by depth (the 10,000-community
	// demo's 11,251 units, a district and then its communities, took 1,247
	// statements when a wave ended before each district's first
	// community; now a few).
	type row struct {
		u      org.Unit
		parent sql.NullInt64
	}
	var wave []row
	inWave := map[string]bool{}
	flush := func() error {
		if len(wave) == 0 {
			return nil
		}
		err := t.insertMany(ctx, manyRows{table: "orgs", cols: orgInsertColumns, n: len(wave),
			row:    func(i int) ([]any, error) { return insertOrgArgs(wave[i].u, wave[i].parent, demo, now), nil },
			suffix: `RETURNING id, code`,
			scan: func(_ int, r *sql.Rows) error {
				var id int64
				var code string
				err := r.Scan(&id, &code)
				ids[code] = id
				return err
			}})
		if isUnique(err) {
			return errs.New(errs.Conflict, "组织编码已被使用")
		}
		if err != nil {
			return err
		}
		for _, w := range wave {
			if ids[w.u.Code] == 0 {
				return fmt.Errorf("import orgs: no id answered for %s", w.u.Code)
			}
			if w.u.Kind != org.Community {
				known[w.u.Code] = ref{ids[w.u.Code], w.u.Path}
			}
		}
		wave, inWave = wave[:0], map[string]bool{}
		return nil
	}
	// Every code checked before any row goes in, a statement for 1,000: a
	// code stored already is named (the insert's unique key would refuse
	// it too, without the code, and PostgreSQL then takes no statement
	// more in the transaction).
	codes := make([]string, 0, len(units))
	seen := map[string]bool{}
	for _, u := range units {
		if err := u.Validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", u.Code, err)
		}
		if seen[u.Code] {
			return nil, errs.Newf(errs.Conflict, "组织编码 %s 已被使用", u.Code)
		}
		seen[u.Code], codes = true, append(codes, u.Code)
	}
	for start := 0; start < len(codes); start += 1000 {
		var args []any
		var taken string
		switch err := t.queryRow(ctx, `SELECT code FROM orgs WHERE `+t.s.anyText("code", &args, codes[start:min(start+1000, len(codes))])+
			` ORDER BY code LIMIT 1`, args...).Scan(&taken); {
		case err == nil:
			return nil, errs.Newf(errs.Conflict, "组织编码 %s 已被使用", taken)
		case !errors.Is(err, sql.ErrNoRows):
			return nil, err
		}
	}
	add := func(u org.Unit) error {
		var parent sql.NullInt64
		var parentPath string
		if u.ParentCode != "" {
			p, ok := known[u.ParentCode]
			if !ok {
				if err := t.queryRow(ctx, `SELECT id, path FROM orgs WHERE code = $1`, u.ParentCode).Scan(&p.id, &p.path); err != nil {
					return notFoundAs(err, errs.OnField("parent", "上级组织不存在:"+u.ParentCode))
				}
				known[u.ParentCode] = p
			}
			parent, parentPath = sql.NullInt64{Int64: p.id, Valid: true}, p.path
		}
		u.Path = org.PathOf(parentPath, u.Code)
		wave, inWave[u.Code] = append(wave, row{u, parent}), true
		for _, a := range org.Ancestors(u.Path) {
			deltas[a] = deltas[a].Plus(u.Own())
		}
		return nil
	}
	// A unit whose parent is in this wave, or waits for a later one, waits.
	for pending := units; len(pending) > 0; {
		var later []org.Unit
		waiting := map[string]bool{}
		for _, u := range pending {
			if inWave[u.ParentCode] || waiting[u.ParentCode] {
				later, waiting[u.Code] = append(later, u), true
				continue
			}
			if err := add(u); err != nil {
				return nil, err
			}
		}
		if err := flush(); err != nil {
			return nil, err
		}
		pending = later
	}
	if err := t.addTotalsMany(ctx, deltas); err != nil {
		return nil, err
	}
	first, last := "", ""
	if len(units) > 0 {
		first, last = units[0].Code, units[len(units)-1].Code
	}
	return ids, t.Audit(ctx, audit.OrgImport, On("org", first, ""), nil, audit.Fields{"count": len(units), "first": first, "last": last, "demo": demo})
}

// topUnits is SQL selecting, as units o, the top units of the subtree
// whose bounds start at lo (a unit's path; "/", the whole tree's, gives
// its roots), with lo as the argument of placeholder n where it is needed.
func topUnits(lo string, n int) (string, []any) {
	if lo == "/" {
		return `o.parent_id IS NULL`, nil
	}
	return `o.path = $` + strconv.Itoa(n), []any{lo}
}

// communitiesWithin counts the communities within the bounds lo, hi (a
// unit's subtree, or the whole tree's) from their top units' totals.
func communitiesWithin(ctx context.Context, q querier, lo, hi string) (int, error) {
	if lo >= hi {
		return 0, nil
	}
	top, args := topUnits(lo, 1)
	var n int
	err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(o.tree_communities), 0) FROM orgs o WHERE `+top, args...).Scan(&n)
	return n, err
}
