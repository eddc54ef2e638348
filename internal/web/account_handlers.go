package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
)

type accountView struct {
	User       account.User
	Tokens     []account.APIToken
	NewToken   string // shown once, right after creation
	Message    string
	Error      string
	ErrorField string
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

// renderAccount shows the account page with the outcome of a form: a
// message, or a 4xx error that changed nothing.
func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, db *store.Scoped, outcome error, msg, newToken string) error {
	if code := errs.CodeOf(outcome); outcome != nil && code == errs.Internal {
		return outcome
	}
	v, err := s.accountView(r.Context(), db)
	if err != nil {
		return err
	}
	st := http.StatusOK
	if outcome != nil {
		st = status(errs.CodeOf(outcome))
		v.Error, v.ErrorField = errs.MessageOf(outcome), errs.FieldOf(outcome)
	} else {
		v.Message, v.NewToken = msg, newToken
	}
	s.render(w, r, "account", st, v)
	return nil
}

func (s *Server) changePassword(ctx context.Context, db *store.Scoped, old, new, confirm string) error {
	u := db.User()
	if new != confirm {
		return errs.OnField("confirm", "两次输入的新密码不一致")
	}
	return db.Write(ctx, func(tx *store.Tx) error { return tx.SetPassword(ctx, u.ID, &old, new) })
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	err := s.changePassword(r.Context(), db, r.PostFormValue("old_password"), r.PostFormValue("password"), r.PostFormValue("confirm"))
	if err != nil {
		return s.renderAccount(w, r, db, err, "", "")
	}
	// Every session ended with the change: sign in again.
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func (s *Server) apiPassword(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in struct {
		OldPassword string `json:"old_password"`
		Password    string `json:"password"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.changePassword(r.Context(), db, in.OldPassword, in.Password, in.Password); err != nil {
		return err
	}
	s.clearSessionCookie(w, r)
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	return nil
}

func (s *Server) createToken(ctx context.Context, db *store.Scoped, name string) (account.APIToken, string, error) {
	u := db.User()
	var tok account.APIToken
	var secret string
	err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		tok, secret, err = tx.CreateAPIToken(ctx, u, name)
		return err
	})
	return tok, secret, err
}

func (s *Server) tokenForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	_, secret, err := s.createToken(r.Context(), db, r.PostFormValue("name"))
	return s.renderAccount(w, r, db, err, "令牌已生成,请立即复制保存,离开本页后将无法再次查看。", secret)
}

func (s *Server) revokeToken(ctx context.Context, db *store.Scoped, idText string) error {
	u := db.User()
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return errs.New(errs.NotFound, "没有找到该令牌")
	}
	return db.Write(ctx, func(tx *store.Tx) error { return tx.RevokeAPIToken(ctx, u, id) })
}

func (s *Server) revokeTokenForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	err := s.revokeToken(r.Context(), db, r.PathValue("id"))
	return s.renderAccount(w, r, db, err, "令牌已撤销。", "")
}

type tokenJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
	Token     string `json:"token,omitempty"`
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	u := db.User()
	toks, err := s.st.APITokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	items := make([]tokenJSON, len(toks))
	for i, t := range toks {
		items[i] = tokenJSON{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt.Format("2006-01-02T15:04:05Z07:00")}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in struct {
		Name string `json:"name"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	tok, secret, err := s.createToken(r.Context(), db, in.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, tokenJSON{ID: tok.ID, Name: tok.Name, CreatedAt: tok.CreatedAt.Format("2006-01-02T15:04:05Z07:00"), Token: secret})
	return nil
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	if err := s.revokeToken(r.Context(), db, r.PathValue("id")); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	return nil
}
