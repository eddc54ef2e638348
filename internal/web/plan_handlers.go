package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
)

// plansView is a community's plan editor (一社区一方案).
type plansView struct {
	Community store.CommunityClass
	Plans     []assess.Plan
	Required  int
	Missing   []assess.PlanKind // kinds the community has no plan of yet
	Sections  []assess.Section
	Today     civil.Date
	CanEdit   bool
	Error     string
}

func (v plansView) Title() string { return v.Community.Name + " 工作方案" }

func (s *Server) plansView(ctx context.Context, db *store.Scoped, code string) (plansView, error) {
	u := db.User()
	_, c, err := s.community(ctx, db, code)
	if err != nil {
		return plansView{}, err
	}
	rules, err := db.AssessRules(ctx)
	if err != nil {
		return plansView{}, err
	}
	v := plansView{Community: c, Sections: assess.Sections, Today: s.st.Today(), CanEdit: u.Can(account.EditPlans),
		Required: rules.PlansRequired[c.Standing.Class()]}
	if v.Plans, err = db.Plans(ctx, code); err != nil {
		return v, err
	}
	have := map[assess.PlanKind]bool{}
	for _, p := range v.Plans {
		have[p.Kind] = true
	}
	for _, k := range assess.PlanKinds {
		if !have[k] {
			v.Missing = append(v.Missing, k)
		}
	}
	return v, nil
}

func (s *Server) plansPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.plansView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.render(w, r, "plans", http.StatusOK, v)
	return nil
}

// renderPlans answers a plan form: back to the editor on success, the
// editor with the message on a refused input.
func (s *Server) renderPlans(w http.ResponseWriter, r *http.Request, db *store.Scoped, code string, outcome error) error {
	if outcome == nil {
		http.Redirect(w, r, "/communities/"+url.PathEscape(code)+"/plans", http.StatusSeeOther)
		return nil
	}
	if c := errs.CodeOf(outcome); c == errs.Internal || c == errs.NotFound {
		return outcome
	}
	v, err := s.plansView(r.Context(), db, code)
	if err != nil {
		return err
	}
	v.Error = errs.MessageOf(outcome)
	s.render(w, r, "plans", status(errs.CodeOf(outcome)), v)
	return nil
}

func (s *Server) addPlan(ctx context.Context, db *store.Scoped, p assess.Plan) (assess.Plan, error) {
	return writeOne(ctx, db, func(tx *store.Tx) (assess.Plan, error) { return tx.AddPlan(ctx, p) })
}

func (s *Server) addPlanForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	code := r.PathValue("code")
	p := assess.Plan{OrgCode: code, Kind: assess.PlanKind(r.PostFormValue("kind")), Title: r.PostFormValue("title"),
		Sections: map[assess.Section]string{}}
	for _, sec := range assess.Sections {
		if text := strings.TrimSpace(r.PostFormValue("section_" + string(sec))); text != "" {
			p.Sections[sec] = text
		}
	}
	_, err := s.addPlan(r.Context(), db, p)
	return s.renderPlans(w, r, db, code, err)
}

type planJSON struct {
	ID       int64                     `json:"id"`
	Kind     assess.PlanKind           `json:"kind"`
	Title    string                    `json:"title"`
	Sections map[assess.Section]string `json:"sections"`
	Measures []measureJSON             `json:"measures"`
}

func toPlanJSON(p assess.Plan) planJSON {
	ms := make([]measureJSON, len(p.Measures))
	for i, m := range p.Measures {
		ms[i] = toMeasureJSON(m, "")
	}
	return planJSON{p.ID, p.Kind, p.Title, p.Sections, ms}
}

func (s *Server) apiPlans(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.plansView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	items := make([]planJSON, len(v.Plans))
	for i, p := range v.Plans {
		items[i] = toPlanJSON(p)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "required": v.Required, "class": v.Community.Standing.Class()})
	return nil
}

func (s *Server) apiAddPlan(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in struct {
		Kind     assess.PlanKind           `json:"kind"`
		Title    string                    `json:"title"`
		Sections map[assess.Section]string `json:"sections"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.addPlan(r.Context(), db, assess.Plan{OrgCode: r.PathValue("code"), Kind: in.Kind, Title: in.Title, Sections: in.Sections})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toPlanJSON(p))
	return nil
}

func pathID(r *http.Request, message string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, errs.New(errs.NotFound, message)
	}
	return id, nil
}

func (s *Server) addMeasure(ctx context.Context, db *store.Scoped, m assess.Measure) (assess.Measure, error) {
	return writeOne(ctx, db, func(tx *store.Tx) (assess.Measure, error) { return tx.AddMeasure(ctx, m) })
}

func (s *Server) addMeasureForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该方案")
	if err != nil {
		return err
	}
	code := r.PostFormValue("community")
	_, err = s.addMeasure(r.Context(), db, assess.Measure{PlanID: id, Section: assess.Section(r.PostFormValue("section")),
		Content: r.PostFormValue("content"), Owner: r.PostFormValue("owner"), Due: formDate(r, "due")})
	return s.renderPlans(w, r, db, code, err)
}

func (s *Server) apiAddMeasure(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该方案")
	if err != nil {
		return err
	}
	var in struct {
		Section assess.Section `json:"section"`
		Content string         `json:"content"`
		Owner   string         `json:"owner"`
		Due     civil.Date     `json:"due"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	m, err := s.addMeasure(r.Context(), db, assess.Measure{PlanID: id, Section: in.Section, Content: in.Content, Owner: in.Owner, Due: in.Due})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toMeasureJSON(m, ""))
	return nil
}

func (s *Server) completeMeasure(ctx context.Context, db *store.Scoped, id int64) error {
	return db.Write(ctx, func(tx *store.Tx) error {
		return tx.CompleteMeasure(ctx, id, s.st.Today())
	})
}

func (s *Server) completeMeasureForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该措施")
	if err != nil {
		return err
	}
	return s.renderPlans(w, r, db, r.PostFormValue("community"), s.completeMeasure(r.Context(), db, id))
}

func (s *Server) apiCompleteMeasure(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该措施")
	if err != nil {
		return err
	}
	if err := s.completeMeasure(r.Context(), db, id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "done_on": s.st.Today()})
	return nil
}
