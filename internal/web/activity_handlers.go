package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The publicity and warning-education log (LogActivities): page /discipline.

type activitiesView struct {
	Items     []store.ActivityRow
	Totals    []vetting.ActivityTotal
	Types     []vetting.ActivityType
	Units     unitChoice // in scope: the zone, districts, communities
	Community string
	Today     civil.Date
}

func (activitiesView) Title() string { return "宣传和警示教育" }

func (s *Server) activitiesView(ctx context.Context, db *store.Scoped, q url.Values) (activitiesView, error) {
	v := activitiesView{Types: vetting.ActivityTypes, Community: q.Get("community"), Today: s.st.Today()}
	var err error
	if v.Items, err = db.Activities(ctx, store.ActivityFilter{OrgCode: v.Community}); err != nil {
		return v, err
	}
	v.Totals = store.ActivityTotals(v.Items)
	v.Units, err = unitChoiceOf(ctx, db, "")
	return v, err
}

func (s *Server) activitiesPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.activitiesView(r.Context(), db, r.URL.Query())
	if err != nil {
		return err
	}
	s.render(w, r, "discipline", http.StatusOK, v)
	return nil
}

// activityInput is an entry of the log, from the page's form or the API.
type activityInput struct {
	Community string               `json:"community"`
	Type      vetting.ActivityType `json:"type"`
	Quantity  int                  `json:"quantity"`
	Date      civil.Date           `json:"date"`
	Note      string               `json:"note"`
}

func (s *Server) addActivity() handlerFunc {
	return act(s, action[activityInput]{
		run: func(ctx context.Context, db *store.Scoped, in activityInput) (any, error) {
			code, err := unitOf(ctx, db, "", "community", in.Community)
			if err != nil {
				return nil, err
			}
			in.Community = code
			row, err := writeOne(ctx, db, func(tx *store.Tx) (store.ActivityRow, error) {
				return tx.AddActivity(ctx, vetting.Activity{OrgCode: in.Community, Type: in.Type, Quantity: in.Quantity, Date: in.Date, Note: in.Note})
			})
			return toActivityJSON(row), err
		},
		created: true,
		next:    func(_ activityInput, _ any) string { return "/discipline" },
		notice:  "活动已登记。",
		page: func(ctx context.Context, db *store.Scoped, _ activityInput) (string, any, error) {
			v, err := s.activitiesView(ctx, db, url.Values{})
			return "discipline", v, err
		},
	})
}

type activityJSON struct {
	ID        int64                `json:"id"`
	Unit      string               `json:"community"`
	UnitName  string               `json:"community_name"`
	Type      vetting.ActivityType `json:"type"`
	TypeLabel string               `json:"type_label"`
	Quantity  int                  `json:"quantity"`
	Measure   string               `json:"measure"`
	Date      civil.Date           `json:"date"`
	Note      string               `json:"note"`
	CreatedBy string               `json:"created_by"`
}

func toActivityJSON(a store.ActivityRow) activityJSON {
	return activityJSON{a.ID, a.OrgCode, a.OrgName, a.Type, a.TypeLabel, a.Quantity, a.Unit, a.Date, a.Note, a.CreatedBy}
}

type activityTotalJSON struct {
	Type      vetting.ActivityType `json:"type"`
	TypeLabel string               `json:"type_label"`
	Quantity  int                  `json:"quantity"`
	Measure   string               `json:"measure"`
	Entries   int                  `json:"entries"`
}

func (s *Server) apiActivities(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.activitiesView(r.Context(), db, r.URL.Query())
	if err != nil {
		return err
	}
	items := make([]activityJSON, len(v.Items))
	for i, a := range v.Items {
		items[i] = toActivityJSON(a)
	}
	totals := make([]activityTotalJSON, len(v.Totals))
	for i, t := range v.Totals {
		totals[i] = activityTotalJSON{t.Type, t.Type.Label(), t.Quantity, t.Type.Unit(), t.Entries}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "totals": totals})
	return nil
}
