package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
)

type usersView struct {
	Users       []account.User
	Roles       []account.Role
	Departments []account.Department
	Form        account.NewUser
	Message     string
	Error       string
}

func (s *Server) usersView(ctx context.Context, db *store.Scoped) (usersView, error) {
	v := usersView{Roles: account.Roles}
	var err error
	if v.Users, err = db.ListUsers(ctx); err != nil {
		return v, err
	}
	v.Departments, err = s.st.Departments(ctx)
	return v, err
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.usersView(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, "users", http.StatusOK, v)
	return nil
}

func (s *Server) addUser(ctx context.Context, db *store.Scoped, n account.NewUser) (account.User, error) {
	return writeOne(ctx, db, func(tx *store.Tx) (account.User, error) { return tx.AddUser(ctx, n) })
}

func (s *Server) addUserForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	n := account.NewUser{
		Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("display_name"),
		Role: account.Role(r.PostFormValue("role")), ScopeCode: strings.TrimSpace(r.PostFormValue("scope")),
		DepartmentCode: r.PostFormValue("department"), Password: r.PostFormValue("password"),
	}
	added, err := s.addUser(r.Context(), db, n)
	if errs.CodeOf(err) == errs.Internal && err != nil {
		return err
	}
	v, verr := s.usersView(r.Context(), db)
	if verr != nil {
		return verr
	}
	st := http.StatusOK
	if err != nil {
		n.Password = ""
		v.Form, v.Error, st = n, errs.MessageOf(err), status(errs.CodeOf(err))
	} else {
		v.Message = "已新建账号 " + added.Username + "(" + added.Role.Label() + ")"
	}
	s.render(w, r, "users", st, v)
	return nil
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	users, err := db.ListUsers(r.Context())
	if err != nil {
		return err
	}
	items := make([]userCareJSON, len(users))
	for i, x := range users {
		items[i] = careJSON(store.UserCare{User: x}, false)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) apiAddUser(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in struct {
		Username    string       `json:"username"`
		DisplayName string       `json:"display_name"`
		Role        account.Role `json:"role"`
		Scope       string       `json:"scope"`
		Department  string       `json:"department"`
		Password    string       `json:"password"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	added, err := s.addUser(r.Context(), db, account.NewUser{Username: in.Username, DisplayName: in.DisplayName,
		Role: in.Role, ScopeCode: in.Scope, DepartmentCode: in.Department, Password: in.Password})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, careJSON(store.UserCare{User: added}, false))
	return nil
}
