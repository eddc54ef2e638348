package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/store"
)

type usersView struct {
	Users       []account.User
	Roles       []account.Role
	Departments []account.Department
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

// newUserInput is a new account, from the users page or the API.
type newUserInput struct {
	Username    string       `json:"username"`
	DisplayName string       `json:"display_name"`
	Role        account.Role `json:"role"`
	Scope       string       `json:"scope"`
	Department  string       `json:"department"`
	Password    string       `json:"password"`
}

// addUser makes an account; the form goes on to its page.
func (s *Server) addUser() handlerFunc {
	return act(s, action[newUserInput]{
		run: func(ctx context.Context, db *store.Scoped, in newUserInput) (any, error) {
			added, err := writeOne(ctx, db, func(tx *store.Tx) (account.User, error) {
				return tx.AddUser(ctx, account.NewUser{Username: in.Username, DisplayName: in.DisplayName, Role: in.Role,
					ScopeCode: strings.TrimSpace(in.Scope), DepartmentCode: in.Department, Password: in.Password})
			})
			return careJSON(store.UserCare{User: added}, false), err
		},
		created: true,
		next:    func(in newUserInput, _ any) string { return userURL(strings.ToLower(strings.TrimSpace(in.Username))) },
		notice:  "账号已新建。",
		page: func(ctx context.Context, db *store.Scoped, _ newUserInput) (string, any, error) {
			v, err := s.usersView(ctx, db)
			return "users", v, err
		},
	})
}
