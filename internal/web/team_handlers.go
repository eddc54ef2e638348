package web

import (
	"net/http"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
)

// teamsView lists the districts in scope with their work teams (工作专班).
type teamsView struct {
	Teams     []store.WorkTeam
	Users     []account.User // accounts the office may put on a team
	CanManage bool
	Error     string
}

func (s *Server) teamsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	return s.renderTeams(w, r, db, http.StatusOK, "")
}

func (s *Server) renderTeams(w http.ResponseWriter, r *http.Request, db *store.Scoped, status int, msg string) error {
	ctx := r.Context()
	v := teamsView{CanManage: db.Can(account.ManageProcess), Error: msg}
	var err error
	if v.Teams, err = db.WorkTeams(ctx); err != nil {
		return err
	}
	if v.CanManage {
		if v.Users, err = db.ListUsers(ctx); err != nil {
			return err
		}
	}
	s.render(w, r, "teams", status, v)
	return nil
}

func (s *Server) saveTeam(r *http.Request, db *store.Scoped, in store.WorkTeamInput) (int64, error) {
	ctx := r.Context()
	return writeOne(ctx, db, func(tx *store.Tx) (int64, error) { return tx.SaveWorkTeam(ctx, in) })
}

// teamForm saves a district's team from the page: district, name, leader,
// note, and members as lines "username 分工" (or chosen in the list).
func (s *Server) teamForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	if err := r.ParseForm(); err != nil {
		return errs.Wrap(err, errs.Invalid, "表单无法解析")
	}
	in := store.WorkTeamInput{District: r.PostForm.Get("district"), Name: r.PostForm.Get("name"),
		Leader: r.PostForm.Get("leader"), Note: r.PostForm.Get("note")}
	seen := map[string]bool{}
	for _, name := range r.PostForm["member"] {
		if name != "" && !seen[name] {
			seen[name] = true
			in.Members = append(in.Members, store.TeamMember{Username: name, Duty: r.PostForm.Get("duty_" + name)})
		}
	}
	for _, line := range strings.Split(r.PostForm.Get("members"), "\n") {
		name, duty, _ := strings.Cut(strings.TrimSpace(line), " ")
		if name != "" && !seen[name] {
			seen[name] = true
			in.Members = append(in.Members, store.TeamMember{Username: name, Duty: strings.TrimSpace(duty)})
		}
	}
	_, err := s.saveTeam(r, db, in)
	if errs.CodeOf(err) == errs.Unprocessable {
		return s.renderTeams(w, r, db, http.StatusUnprocessableEntity, errs.MessageOf(err))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/teams", http.StatusSeeOther)
	return nil
}

type teamJSON struct {
	ID           int64              `json:"id"`
	District     string             `json:"district"`
	DistrictName string             `json:"district_name"`
	Name         string             `json:"name"`
	Leader       string             `json:"leader"`
	Note         string             `json:"note"`
	Communities  int                `json:"communities"`
	Members      []store.TeamMember `json:"members"`
	Cadres       []map[string]any   `json:"cadres"`
}

func (s *Server) apiTeams(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	teams, err := db.WorkTeams(r.Context())
	if err != nil {
		return err
	}
	items := make([]teamJSON, len(teams))
	for i, t := range teams {
		j := teamJSON{ID: t.ID, District: t.DistrictCode, DistrictName: t.DistrictName, Name: t.Name, Leader: t.Leader,
			Note: t.Note, Communities: t.Communities, Members: t.Members, Cadres: []map[string]any{}}
		if j.Members == nil {
			j.Members = []store.TeamMember{}
		}
		for _, c := range t.Cadres {
			j.Cadres = append(j.Cadres, map[string]any{"org": c.OrgCode, "org_name": c.OrgName, "duty": c.Duty, "name": c.Name, "unit": c.Unit})
		}
		items[i] = j
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) apiSaveTeam(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in store.WorkTeamInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	id, err := s.saveTeam(r, db, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": id, "district": in.District})
	return nil
}
