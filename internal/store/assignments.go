package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

// AssignmentsIn lists the assignments of the cycle on units in scope, of
// the units with codes or of all (no code), by unit, phones masked.
func (q *Scoped) AssignmentsIn(ctx context.Context, codes ...string) ([]org.Assignment, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := q.scope.Bounds()
	query := `SELECT a.id, o.code, o.name, a.duty, a.name, a.unit, a.phone_enc, COALESCE(u.username, '')
		FROM assignments a JOIN orgs o ON o.id = a.org_id LEFT JOIN users u ON u.id = a.user_id
		WHERE a.cycle_id = $1 AND o.path >= $2 AND o.path < $3`
	args := []any{cycleID, lo, hi}
	if len(codes) > 0 {
		query += ` AND o.code IN (` + inList(&args, codes) + `)`
	}
	rows, err := q.s.db.QueryContext(ctx, query+` ORDER BY o.path, a.duty, a.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.Assignment
	for rows.Next() {
		var a org.Assignment
		var phone string
		if err := rows.Scan(&a.ID, &a.OrgCode, &a.OrgName, &a.Duty, &a.Name, &a.Unit, &phone, &a.Username); err != nil {
			return nil, err
		}
		if a.Phone, err = q.s.openMasked(phone, audit.MaskPhone); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddAssignment puts a person in charge of a unit in scope. When it names an
// account of a district or community role, that account's scope becomes the
// smallest subtree holding all its assignments; the account must lie in the
// transaction's scope.
func (t *Tx) AddAssignment(ctx context.Context, a org.Assignment) (org.Assignment, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return a, err
	}
	a, userID, err := t.insertAssignment(ctx, cycleID, a)
	if err != nil {
		return a, err
	}
	if err := t.Audit(ctx, audit.AssignAdd, On("org", a.OrgCode, a.OrgCode), nil, audit.Fields{"duty": string(a.Duty), "name": a.Name,
		"unit": a.Unit, "phone": a.Phone, "account": a.Username}); err != nil {
		return a, err
	}
	if userID.Valid {
		return a, t.followAssignments(ctx, userID.Int64, cycleID)
	}
	return a, nil
}

// ImportAssignments adds many assignments with one audit entry.
func (t *Tx) ImportAssignments(ctx context.Context, list []org.Assignment) error {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	for _, a := range list {
		a, userID, err := t.insertAssignment(ctx, cycleID, a)
		if err != nil {
			return fmt.Errorf("%s: %w", a.OrgCode, err)
		}
		if userID.Valid {
			if err := t.followAssignments(ctx, userID.Int64, cycleID); err != nil {
				return err
			}
		}
	}
	return t.Audit(ctx, audit.AssignImport, On("cycle", itoa(cycleID), ""), nil, audit.Fields{"count": len(list)})
}

func (t *Tx) insertAssignment(ctx context.Context, cycleID int64, a org.Assignment) (org.Assignment, sql.NullInt64, error) {
	var userID sql.NullInt64
	unit, err := t.orgByCode(ctx, a.OrgCode)
	if err != nil {
		return a, userID, err
	}
	if err := a.Validate(unit.Kind); err != nil {
		return a, userID, err
	}
	if a.Username != "" {
		id, _, err := t.userInScope(ctx, a.Username, "username")
		if err != nil {
			return a, userID, err
		}
		userID = sql.NullInt64{Int64: id, Valid: true}
	}
	if t.s.box == nil && a.Phone != "" {
		return a, userID, errs.New(errs.Internal, "未配置个人信息密钥")
	}
	phone := ""
	if a.Phone != "" {
		phone = t.s.box.Seal(a.Phone)
	}
	err = t.queryRow(ctx, `INSERT INTO assignments (org_id, cycle_id, duty, name, unit, phone_enc, user_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		unit.ID, cycleID, string(a.Duty), a.Name, a.Unit, phone, userID, t.s.clock()).Scan(&a.ID)
	a.OrgName = unit.Name
	return a, userID, err
}

// RemoveAssignment ends an assignment on a unit in scope.
func (t *Tx) RemoveAssignment(ctx context.Context, id int64) error {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	lo, hi := t.q.scope.Bounds()
	var code string
	var userID sql.NullInt64
	err = t.queryRow(ctx, `SELECT o.code, a.user_id FROM assignments a JOIN orgs o ON o.id = a.org_id
		WHERE a.id = $1 AND a.cycle_id = $4 AND o.path >= $2 AND o.path < $3`, id, lo, hi, cycleID).Scan(&code, &userID)
	if err != nil {
		return notFound(err, "没有找到该包保记录")
	}
	if _, err := t.exec(ctx, `DELETE FROM assignments WHERE id = $1`, id); err != nil {
		return err
	}
	if err := t.Audit(ctx, audit.AssignRemove, On("org", code, code), audit.Fields{"assignment": id}, nil); err != nil {
		return err
	}
	if userID.Valid {
		return t.followAssignments(ctx, userID.Int64, cycleID)
	}
	return nil
}

// followAssignments sets the scope of a district or community account to
// the smallest subtree holding all its assignments of the cycle. Accounts
// of other roles, and accounts left without assignments, keep their scope.
func (t *Tx) followAssignments(ctx context.Context, userID, cycleID int64) error {
	var username string
	var role account.Role
	var oldScope sql.NullString
	err := t.queryRow(ctx, `SELECT u.username, u.role, o.code FROM users u LEFT JOIN orgs o ON o.id = u.scope_org_id WHERE u.id = $1`,
		userID).Scan(&username, &role, &oldScope)
	if err != nil {
		return err
	}
	if role != account.District && role != account.Community {
		return nil
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT o.path FROM assignments a JOIN orgs o ON o.id = a.org_id
		WHERE a.user_id = $1 AND a.cycle_id = $2`, userID, cycleID)
	if err != nil {
		return err
	}
	var paths []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return err
		}
		paths = append(paths, p)
	}
	rows.Close()
	if len(paths) == 0 {
		return rows.Err()
	}
	var scopeID sql.NullInt64 // NULL: assignments under different roots span the whole tree
	var code string
	if common := org.CommonScope(paths); common != "/" {
		if err := t.queryRow(ctx, `SELECT id, code FROM orgs WHERE path = $1`, common).Scan(&scopeID, &code); err != nil {
			return err
		}
	}
	if code == oldScope.String {
		return nil
	}
	if _, err := t.exec(ctx, `UPDATE users SET scope_org_id = $1 WHERE id = $2`, scopeID, userID); err != nil {
		return err
	}
	return t.Audit(ctx, audit.UserScope, On("user", username, code), audit.Fields{"scope": oldScope.String}, audit.Fields{"scope": code, "cause": "包保指派"})
}
