package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

// classSeries are the chart colours of the classes, unassessed last.
var classSeries = []barSeries{{assess.A.Label(), "#1a7f37"}, {assess.B.Label() + " " + assess.Yellow.Label(), "#d4a72c"},
	{assess.C.Label() + " " + assess.Red.Label(), "#cf222e"}, {assess.Unassessed.Label(), "#8c959f"}}

var classOrder = []assess.Class{assess.A, assess.B, assess.C, assess.Unassessed}

const communityPage = 200

// classesView is the classification overview (三类总览).
type classesView struct {
	Cycle       org.Cycle
	Counts      map[assess.Class]int
	Districts   []store.DistrictClasses
	Chart       any // template.HTML
	Communities []store.CommunityClass
	Pager       pager
	Filter      store.CommunityFilter
	CanImport   bool
	CanRules    bool
}

func communityFilter(q url.Values) (store.CommunityFilter, error) {
	f := store.CommunityFilter{Class: assess.Class(q.Get("class")), District: q.Get("district")}
	if f.Class != "" && f.Class != "-" && !f.Class.Valid() {
		return f, errs.OnField("class", "类别只能是A、B、C或 -(未研判)")
	}
	return f, nil
}

func (s *Server) classesPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	u := db.User()
	ctx := r.Context()
	f, err := communityFilter(r.URL.Query())
	if err != nil {
		return err
	}
	cycle, err := db.Cycle(ctx)
	if err != nil {
		return err
	}
	v := classesView{Cycle: cycle, Filter: f, CanImport: u.Can(account.Assess), CanRules: u.Can(account.ManageRubric)}
	if v.Counts, err = db.ClassCounts(ctx); err != nil {
		return err
	}
	// The chart stays legible with 60 districts; the table below pages through all communities.
	if v.Districts, err = db.ClassCountsByDistrict(ctx, 60); err != nil {
		return err
	}
	var rows []barRow
	for _, d := range v.Districts {
		row := barRow{Label: d.Name, Href: "/classes?district=" + url.QueryEscape(d.Code)}
		for _, c := range classOrder {
			row.Values = append(row.Values, d.Counts.Of(c))
		}
		rows = append(rows, row)
	}
	v.Chart = stackedBars("各片区社区分类", classSeries, rows)
	total, err := db.CountCommunities(ctx, f)
	if err != nil {
		return err
	}
	v.Pager = newPager(pageParam(r), total, communityPage)
	page := f
	page.Limit, page.Offset = communityPage, (v.Pager.Page-1)*communityPage
	if v.Communities, err = db.CommunityClasses(ctx, page); err != nil {
		return err
	}
	q := url.Values{}
	if f.Class != "" {
		q.Set("class", string(f.Class))
	}
	if f.District != "" {
		q.Set("district", f.District)
	}
	v.Pager = v.Pager.Of(q, "个社区")
	s.render(w, r, "classes", http.StatusOK, v)
	return nil
}

func (s *Server) apiClasses(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	counts, err := db.ClassCounts(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"A": counts[assess.A], "B": counts[assess.B], "C": counts[assess.C],
		"unassessed": counts[assess.Unassessed]})
	return nil
}

func (s *Server) apiClassDistricts(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ds, err := db.ClassCountsByDistrict(r.Context(), 0)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(ds))
	for i, d := range ds {
		items[i] = map[string]any{"code": d.Code, "name": d.Name, "A": d.Counts.A, "B": d.Counts.B,
			"C": d.Counts.C, "unassessed": d.Counts.Unassessed}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

type communityJSON struct {
	Code        string         `json:"code"`
	Name        string         `json:"name"`
	District    string         `json:"district"`
	Class       assess.Class   `json:"class"`
	Warning     assess.Warning `json:"warning"`
	Computed    assess.Class   `json:"computed_class"`
	Override    *overrideJSON  `json:"override"`
	Total       int            `json:"total"`
	Max         int            `json:"max"`
	AssessedOn  civil.Date     `json:"assessed_on"`
	Explanation string         `json:"explanation"`
	Plans       int            `json:"plans"`
}

type overrideJSON struct {
	Class  assess.Class `json:"class"`
	Reason string       `json:"reason"`
	By     string       `json:"by"`
	At     time.Time    `json:"at"`
}

func toCommunityJSON(c store.CommunityClass) communityJSON {
	st := c.Standing
	j := communityJSON{Code: c.Code, Name: c.Name, District: c.DistrictCode, Class: st.Class(), Warning: st.Class().Warning(),
		Computed: st.Computed, Total: c.Total, Max: c.Max, AssessedOn: c.AssessedOn, Explanation: st.Explanation, Plans: c.Plans}
	if st.Override != assess.Unassessed {
		j.Override = &overrideJSON{st.Override, st.OverrideReason, st.OverrideBy, st.OverrideAt}
	}
	return j
}

// apiCommunities lists the communities in scope with their class, in tree
// order, a page at a time: ?limit=N (1 to 10,000; 1,000 when not given)
// and ?page=P from 1; "next" links the following page while there is one.
func (s *Server) apiCommunities(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	q := r.URL.Query()
	f, err := communityFilter(q)
	if err != nil {
		return err
	}
	p, err := apiPagingOf(q, communitiesPage, 10_000)
	if err != nil {
		return err
	}
	w0 := p.window()
	f.Limit, f.Offset = w0.Limit+1, w0.Offset // one more row says whether a next page follows
	list, err := db.CommunityClasses(r.Context(), f)
	if err != nil {
		return err
	}
	out := map[string]any{}
	if len(list) > p.limit {
		list = list[:p.limit]
		out["next"] = p.next(r.URL.Path, q)
	}
	items := make([]communityJSON, len(list))
	for i, c := range list {
		items[i] = toCommunityJSON(c)
	}
	out["items"] = items
	writeJSON(w, http.StatusOK, out)
	return nil
}

// communitiesPage is how many communities /api/v1/communities gives at
// most when ?limit is not given: a province has 100,000.
const communitiesPage = 1000

type measureJSON struct {
	ID        int64      `json:"id"`
	Plan      int64      `json:"plan"`
	Community string     `json:"community,omitempty"`
	Section   string     `json:"section"`
	Content   string     `json:"content"`
	Owner     string     `json:"owner"`
	Due       civil.Date `json:"due"`
	DoneOn    civil.Date `json:"done_on"`
}

func toMeasureJSON(m assess.Measure, community string) measureJSON {
	return measureJSON{m.ID, m.PlanID, community, string(m.Section), m.Content, m.Owner, m.Due, m.DoneOn}
}
