package web

import (
	"net/http"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
)

type loginView struct {
	Next string
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	u := db.User()
	next := safeNext(r.URL.Query().Get("next"))
	if u.ID != 0 {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	s.render(w, r, "login", http.StatusOK, loginView{Next: next})
	return nil
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, _ *store.Scoped) error {
	username := strings.ToLower(strings.TrimSpace(r.PostFormValue("username")))
	next := safeNext(r.PostFormValue("next"))
	_, secret, err := s.st.Login(r.Context(), username, r.PostFormValue("password"), s.clientAddr(r), sessionSecret(r))
	if err != nil {
		// Not s.refused: a wrong password (401) comes back to this page too.
		if code := errs.CodeOf(err); code == errs.Unauthorized || code == errs.TooMany {
			s.renderPage(w, r, "login", status(code), loginView{Next: next},
				&formState{Action: "/login", Values: r.PostForm, Message: errs.MessageOf(err), Field: errs.FieldOf(err)})
			return nil
		}
		return err
	}
	s.setSessionCookie(w, r, secret)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request, _ *store.Scoped) error {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, secret, err := s.st.Login(r.Context(), strings.ToLower(strings.TrimSpace(in.Username)), in.Password, s.clientAddr(r), sessionSecret(r))
	if err != nil {
		return err
	}
	s.setSessionCookie(w, r, secret)
	writeJSON(w, http.StatusOK, map[string]any{"user": meJSON(u)})
	return nil
}

// logout ends this session, from the page or the API.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	if secret := sessionSecret(r); secret != "" {
		if err := s.st.Logout(r.Context(), db.User(), secret); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w, r)
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	} else {
		s.redirect(w, r, "/login", "已退出登录。")
	}
	return nil
}

type scopeJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type userJSON struct {
	ID          int64                `json:"id"`
	Username    string               `json:"username"`
	DisplayName string               `json:"display_name"`
	Role        account.Role         `json:"role"`
	RoleLabel   string               `json:"role_label"`
	Scope       *scopeJSON           `json:"scope"`
	Department  *scopeJSON           `json:"department"`
	Permissions []account.Permission `json:"permissions,omitempty"`
}

func meJSON(u account.User) userJSON {
	j := userJSON{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, RoleLabel: u.Role.Label(),
		Permissions: account.PermissionsOf(u.Role)}
	if u.ScopeCode != "" {
		j.Scope = &scopeJSON{u.ScopeCode, u.ScopeName}
	}
	if u.DepartmentCode != "" {
		j.Department = &scopeJSON{u.DepartmentCode, u.DepartmentName}
	}
	return j
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	u := db.User()
	writeJSON(w, http.StatusOK, meJSON(u))
	return nil
}

// setSessionCookie sends the session cookie: HttpOnly, SameSite=Lax, and
// Secure when the request came over HTTPS (overHTTPS), so that a browser
// never sends the session back over plain HTTP.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{
		Name: account.SessionCookie, Value: secret, Path: "/",
		MaxAge: int(account.SessionLifetime.Seconds()), HttpOnly: true, Secure: s.overHTTPS(r), SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: account.SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.overHTTPS(r), SameSite: http.SameSiteLaxMode})
}
