package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

// Account care by an office: disable and re-enable, reset a password,
// unlock, change role, scope and department. Every act names the account
// by username and reaches it only when its scope lies within the office's
// (userInScope); a scoped office never gives a wider scope than its own.
// The last active zone-wide admin (an admin without a scope) cannot be
// disabled, demoted or given a scope, so that someone can always manage
// the whole zone.

// UserCare is an account as the users page shows it to an office: the
// account, whether it is locked out of signing in now, and whether it is
// the last active zone-wide admin (which cannot be disabled or demoted).
type UserCare struct {
	account.User
	LockedUntil   time.Time // zero unless a lockout of the account holds now
	LastZoneAdmin bool
}

// Locked reports whether the account is locked out of signing in.
func (c UserCare) Locked() bool { return !c.LockedUntil.IsZero() }

// errLastAdmin refuses to leave the zone without an active admin of the whole tree.
var errLastAdmin = errs.New(errs.Conflict, "这是最后一个启用中的全区管理员账号,不能停用、降级或限定管辖范围;请先新建或启用另一个全区管理员")

// UserCare returns the account with username as the office q sees it;
// NotFound (on field "username") when it does not exist or lies outside q's scope.
func (q *Scoped) UserCare(ctx context.Context, username string) (UserCare, error) {
	u, err := userWithin(ctx, q.s.db, q.scope, username)
	if err != nil {
		return UserCare{}, err
	}
	c := UserCare{User: u}
	if c.LastZoneAdmin, err = lastZoneAdmin(ctx, q.s.db, "", u); err != nil {
		return c, err
	}
	err = q.s.db.QueryRowContext(ctx, `SELECT locked_until FROM login_attempts WHERE account_key = $1 AND locked_until > $2
		ORDER BY locked_until DESC LIMIT 1`, q.s.accountKey(u.Username), q.s.clock()).Scan(&c.LockedUntil)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return c, err
}

// userWithin is the account with username when its scope lies within
// scope (an account of the whole tree lies only within the whole tree).
func userWithin(ctx context.Context, db querier, scope org.Scope, username string) (account.User, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	u, err := scanUser(db.QueryRowContext(ctx, `SELECT `+userColumns+userJoins+`WHERE u.username = $1`, username))
	path := u.ScopePath
	if path == "" {
		path = "/"
	}
	if err == nil && scope != org.All && !scope.Contains(path) {
		err = sql.ErrNoRows
	}
	return u, notFoundAs(err, &errs.Error{Code: errs.NotFound, Field: "username", Message: "账号“" + username + "”不存在或不在您的管辖范围内"})
}

// careTarget is the account with username when it lies within the
// transaction's scope.
func (t *Tx) careTarget(ctx context.Context, username string) (account.User, error) {
	return userWithin(ctx, t.tx, t.q.scope, username)
}

// lastZoneAdmin reports whether u is the only active admin of the whole
// tree. lock is appended to the query: in a write on PostgreSQL the active
// zone admins are locked (forUpdate), so that two offices disabling each
// other at once cannot both succeed.
func lastZoneAdmin(ctx context.Context, db querier, lock string, u account.User) (bool, error) {
	if u.Role != account.Admin || u.ScopeCode != "" || u.Disabled {
		return false, nil
	}
	rows, err := db.QueryContext(ctx, `SELECT id FROM users
		WHERE role = $1 AND scope_org_id IS NULL AND disabled = FALSE`+lock, string(account.Admin))
	if err != nil {
		return false, err
	}
	defer rows.Close()
	others := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return false, err
		}
		if id != u.ID {
			others++
		}
	}
	return others == 0, rows.Err()
}

func (t *Tx) lastZoneAdmin(ctx context.Context, u account.User) (bool, error) {
	return lastZoneAdmin(ctx, t.tx, t.s.forUpdate(), u)
}

// endAccess ends every session and API token of the user; it returns how
// many tokens it revoked.
func (t *Tx) endAccess(ctx context.Context, userID int64) (int64, error) {
	if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return 0, err
	}
	res, err := t.exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, t.s.clock(), userID)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// SetUserDisabled disables or re-enables the account with username.
// Disabling ends all its sessions and API tokens. NotFound when the account
// lies outside the scope; Conflict when it is already so, or when it is the
// last active zone-wide admin.
func (t *Tx) SetUserDisabled(ctx context.Context, username string, disabled bool) error {
	u, err := t.careTarget(ctx, username)
	if err != nil {
		return err
	}
	if u.Disabled == disabled {
		if disabled {
			return errs.New(errs.Conflict, "账号“"+u.Username+"”已是停用状态")
		}
		return errs.New(errs.Conflict, "账号“"+u.Username+"”已是启用状态")
	}
	act := audit.UserEnable
	after := audit.Fields{"status": "启用"}
	if disabled {
		last, err := t.lastZoneAdmin(ctx, u)
		if err != nil {
			return err
		}
		if last {
			return errLastAdmin
		}
		revoked, err := t.endAccess(ctx, u.ID)
		if err != nil {
			return err
		}
		act, after = audit.UserDisable, audit.Fields{"status": "停用", "revoked": revoked}
	}
	if _, err := t.exec(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, u.ID); err != nil {
		return err
	}
	return t.Audit(ctx, act, On("user", u.Username, u.ScopeCode), nil, after)
}

// ResetPassword gives the account with username a random one-time
// password, stored hashed and returned to be shown once; the user must
// change it at the next sign-in. It ends the account's sessions and API
// tokens, as any new password does. NotFound outside the scope.
func (t *Tx) ResetPassword(ctx context.Context, username string) (string, error) {
	u, err := t.careTarget(ctx, username)
	if err != nil {
		return "", err
	}
	password := account.RandomPassword(14)
	hash, err := account.HashPassword(password)
	if err != nil {
		return "", err
	}
	if _, err := t.exec(ctx, `UPDATE users SET password_hash = $1, password_changed_at = $2, must_change_password = TRUE WHERE id = $3`,
		hash, t.s.clock(), u.ID); err != nil {
		return "", err
	}
	revoked, err := t.endAccess(ctx, u.ID)
	if err != nil {
		return "", err
	}
	return password, t.Audit(ctx, audit.UserReset, On("user", u.Username, u.ScopeCode), nil,
		audit.Fields{"password": "reset", "revoked": revoked})
}

// UnlockUser clears the lockout records of the account with username (from
// each source and from all sources together), so that it may sign in at
// once. A source's lock on all accounts is the source's, not the account's,
// and stays. NotFound outside the scope; Conflict when nothing is locked.
func (t *Tx) UnlockUser(ctx context.Context, username string) error {
	u, err := t.careTarget(ctx, username)
	if err != nil {
		return err
	}
	key := t.s.accountKey(u.Username)
	var locked int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM login_attempts WHERE account_key = $1 AND locked_until > $2`,
		key, t.s.clock()).Scan(&locked); err != nil {
		return err
	}
	if locked == 0 {
		return errs.New(errs.Conflict, "账号“"+u.Username+"”当前没有被锁定")
	}
	res, err := t.exec(ctx, `DELETE FROM login_attempts WHERE account_key = $1 OR attempt_key = $1`, key)
	if err != nil {
		return err
	}
	cleared, _ := res.RowsAffected()
	return t.Audit(ctx, audit.UserUnlock, On("user", u.Username, u.ScopeCode), nil, audit.Fields{"lockouts": cleared})
}

// UserChange is a new role, scope and department for an account.
type UserChange struct {
	Role           account.Role
	ScopeCode      string // "" for the whole tree
	DepartmentCode string // reviewers only
}

// UpdateUser changes the role, scope and department of the account with
// username. The new scope must lie within the transaction's, and a scoped
// office cannot give the whole tree. NotFound outside the scope;
// Unprocessable for a bad role, scope or department; Conflict when it
// would leave no active zone-wide admin or changes nothing.
func (t *Tx) UpdateUser(ctx context.Context, username string, c UserChange) (account.User, error) {
	u, err := t.careTarget(ctx, username)
	if err != nil {
		return account.User{}, err
	}
	c.ScopeCode, c.DepartmentCode = strings.TrimSpace(c.ScopeCode), strings.TrimSpace(c.DepartmentCode)
	probe := account.NewUser{Username: u.Username, DisplayName: u.DisplayName, Role: c.Role, ScopeCode: c.ScopeCode,
		DepartmentCode: c.DepartmentCode}
	if err := probe.ValidateRole(); err != nil {
		return account.User{}, err
	}
	if c.Role == u.Role && c.ScopeCode == u.ScopeCode && c.DepartmentCode == u.DepartmentCode {
		return account.User{}, errs.New(errs.Conflict, "没有任何改动")
	}
	var scopeID, deptID sql.NullInt64
	within := t.q.scope
	if c.ScopeCode != "" {
		lo, hi := within.Bounds()
		err := t.queryRow(ctx, `SELECT id FROM orgs WHERE code = $1 AND path >= $2 AND path < $3`, c.ScopeCode, lo, hi).Scan(&scopeID)
		if err != nil {
			return account.User{}, notFoundAs(err, errs.OnField("scope", "管辖范围的组织编码不存在或不在您的管辖范围内:"+c.ScopeCode))
		}
	} else if within != org.All {
		return account.User{}, errs.OnField("scope", "您只能把账号限定在自己的管辖范围内,请填写组织编码")
	}
	if c.DepartmentCode != "" {
		if err := t.queryRow(ctx, `SELECT id FROM departments WHERE code = $1`, c.DepartmentCode).Scan(&deptID); err != nil {
			return account.User{}, notFoundAs(err, errs.OnField("department", "联审部门编码不存在:"+c.DepartmentCode))
		}
	}
	if c.Role != account.Admin || c.ScopeCode != "" {
		last, err := t.lastZoneAdmin(ctx, u)
		if err != nil {
			return account.User{}, err
		}
		if last {
			return account.User{}, errLastAdmin
		}
	}
	if _, err := t.exec(ctx, `UPDATE users SET role = $1, scope_org_id = $2, department_id = $3 WHERE id = $4`,
		string(c.Role), scopeID, deptID, u.ID); err != nil {
		return account.User{}, err
	}
	after, err := scanUser(t.queryRow(ctx, `SELECT `+userColumns+userJoins+`WHERE u.id = $1`, u.ID))
	if err != nil {
		return account.User{}, err
	}
	return after, t.Audit(ctx, audit.UserUpdate, On("user", u.Username, after.ScopeCode),
		audit.Fields{"role": u.Role, "scope": u.ScopeCode, "department": u.DepartmentCode},
		audit.Fields{"role": after.Role, "scope": after.ScopeCode, "department": after.DepartmentCode})
}
