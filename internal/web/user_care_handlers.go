package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
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
	NewPassword string // a reset's one-time password, shown once
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

// userRef names the account an act on the users page is about; userChange
// is the role, scope and department form.
type (
	userRef struct {
		Username string `json:"-" path:"username"`
	}
	userChange struct {
		Username   string       `json:"-" path:"username"`
		Role       account.Role `json:"role"`
		Scope      string       `json:"scope"`
		Department string       `json:"department"`
	}
)

func (in userRef) user() string    { return in.Username }
func (in userChange) user() string { return in.Username }

// careAct is an act on an account from its page and from the API, which
// answers the account as it is after it.
func careAct[In interface{ user() string }](s *Server, write func(ctx context.Context, tx *store.Tx, in In) error, notice string) handlerFunc {
	return act(s, action[In]{
		run: func(ctx context.Context, db *store.Scoped, in In) (any, error) {
			if err := db.Write(ctx, func(tx *store.Tx) error { return write(ctx, tx, in) }); err != nil {
				return nil, err
			}
			c, err := db.UserCare(ctx, in.user())
			return careJSON(c, true), err
		},
		next:   func(in In, _ any) string { return userURL(in.user()) },
		notice: notice,
		page: func(ctx context.Context, db *store.Scoped, in In) (string, any, error) {
			v, err := s.userView(ctx, db, in.user())
			return "user", v, err
		},
	})
}

func userURL(username string) string { return "/users/" + url.PathEscape(username) }

func (s *Server) disableUser() handlerFunc {
	return careAct(s, func(ctx context.Context, tx *store.Tx, in userRef) error {
		return tx.SetUserDisabled(ctx, in.Username, true)
	}, "账号已停用,其所有登录会话和 API 令牌均已失效。")
}

func (s *Server) enableUser() handlerFunc {
	return careAct(s, func(ctx context.Context, tx *store.Tx, in userRef) error {
		return tx.SetUserDisabled(ctx, in.Username, false)
	}, "账号已启用。")
}

func (s *Server) unlockUser() handlerFunc {
	return careAct(s, func(ctx context.Context, tx *store.Tx, in userRef) error {
		return tx.UnlockUser(ctx, in.Username)
	}, "已解除登录锁定,该账号可以立即登录。")
}

func (s *Server) updateUser() handlerFunc {
	return careAct(s, func(ctx context.Context, tx *store.Tx, in userChange) error {
		_, err := tx.UpdateUser(ctx, in.Username, store.UserChange{Role: in.Role, ScopeCode: strings.TrimSpace(in.Scope), DepartmentCode: in.Department})
		return err
	}, "已保存账号的角色、管辖范围和联审部门。")
}

// resetPassword gives the account a one-time password, shown once: on its
// page, or in the API's answer beside the account.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in userRef
	var password string
	err := decodeInput(r, &in)
	if err == nil {
		password, err = writeOne(r.Context(), db, func(tx *store.Tx) (string, error) { return tx.ResetPassword(r.Context(), in.Username) })
	}
	if isAPI(r) {
		if err != nil {
			return err
		}
		w.Header().Set("Cache-Control", "no-store")
		c, err := db.UserCare(r.Context(), in.Username)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"one_time_password": password, "user": careJSON(c, true)})
		return nil
	}
	return s.showOnce(w, r, db, err, func(ctx context.Context) (string, any, error) {
		v, err := s.userView(ctx, db, in.Username)
		v.NewPassword = password
		return "user", v, err
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

func (s *Server) apiUser(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	c, err := db.UserCare(r.Context(), r.PathValue("username"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, careJSON(c, true))
	return nil
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
