package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

type assignmentJSON struct {
	ID       int64    `json:"id"`
	Org      string   `json:"org"`
	Duty     org.Duty `json:"duty"`
	Label    string   `json:"duty_label"`
	Name     string   `json:"name"`
	Unit     string   `json:"unit"`
	Phone    string   `json:"phone_masked"`
	Username string   `json:"username"`
}

func toAssignmentJSON(a org.Assignment) assignmentJSON {
	return assignmentJSON{a.ID, a.OrgCode, a.Duty, a.Duty.Label(), a.Name, a.Unit, a.Phone, a.Username}
}

func (s *Server) apiAssignments(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	code := r.PathValue("code")
	if _, err := db.OrgByCode(ctx, code); err != nil {
		return err
	}
	list, err := db.AssignmentsIn(ctx, code)
	if err != nil {
		return err
	}
	items := make([]assignmentJSON, len(list))
	for i, a := range list {
		items[i] = toAssignmentJSON(a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) addAssignment(ctx context.Context, db *store.Scoped, a org.Assignment) (org.Assignment, error) {
	return writeOne(ctx, db, func(tx *store.Tx) (org.Assignment, error) { return tx.AddAssignment(ctx, a) })
}

func (s *Server) apiAddAssignment(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in struct {
		Duty     org.Duty `json:"duty"`
		Name     string   `json:"name"`
		Unit     string   `json:"unit"`
		Phone    string   `json:"phone"`
		Username string   `json:"username"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.addAssignment(r.Context(), db, org.Assignment{OrgCode: r.PathValue("code"), Duty: in.Duty, Name: in.Name,
		Unit: in.Unit, Phone: in.Phone, Username: in.Username})
	if err != nil {
		return err
	}
	a.Phone = ""
	writeJSON(w, http.StatusCreated, toAssignmentJSON(a))
	return nil
}

func (s *Server) removeAssignment(ctx context.Context, db *store.Scoped, r *http.Request) error {
	id, err := pathID(r, "没有找到该包保记录")
	if err != nil {
		return err
	}
	return db.Write(ctx, func(tx *store.Tx) error { return tx.RemoveAssignment(ctx, id) })
}

func (s *Server) apiRemoveAssignment(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	if err := s.removeAssignment(r.Context(), db, r); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	return nil
}

func (s *Server) assignmentForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	code := r.PathValue("code")
	_, err := s.addAssignment(r.Context(), db, org.Assignment{OrgCode: code, Duty: org.Duty(r.PostFormValue("duty")),
		Name: r.PostFormValue("name"), Unit: r.PostFormValue("unit"), Phone: r.PostFormValue("phone"), Username: r.PostFormValue("username")})
	return s.afterOrgForm(w, r, db, code, err)
}

func (s *Server) removeAssignmentForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	return s.afterOrgForm(w, r, db, r.PostFormValue("org"), s.removeAssignment(r.Context(), db, r))
}

// afterOrgForm answers a form on a unit's page: back to the page, or the
// page with the message of a refused input.
func (s *Server) afterOrgForm(w http.ResponseWriter, r *http.Request, db *store.Scoped, code string, outcome error) error {
	if outcome == nil {
		http.Redirect(w, r, "/orgs/"+url.PathEscape(code), http.StatusSeeOther)
		return nil
	}
	if c := errs.CodeOf(outcome); c == errs.Internal || c == errs.NotFound {
		return outcome
	}
	v, err := s.orgDetail(r.Context(), db, code, 1)
	if err != nil {
		return err
	}
	v.AssignError = errs.MessageOf(outcome)
	s.render(w, r, "org", status(errs.CodeOf(outcome)), v)
	return nil
}
