package web

import (
	"context"
	"net/http"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
)

// Account care on the users page (issue 13, point 6): one page per account
// with the acts an office may take on it now, and their JSON twins.

type userView struct {
	Care        store.UserCare
	Roles       []account.Role
	Departments []account.Department
	Form        store.UserChange // the role, scope and department form, as sent or as stored
	NewPassword string           // a reset's one-time password, shown once
	Message     string
	Error       string
	ErrorField  string
}

func (v userView) Title() string { return "账号 " + v.Care.Username }

// Can names the acts that can succeed now, so that the page offers only
// those: no 启用 on an active account, no 停用 of the last zone-wide admin.
func (v userView) Can(act string) bool { return canCare(v.Care, act) }

func canCare(c store.UserCare, act string) bool {
	switch act {
	case "disable":
		return !c.Disabled && !c.LastZoneAdmin
	case "enable":
		return c.Disabled
	case "unlock":
		return c.Locked()
	case "reset_password":
		return true
	case "update":
		return !c.LastZoneAdmin
	}
	return false
}

var careActs = []string{"disable", "enable", "unlock", "reset_password", "update"}

func (s *Server) userView(ctx context.Context, db *store.Scoped, username string) (userView, error) {
	v := userView{Roles: account.Roles}
	var err error
	if v.Care, err = db.UserCare(ctx, username); err != nil {
		return v, err
	}
	v.Form = store.UserChange{Role: v.Care.Role, ScopeCode: v.Care.ScopeCode, DepartmentCode: v.Care.DepartmentCode}
	v.Departments, err = s.st.Departments(ctx)
	return v, err
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.userView(r.Context(), db, r.PathValue("username"))
	if err != nil {
		return err
	}
	s.render(w, r, "user", http.StatusOK, v)
	return nil
}

// renderUser shows the account's page with the outcome of a form: a
// message, or a 4xx error that changed nothing (the form kept as sent).
func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, db *store.Scoped, outcome error, msg string, edit func(*userView)) error {
	if code := errs.CodeOf(outcome); outcome != nil && (code == errs.Internal || (code == errs.NotFound && errs.FieldOf(outcome) == "username")) {
		return outcome
	}
	v, err := s.userView(r.Context(), db, r.PathValue("username"))
	if err != nil {
		return err
	}
	st := http.StatusOK
	if outcome != nil {
		st = status(errs.CodeOf(outcome))
		v.Error, v.ErrorField = errs.MessageOf(outcome), errs.FieldOf(outcome)
	} else {
		v.Message = msg
	}
	if edit != nil {
		edit(&v)
	}
	s.render(w, r, "user", st, v)
	return nil
}

func (s *Server) setDisabled(ctx context.Context, db *store.Scoped, username string, disabled bool) error {
	return db.Write(ctx, func(tx *store.Tx) error { return tx.SetUserDisabled(ctx, username, disabled) })
}

func (s *Server) resetPassword(ctx context.Context, db *store.Scoped, username string) (string, error) {
	return writeOne(ctx, db, func(tx *store.Tx) (string, error) { return tx.ResetPassword(ctx, username) })
}

func (s *Server) unlockUser(ctx context.Context, db *store.Scoped, username string) error {
	return db.Write(ctx, func(tx *store.Tx) error { return tx.UnlockUser(ctx, username) })
}

func (s *Server) updateUser(ctx context.Context, db *store.Scoped, username string, c store.UserChange) (account.User, error) {
	return writeOne(ctx, db, func(tx *store.Tx) (account.User, error) { return tx.UpdateUser(ctx, username, c) })
}

func (s *Server) disableUserForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	err := s.setDisabled(r.Context(), db, r.PathValue("username"), true)
	return s.renderUser(w, r, db, err, "账号已停用,其所有登录会话和 接口令牌均已失效。", nil)
}

func (s *Server) enableUserForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	err := s.setDisabled(r.Context(), db, r.PathValue("username"), false)
	return s.renderUser(w, r, db, err, "账号已启用。", nil)
}

func (s *Server) resetPasswordForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	password, err := s.resetPassword(r.Context(), db, r.PathValue("username"))
	w.Header().Set("Cache-Control", "no-store") // the one-time password must not stay in a cache
	return s.renderUser(w, r, db, err, "密码已重置。请把下面的一次性密码当面或电话告知本人,用户首次登录后须立即修改;离开本页后将无法再次查看。",
		func(v *userView) { v.NewPassword = password })
}

func (s *Server) unlockUserForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	err := s.unlockUser(r.Context(), db, r.PathValue("username"))
	return s.renderUser(w, r, db, err, "已解除登录锁定,该账号可以立即登录。", nil)
}

func (s *Server) updateUserForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	c := store.UserChange{Role: account.Role(r.PostFormValue("role")), ScopeCode: r.PostFormValue("scope"),
		DepartmentCode: r.PostFormValue("department")}
	_, err := s.updateUser(r.Context(), db, r.PathValue("username"), c)
	return s.renderUser(w, r, db, err, "已保存账号的角色、管辖范围和联审部门。", func(v *userView) {
		if err != nil {
			v.Form = c
		}
	})
}

// userCareJSON is an account as the users API shows it to an office.
type userCareJSON struct {
	userJSON
	Disabled           bool     `json:"disabled"`
	MustChangePassword bool     `json:"must_change_password"`
	LastLoginAt        *string  `json:"last_login_at"`
	LockedUntil        *string  `json:"locked_until,omitempty"`
	LastZoneAdmin      bool     `json:"last_zone_admin,omitempty"`
	Actions            []string `json:"actions,omitempty"` // the acts that can succeed now (canCare)
}

// careJSON is c in JSON; full adds what only one account's answer tells:
// its lock and the acts that can succeed now.
func careJSON(c store.UserCare, full bool) userCareJSON {
	j := userCareJSON{userJSON: meJSON(c.User), Disabled: c.Disabled, MustChangePassword: c.MustChangePassword}
	j.Permissions = nil
	if !c.LastLoginAt.IsZero() {
		t := c.LastLoginAt.Format(time.RFC3339)
		j.LastLoginAt = &t
	}
	if full {
		if c.Locked() {
			t := c.LockedUntil.Format(time.RFC3339)
			j.LockedUntil = &t
		}
		j.LastZoneAdmin = c.LastZoneAdmin
		j.Actions = []string{}
		for _, a := range careActs {
			if canCare(c, a) {
				j.Actions = append(j.Actions, a)
			}
		}
	}
	return j
}

func (s *Server) writeUserCare(w http.ResponseWriter, r *http.Request, db *store.Scoped, status int, extra map[string]any) error {
	c, err := db.UserCare(r.Context(), r.PathValue("username"))
	if err != nil {
		return err
	}
	if extra == nil {
		writeJSON(w, status, careJSON(c, true))
		return nil
	}
	extra["user"] = careJSON(c, true)
	writeJSON(w, status, extra)
	return nil
}

func (s *Server) apiUser(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	return s.writeUserCare(w, r, db, http.StatusOK, nil)
}

func (s *Server) apiDisableUser(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	if err := s.setDisabled(r.Context(), db, r.PathValue("username"), true); err != nil {
		return err
	}
	return s.writeUserCare(w, r, db, http.StatusOK, nil)
}

func (s *Server) apiEnableUser(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	if err := s.setDisabled(r.Context(), db, r.PathValue("username"), false); err != nil {
		return err
	}
	return s.writeUserCare(w, r, db, http.StatusOK, nil)
}

func (s *Server) apiResetPassword(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	password, err := s.resetPassword(r.Context(), db, r.PathValue("username"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.writeUserCare(w, r, db, http.StatusOK, map[string]any{"one_time_password": password})
}

func (s *Server) apiUnlockUser(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	if err := s.unlockUser(r.Context(), db, r.PathValue("username")); err != nil {
		return err
	}
	return s.writeUserCare(w, r, db, http.StatusOK, nil)
}

func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in struct {
		Role       account.Role `json:"role"`
		Scope      string       `json:"scope"`
		Department string       `json:"department"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if _, err := s.updateUser(r.Context(), db, r.PathValue("username"),
		store.UserChange{Role: in.Role, ScopeCode: in.Scope, DepartmentCode: in.Department}); err != nil {
		return err
	}
	return s.writeUserCare(w, r, db, http.StatusOK, nil)
}

// mustChangeAllowed names the routes a user whose password an office reset
// may use before choosing their own: the account page, the change itself,
// who they are, and signing out.
var mustChangeAllowed = map[string]bool{
	"GET /account": true, "POST /account/password": true, "POST /api/v1/account/password": true,
	"GET /api/v1/me": true, "POST /logout": true, "POST /api/v1/logout": true,
}

var errMustChange = errs.New(errs.Forbidden, "管理员已重置您的密码,请先在“我的账号”修改密码后再进行其他操作")

// mustChangeFirst stops a user who must change their password from using
// any other route: pages go to the account page, the API answers 403.
// It reports whether it answered.
func (s *Server) mustChangeFirst(w http.ResponseWriter, r *http.Request, u account.User, pattern string) bool {
	if !u.MustChangePassword || mustChangeAllowed[pattern] {
		return false
	}
	if isAPI(r) || r.Method != http.MethodGet {
		s.fail(w, r, errMustChange)
		return true
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return true
}
