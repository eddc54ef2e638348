package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
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
	Dimensions []assess.Dimension
	CanEdit    bool // only an account without a scope changes the zone's settings
}

// Rows are the rubric's indicators, then three empty rows for new ones.
func (v rulesView) Rows() assess.Rubric {
	return append(slices.Clip(v.Rubric), make(assess.Rubric, 3)...)
}

// Classes are the classes, by their codes.
func (rulesView) Classes() []string { return []string{"A", "B", "C"} }

func (s *Server) rulesView(ctx context.Context, db *store.Scoped) (rulesView, error) {
	v := rulesView{Dimensions: assess.Dimensions, CanEdit: db.ZoneWide()}
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

// rulesInput is the classification rules; the form gives the plans each
// class needs as plans.A, plans.B and plans.C.
type rulesInput struct {
	AMin  int            `json:"a_min"`
	BMin  int            `json:"b_min"`
	Plans map[string]int `json:"plans"`
}

func (in *rulesInput) readForm(v url.Values) error {
	in.Plans = map[string]int{}
	for _, c := range []string{"A", "B", "C"} {
		n, err := strconv.Atoi(strings.TrimSpace(v.Get("plans." + c)))
		if err != nil {
			return fieldProblem("plans."+c, "须为整数")
		}
		in.Plans[c] = n
	}
	return nil
}

// rubricInput is the rubric: the API's list; the form's rows rubric[N].code,
// .dimension, .name, .kind, .max and .veto, a row with .delete or without a
// code left out.
type rubricInput struct {
	Rubric []indicatorJSON `json:"rubric"`
	rows   []int           // the form's row of each indicator; nil on the API
}

func (in *rubricInput) readForm(v url.Values) error {
	in.rows = []int{}
	for i := 0; v.Has(fmt.Sprintf("rubric[%d].code", i)); i++ {
		at := func(k string) string { return strings.TrimSpace(v.Get(fmt.Sprintf("rubric[%d].%s", i, k))) }
		if at("code") == "" || at("delete") != "" {
			continue
		}
		ind := indicatorJSON{Code: at("code"), Dimension: assess.Dimension(at("dimension")), Name: at("name"), Kind: assess.Kind(at("kind"))}
		if ind.Kind == assess.Flag {
			ind.Veto = assess.Class(at("veto"))
		} else {
			ind.Max, _ = strconv.Atoi(at("max")) // not a number: 0, refused as out of range
		}
		in.Rubric, in.rows = append(in.Rubric, ind), append(in.rows, i)
	}
	return nil
}

// onRows names err's field list[K]… by the form's row of the K-th item of
// the list, rows[K]: rows left out of the list do not shift the field.
func onRows(err error, list string, rows []int) error {
	var e *errs.Error
	var k int
	var rest string
	if rows == nil || !errors.As(err, &e) {
		return err
	}
	if n, _ := fmt.Sscanf(e.Field, list+"[%d]%s", &k, &rest); n < 2 || k >= len(rows) {
		return err
	}
	return &errs.Error{Code: e.Code, Message: e.Message, Field: fmt.Sprintf("%s[%d]%s", list, rows[k], rest), Err: err}
}

func (s *Server) saveRules(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in rulesInput
	err := decodeInput(r, &in)
	return s.reclassify(w, r, db, err, func(ctx context.Context, tx *store.Tx) (store.Reclassified, error) {
		return tx.SaveRules(ctx, assess.Rules{AMin: in.AMin, BMin: in.BMin, PlansRequired: map[assess.Class]int{
			assess.A: in.Plans["A"], assess.B: in.Plans["B"], assess.C: in.Plans["C"]}})
	})
}

func (s *Server) saveRubric(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in rubricInput
	err := decodeInput(r, &in)
	return s.reclassify(w, r, db, err, func(ctx context.Context, tx *store.Tx) (store.Reclassified, error) {
		rubric := make(assess.Rubric, len(in.Rubric))
		for i, j := range in.Rubric {
			rubric[i] = assess.Indicator{Code: j.Code, Dimension: j.Dimension, Name: j.Name, Kind: j.Kind, Max: j.Max, Veto: j.Veto}
		}
		re, err := tx.SaveRubric(ctx, rubric)
		return re, onRows(err, "rubric", in.rows)
	})
}

// reclassify ends a change of the rules or the rubric (decoded with err),
// zone-wide settings both, made by save, which reclassifies: Forbidden for
// an account with a scope. The API answers how many communities changed
// class, the form's notice says it.
func (s *Server) reclassify(w http.ResponseWriter, r *http.Request, db *store.Scoped, err error,
	save func(ctx context.Context, tx *store.Tx) (store.Reclassified, error)) error {
	var re store.Reclassified
	if err == nil {
		err = db.Write(r.Context(), func(tx *store.Tx) error {
			var err error
			re, err = save(r.Context(), tx)
			return err
		})
	}
	return s.endAction(w, r, db, err, http.StatusOK, map[string]any{"communities": re.Communities, "changed": re.Changed},
		"/classes/rules", "已保存并按新标准重新分类:"+strconv.Itoa(re.Communities)+" 个已研判社区中 "+strconv.Itoa(re.Changed)+" 个类别发生变化。",
		func(ctx context.Context) (string, any, error) {
			v, err := s.rulesView(ctx, db)
			return "rules", v, err
		})
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
