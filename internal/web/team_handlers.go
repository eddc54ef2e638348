package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/store"
)

// teamsView lists the districts in scope with their work teams (工作专班),
// teamsPage at a time, or the one district asked for (?district=).
type teamsView struct {
	Teams     []store.WorkTeam
	Pager     pager
	District  string
	Users     []account.User // accounts the office may put on a team
	CanManage bool
}

// teamsPage is how many districts' teams a page shows: a province has 12,500.
const teamsPage = 50

func (s *Server) teamsView(ctx context.Context, db *store.Scoped, district string, page int) (teamsView, error) {
	v := teamsView{CanManage: db.Can(account.ManageProcess), District: district}
	f := store.WorkTeamFilter{District: district, Page: store.Page{Limit: teamsPage, Offset: (page - 1) * teamsPage}}
	teams, total, err := db.WorkTeams(ctx, f)
	if err != nil {
		return v, err
	}
	if v.Pager = newPager(page, total, teamsPage); v.Pager.Page < page { // past the end: the last page
		f.Offset = (v.Pager.Page - 1) * teamsPage
		if teams, _, err = db.WorkTeams(ctx, f); err != nil {
			return v, err
		}
	}
	v.Teams, v.Pager = teams, v.Pager.Of(url.Values{"district": {district}}, "个片区")
	if v.CanManage {
		if v.Users, err = db.ListUsers(ctx); err != nil {
			return v, err
		}
	}
	return v, nil
}

func (s *Server) teamsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.teamsView(r.Context(), db, r.URL.Query().Get("district"), pageParam(r))
	if err != nil {
		return err
	}
	s.render(w, r, "teams", http.StatusOK, v)
	return nil
}

// teamInput is a district's team: the API's JSON; the page's form gives
// the members as lines "username 分工" and chosen in a list (member).
type teamInput struct {
	District string      `json:"district"`
	Name     string      `json:"name"`
	Leader   string      `json:"leader"`
	Note     string      `json:"note"`
	Members  teamMembers `json:"members"`
}

// teamMembers are a team's members, by username with their duty.
type teamMembers []store.TeamMember

// UnmarshalText reads the form's lines "username 分工".
func (m *teamMembers) UnmarshalText(text []byte) error {
	for _, line := range strings.Split(string(text), "\n") {
		if name, duty, _ := strings.Cut(strings.TrimSpace(line), " "); name != "" {
			*m = append(*m, store.TeamMember{Username: name, Duty: strings.TrimSpace(duty)})
		}
	}
	return nil
}

// UnmarshalJSON reads the API's list, as strictly as the rest of the body.
func (m *teamMembers) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode((*[]store.TeamMember)(m))
}

func (in *teamInput) readForm(v url.Values) error {
	for _, name := range v["member"] {
		if name != "" && !slices.ContainsFunc(in.Members, func(m store.TeamMember) bool { return m.Username == name }) {
			in.Members = append(in.Members, store.TeamMember{Username: name})
		}
	}
	return nil
}

func (s *Server) saveTeam() handlerFunc {
	return act(s, action[teamInput]{
		run: func(ctx context.Context, db *store.Scoped, in teamInput) (any, error) {
			id, err := writeOne(ctx, db, func(tx *store.Tx) (int64, error) {
				return tx.SaveWorkTeam(ctx, store.WorkTeamInput{District: in.District, Name: in.Name, Leader: in.Leader, Note: in.Note, Members: in.Members})
			})
			return map[string]any{"id": id, "district": in.District}, err
		},
		created: true,
		next:    func(in teamInput, _ any) string { return "/teams?district=" + url.QueryEscape(in.District) },
		notice:  "工作专班已保存。",
		page: func(ctx context.Context, db *store.Scoped, in teamInput) (string, any, error) {
			v, err := s.teamsView(ctx, db, in.District, 1) // the refused district's form, alone
			return "teams", v, err
		},
	})
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

// apiTeams is the teams' JSON twin: ?district= one, else ?limit (1 to
// 1,000; 200 when not given) and ?page with "total" and "next".
func (s *Server) apiTeams(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	p, err := apiPagingOf(r.URL.Query(), 200, 1000)
	if err != nil {
		return err
	}
	teams, total, err := db.WorkTeams(r.Context(), store.WorkTeamFilter{District: r.URL.Query().Get("district"), Page: p.window()})
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
	p.answer(w, r, items, total)
	return nil
}
