package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

const userColumns = `u.id, u.username, u.display_name, u.role, COALESCE(o.code, ''), COALESCE(o.path, ''),
	COALESCE(o.name, ''), COALESCE(d.code, ''), COALESCE(d.name, ''), u.disabled, u.created_at,
	u.must_change_password, u.last_login_at`

const userJoins = ` FROM users u LEFT JOIN orgs o ON o.id = u.scope_org_id LEFT JOIN departments d ON d.id = u.department_id `

func scanUser(row interface{ Scan(...any) error }, extra ...any) (account.User, error) {
	var u account.User
	var last sql.NullTime
	dest := append([]any{&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.ScopeCode, &u.ScopePath,
		&u.ScopeName, &u.DepartmentCode, &u.DepartmentName, &u.Disabled, &u.CreatedAt,
		&u.MustChangePassword, &last}, extra...)
	err := row.Scan(dest...)
	u.LastLoginAt = last.Time
	return u, err
}

// AddUser adds an account whose scope lies within the transaction's scope.
// Conflict when the username is taken; Unprocessable when the scope or
// department does not exist or the scope lies outside; Forbidden when a
// scoped adder gives no scope (which would mean the whole tree).
func (t *Tx) AddUser(ctx context.Context, n account.NewUser) (account.User, error) {
	within := t.q.scope
	if err := n.Validate(); err != nil {
		return account.User{}, err
	}
	hash := n.PasswordHash
	if hash == "" {
		var err error
		if hash, err = account.HashPassword(n.Password); err != nil {
			return account.User{}, err
		}
	}
	var scopeID, deptID sql.NullInt64
	if n.ScopeCode != "" {
		lo, hi := within.Bounds()
		err := t.queryRow(ctx, `SELECT id FROM orgs WHERE code = $1 AND path >= $2 AND path < $3`, n.ScopeCode, lo, hi).Scan(&scopeID)
		if err != nil {
			return account.User{}, notFoundAs(err, errs.OnField("scope", "管辖范围的组织编码不存在或不在您的管辖范围内:"+n.ScopeCode))
		}
	} else if within != org.All {
		return account.User{}, errs.New(errs.Forbidden, "您只能在自己的管辖范围内新建账号,请填写组织编码")
	}
	if n.DepartmentCode != "" {
		if err := t.queryRow(ctx, `SELECT id FROM departments WHERE code = $1`, n.DepartmentCode).Scan(&deptID); err != nil {
			return account.User{}, notFoundAs(err, errs.OnField("department", "联审部门编码不存在:"+n.DepartmentCode))
		}
	}
	now := t.s.clock()
	var id int64
	err := t.queryRow(ctx, `INSERT INTO users (username, display_name, role, scope_org_id, department_id,
		password_hash, disabled, created_at, password_changed_at)
		VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7, $8) RETURNING id`,
		n.Username, n.DisplayName, string(n.Role), scopeID, deptID, hash, now, now).Scan(&id)
	if isUnique(err) {
		return account.User{}, errs.Newf(errs.Conflict, "用户名 %s 已被使用", n.Username)
	}
	if err != nil {
		return account.User{}, fmt.Errorf("add user: %w", err)
	}
	u, err := scanUser(t.queryRow(ctx, `SELECT `+userColumns+userJoins+`WHERE u.id = $1`, id))
	if err != nil {
		return account.User{}, err
	}
	return u, t.Audit(ctx, audit.UserAdd, On("user", u.Username, u.ScopeCode), nil, audit.Fields{
		"display_name": u.DisplayName, "role": u.Role, "scope": u.ScopeCode, "department": u.DepartmentCode,
	})
}

func notFoundAs(err error, as *errs.Error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return as
	}
	return err
}

// UserByID returns the user with id; NotFound if none.
func (s *Store) UserByID(ctx context.Context, id int64) (account.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+userJoins+`WHERE u.id = $1`, id))
	return u, notFound(err, "用户不存在")
}

// ListUsers returns the users whose scope lies within q's (accounts of the
// whole tree see every user).
func (q *Scoped) ListUsers(ctx context.Context) ([]account.User, error) {
	lo, hi := q.scope.Bounds()
	query := `SELECT ` + userColumns + userJoins
	var args []any
	if q.scope != org.All {
		query += `WHERE o.path >= $1 AND o.path < $2 `
		args = append(args, lo, hi)
	}
	rows, err := q.s.db.QueryContext(ctx, query+`ORDER BY u.role, u.username`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetPassword replaces a user's password and ends all the user's sessions
// and API tokens. When old is not nil it must match the current one (a user
// changing their own password). Unprocessable when the password breaks the
// policy (account.CheckPassword).
func (t *Tx) SetPassword(ctx context.Context, userID int64, old *string, password string) error {
	var username, hash, unit string
	err := t.queryRow(ctx, `SELECT u.username, u.password_hash, COALESCE(o.code, '') FROM users u LEFT JOIN orgs o ON o.id = u.scope_org_id
		WHERE u.id = $1`, userID).Scan(&username, &hash, &unit)
	if err != nil {
		return notFound(err, "用户不存在")
	}
	if old != nil && !account.VerifyPassword(hash, *old) {
		return errs.OnField("old_password", "原密码不正确")
	}
	if err := account.CheckPassword(password, username); err != nil {
		return err
	}
	newHash, err := account.HashPassword(password)
	if err != nil {
		return err
	}
	// A password the user chose ends a reset's one-time password.
	if _, err := t.exec(ctx, `UPDATE users SET password_hash = $1, password_changed_at = $2, must_change_password = FALSE WHERE id = $3`,
		newHash, t.s.clock(), userID); err != nil {
		return err
	}
	// A new password ends every way in that the old one opened: all the
	// user's sessions (the one making the change included) and API tokens.
	if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return err
	}
	res, err := t.exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, t.s.clock(), userID)
	if err != nil {
		return err
	}
	revoked, _ := res.RowsAffected()
	return t.Audit(ctx, audit.UserPassword, On("user", username, unit), nil, audit.Fields{"password": "changed", "tokens_revoked": revoked})
}

// userInScope returns the id and role of the account with username when its
// scope lies within the transaction's: a scoped office cannot name, move or
// team up accounts of other districts, nor accounts of the whole tree.
// field names the form field for the error.
func (t *Tx) userInScope(ctx context.Context, username, field string) (int64, account.Role, error) {
	var id int64
	var role account.Role
	var path string
	err := t.queryRow(ctx, `SELECT u.id, u.role, COALESCE(o.path, '/') FROM users u LEFT JOIN orgs o ON o.id = u.scope_org_id
		WHERE u.username = $1`, username).Scan(&id, &role, &path)
	if err == nil && !t.q.scope.Contains(path) && t.q.scope != org.All {
		err = sql.ErrNoRows
	}
	return id, role, notFoundAs(err, errs.OnField(field, "账号“"+username+"”不存在或不在您的管辖范围内"))
}

// UserIDByUsername returns the id of a user; NotFound if none.
func (s *Store) UserIDByUsername(ctx context.Context, username string) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM users WHERE username = $1`, username).Scan(&id)
	return id, notFound(err, "用户不存在:"+username)
}

// HasUsers reports whether any account exists.
func (s *Store) HasUsers(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n > 0, err
}

// byDisplayName is SQL giving the display name of the account whose
// username is in column col, as pages name the person who recorded
// something; col itself when no account has it (the platform's own
// actors: system, public, cli).
func byDisplayName(col string) string {
	return `COALESCE((SELECT u.display_name FROM users u WHERE u.username = ` + col + `), ` + col + `)`
}
