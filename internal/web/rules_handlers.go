package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
)

// rulesView is the editor of the rubric and the classification rules.
type rulesView struct {
	Rules      assess.Rules
	Rubric     assess.Rubric
	Blank      []int // empty rows for new indicators
	Dimensions []assess.Dimension
	CanEdit    bool // only an account without a scope changes the zone's settings
	Message    string
	Error      string
}

func (s *Server) rulesView(ctx context.Context, db *store.Scoped) (rulesView, error) {
	v := rulesView{Blank: []int{0, 1, 2}, Dimensions: assess.Dimensions, CanEdit: db.ZoneWide()}
	var err error
	if v.Rules, err = db.AssessRules(ctx); err != nil {
		return v, err
	}
	v.Rubric, err = db.AssessRubric(ctx)
	return v, err
}

func (s *Server) rulesPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.rulesView(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, "rules", http.StatusOK, v)
	return nil
}

// saveRules saves the rules or the rubric, zone-wide settings both, and
// reclassifies; Forbidden for an account with a scope.
func (s *Server) saveRules(ctx context.Context, db *store.Scoped, rules *assess.Rules, rubric assess.Rubric) (store.Reclassified, error) {
	var re store.Reclassified
	err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if rules != nil {
			re, err = tx.SaveRules(ctx, *rules)
		} else {
			re, err = tx.SaveRubric(ctx, rubric)
		}
		return err
	})
	return re, err
}

func reclassifiedMessage(re store.Reclassified) string {
	return "已保存并按新标准重新分类:" + strconv.Itoa(re.Communities) + " 个已研判社区中 " + strconv.Itoa(re.Changed) + " 个类别发生变化。"
}

// renderRules answers a rules form with the outcome.
func (s *Server) renderRules(w http.ResponseWriter, r *http.Request, db *store.Scoped, re store.Reclassified, outcome error) error {
	if errs.CodeOf(outcome) == errs.Internal && outcome != nil {
		return outcome
	}
	v, err := s.rulesView(r.Context(), db)
	if err != nil {
		return err
	}
	st := http.StatusOK
	if outcome != nil {
		v.Error, st = errs.MessageOf(outcome), status(errs.CodeOf(outcome))
	} else {
		v.Message = reclassifiedMessage(re)
	}
	s.render(w, r, "rules", st, v)
	return nil
}

func formNumber(r *http.Request, field, label string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(field)))
	if err != nil {
		return 0, errs.OnField(field, label+"须是整数")
	}
	return n, nil
}

func (s *Server) rulesForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	rules := assess.Rules{PlansRequired: map[assess.Class]int{}}
	var err error
	fields := []struct {
		name, label string
		dst         *int
	}{{"a_min", "A类线", &rules.AMin}, {"b_min", "B类线", &rules.BMin}}
	for _, f := range fields {
		if err == nil {
			*f.dst, err = formNumber(r, f.name, f.label)
		}
	}
	for _, c := range []assess.Class{assess.A, assess.B, assess.C} {
		if err == nil {
			rules.PlansRequired[c], err = formNumber(r, "plans_"+strings.ToLower(string(c)), string(c)+"类所需方案数")
		}
	}
	var re store.Reclassified
	if err == nil {
		re, err = s.saveRules(r.Context(), db, &rules, nil)
	}
	return s.renderRules(w, r, db, re, err)
}

// rubricForm reads rows code_N, dimension_N, name_N, kind_N, max_N, veto_N;
// a row with delete_N or without a code is left out.
func (s *Server) rubricForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	if err := r.ParseForm(); err != nil {
		return errs.Wrap(err, errs.Invalid, "表单无法解析")
	}
	var rubric assess.Rubric
	for i := 0; i < 200; i++ {
		n := strconv.Itoa(i)
		code := strings.TrimSpace(r.PostForm.Get("code_" + n))
		if code == "" || r.PostForm.Get("delete_"+n) != "" {
			continue
		}
		max, _ := strconv.Atoi(r.PostForm.Get("max_" + n))
		ind := assess.Indicator{Code: code, Dimension: assess.Dimension(r.PostForm.Get("dimension_" + n)),
			Name: strings.TrimSpace(r.PostForm.Get("name_" + n)), Kind: assess.Kind(r.PostForm.Get("kind_" + n)), Max: max,
			Veto: assess.Class(r.PostForm.Get("veto_" + n))}
		if ind.Kind == assess.Flag {
			ind.Max = 0
		} else {
			ind.Veto = ""
		}
		rubric = append(rubric, ind)
	}
	re, err := s.saveRules(r.Context(), db, nil, rubric)
	return s.renderRules(w, r, db, re, err)
}

type indicatorJSON struct {
	Code      string           `json:"code"`
	Dimension assess.Dimension `json:"dimension"`
	Name      string           `json:"name"`
	Kind      assess.Kind      `json:"kind"`
	Max       int              `json:"max,omitempty"`
	Veto      assess.Class     `json:"veto,omitempty"`
}

func rulesJSON(v rulesView) map[string]any {
	items := make([]indicatorJSON, len(v.Rubric))
	for i, ind := range v.Rubric {
		items[i] = indicatorJSON{ind.Code, ind.Dimension, ind.Name, ind.Kind, ind.Max, ind.Veto}
	}
	return map[string]any{"a_min": v.Rules.AMin, "b_min": v.Rules.BMin,
		"plans":  map[string]int{"A": v.Rules.PlansRequired[assess.A], "B": v.Rules.PlansRequired[assess.B], "C": v.Rules.PlansRequired[assess.C]},
		"rubric": items, "max_total": v.Rubric.MaxTotal()}
}

func (s *Server) apiRules(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.rulesView(r.Context(), db)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rulesJSON(v))
	return nil
}

func (s *Server) apiSaveRules(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in struct {
		AMin  int            `json:"a_min"`
		BMin  int            `json:"b_min"`
		Plans map[string]int `json:"plans"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rules := assess.Rules{AMin: in.AMin, BMin: in.BMin, PlansRequired: map[assess.Class]int{
		assess.A: in.Plans["A"], assess.B: in.Plans["B"], assess.C: in.Plans["C"]}}
	re, err := s.saveRules(r.Context(), db, &rules, nil)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"communities": re.Communities, "changed": re.Changed})
	return nil
}

func (s *Server) apiSaveRubric(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in struct {
		Rubric []indicatorJSON `json:"rubric"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rubric := make(assess.Rubric, len(in.Rubric))
	for i, j := range in.Rubric {
		rubric[i] = assess.Indicator{Code: j.Code, Dimension: j.Dimension, Name: j.Name, Kind: j.Kind, Max: j.Max, Veto: j.Veto}
	}
	re, err := s.saveRules(r.Context(), db, nil, rubric)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"communities": re.Communities, "changed": re.Changed})
	return nil
}
