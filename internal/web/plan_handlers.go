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

// planInput is a new plan (一社区一方案): the page's form, where each
// section is a field section_<code>, and the API's JSON.
type planInput struct {
	Community string                    `json:"-" path:"code"`
	Kind      assess.PlanKind           `json:"kind"`
	Title     string                    `json:"title"`
	Sections  map[assess.Section]string `json:"sections"`
}

func (in *planInput) readForm(v url.Values) error {
	in.Sections = map[assess.Section]string{}
	for _, sec := range assess.Sections {
		if text := strings.TrimSpace(v.Get("section_" + string(sec))); text != "" {
			in.Sections[sec] = text
		}
	}
	return nil
}

// plansAgain is the plan editor that a refused plan form comes back to.
func (s *Server) plansAgain(ctx context.Context, db *store.Scoped, code string) (string, any, error) {
	v, err := s.plansView(ctx, db, code)
	return "plans", v, err
}

func plansURL(code string) string { return "/communities/" + url.PathEscape(code) + "/plans" }

func (s *Server) addPlan() handlerFunc {
	return act(s, action[planInput]{
		run: func(ctx context.Context, db *store.Scoped, in planInput) (any, error) {
			p, err := writeOne(ctx, db, func(tx *store.Tx) (assess.Plan, error) {
				return tx.AddPlan(ctx, assess.Plan{OrgCode: in.Community, Kind: in.Kind, Title: in.Title, Sections: in.Sections})
			})
			return toPlanJSON(p), err
		},
		created: true,
		next:    func(in planInput, _ any) string { return plansURL(in.Community) },
		notice:  "方案已保存。",
		page: func(ctx context.Context, db *store.Scoped, in planInput) (string, any, error) {
			return s.plansAgain(ctx, db, in.Community)
		},
	})
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

func pathID(r *http.Request, message string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, errs.New(errs.NotFound, message)
	}
	return id, nil
}

// measureInput is a new measure of a plan; community is the plan's
// community, the page the form goes back to.
type measureInput struct {
	Plan      int64          `json:"-" path:"id"`
	Community string         `json:"community,omitempty"`
	Section   assess.Section `json:"section"`
	Content   string         `json:"content"`
	Owner     string         `json:"owner"`
	Due       civil.Date     `json:"due"`
}

func (s *Server) addMeasure() handlerFunc {
	return act(s, action[measureInput]{
		run: func(ctx context.Context, db *store.Scoped, in measureInput) (any, error) {
			m, err := writeOne(ctx, db, func(tx *store.Tx) (assess.Measure, error) {
				return tx.AddMeasure(ctx, assess.Measure{PlanID: in.Plan, Section: in.Section, Content: in.Content, Owner: in.Owner, Due: in.Due})
			})
			return toMeasureJSON(m, ""), err
		},
		created: true,
		next:    func(in measureInput, _ any) string { return plansURL(in.Community) },
		notice:  "措施已添加。",
		page: func(ctx context.Context, db *store.Scoped, in measureInput) (string, any, error) {
			return s.plansAgain(ctx, db, in.Community)
		},
	})
}

// doneInput marks a measure done today.
type doneInput struct {
	Measure   int64  `json:"-" path:"id"`
	Community string `json:"community,omitempty"`
}

func (s *Server) completeMeasure() handlerFunc {
	return act(s, action[doneInput]{
		run: func(ctx context.Context, db *store.Scoped, in doneInput) (any, error) {
			today := s.st.Today()
			err := db.Write(ctx, func(tx *store.Tx) error { return tx.CompleteMeasure(ctx, in.Measure, today) })
			return map[string]any{"id": in.Measure, "done_on": today}, err
		},
		next:   func(in doneInput, _ any) string { return plansURL(in.Community) },
		notice: "措施已标记完成。",
		page: func(ctx context.Context, db *store.Scoped, in doneInput) (string, any, error) {
			return s.plansAgain(ctx, db, in.Community)
		},
	})
}
