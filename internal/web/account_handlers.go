package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
)

type accountView struct {
	User     account.User
	Tokens   []account.APIToken
	NewToken string // shown once, right after creation
}

func (s *Server) accountView(ctx context.Context, db *store.Scoped) (accountView, error) {
	u := db.User()
	toks, err := s.st.APITokens(ctx, u.ID)
	return accountView{User: u, Tokens: toks}, err
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.accountView(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, "account", http.StatusOK, v)
	return nil
}

// accountAgain is the account page that a refused form comes back to.
func (s *Server) accountAgain(ctx context.Context, db *store.Scoped) (string, any, error) {
	v, err := s.accountView(ctx, db)
	return "account", v, err
}

// passwordInput changes the user's own password; the form asks for the new
// one twice (confirm), the API once.
type passwordInput struct {
	OldPassword string `json:"old_password"`
	Password    string `json:"password"`
}

func (in *passwordInput) readForm(v url.Values) error {
	if v.Get("confirm") != in.Password {
		return errs.OnField("confirm", "两次输入的新密码不一致")
	}
	return nil
}

// changePassword ends every session of the user with the change, this one
// too: the form goes on to sign in again.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	return act(s, action[passwordInput]{
		run: func(ctx context.Context, db *store.Scoped, in passwordInput) (any, error) {
			err := db.Write(ctx, func(tx *store.Tx) error { return tx.SetPassword(ctx, db.User().ID, &in.OldPassword, in.Password) })
			if err == nil {
				s.clearSessionCookie(w, r)
			}
			return map[string]bool{"ok": true}, err
		},
		next:   func(_ passwordInput, _ any) string { return "/login" },
		notice: "密码已修改,请用新密码重新登录。",
		page: func(ctx context.Context, db *store.Scoped, _ passwordInput) (string, any, error) {
			return s.accountAgain(ctx, db)
		},
	})(w, r, db)
}

type tokenJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
	Token     string `json:"token,omitempty"`
}

func toTokenJSON(t account.APIToken, secret string) tokenJSON {
	return tokenJSON{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt.Format("2006-01-02T15:04:05Z07:00"), Token: secret}
}

// createToken makes an API token of the user's, its secret shown once.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in struct {
		Name string `json:"name"`
	}
	var tok account.APIToken
	var secret string
	err := decodeInput(r, &in)
	if err == nil {
		err = db.Write(r.Context(), func(tx *store.Tx) error {
			tok, secret, err = tx.CreateAPIToken(r.Context(), db.User(), in.Name)
			return err
		})
	}
	if isAPI(r) {
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, toTokenJSON(tok, secret))
		return nil
	}
	return s.showOnce(w, r, db, err, func(ctx context.Context) (string, any, error) {
		v, err := s.accountView(ctx, db)
		v.NewToken = secret
		return "account", v, err
	})
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.accountView(r.Context(), db)
	if err != nil {
		return err
	}
	items := make([]tokenJSON, len(v.Tokens))
	for i, t := range v.Tokens {
		items[i] = toTokenJSON(t, "")
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

type tokenRef struct {
	ID int64 `json:"-" path:"id"`
}

func (s *Server) revokeToken() handlerFunc {
	return act(s, action[tokenRef]{
		run: func(ctx context.Context, db *store.Scoped, in tokenRef) (any, error) {
			err := db.Write(ctx, func(tx *store.Tx) error { return tx.RevokeAPIToken(ctx, db.User(), in.ID) })
			return map[string]bool{"ok": true}, err
		},
		next:   func(_ tokenRef, _ any) string { return "/account" },
		notice: "令牌已撤销。",
		page: func(ctx context.Context, db *store.Scoped, _ tokenRef) (string, any, error) {
			return s.accountAgain(ctx, db)
		},
	})
}
