package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/meeting"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/visit"
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
			row.Values = append(row.Values, d.Counts[c])
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
		items[i] = map[string]any{"code": d.Code, "name": d.Name, "A": d.Counts[assess.A], "B": d.Counts[assess.B],
			"C": d.Counts[assess.C], "unassessed": d.Counts[assess.Unassessed]}
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
	limit, err := queryIntOf(q, "limit", communitiesPage, 10_000)
	if err != nil {
		return err
	}
	page, err := queryIntOf(q, "page", 1, 1_000_000)
	if err != nil {
		return err
	}
	limit, page = max(limit, 1), max(page, 1)
	f.Limit, f.Offset = limit+1, (page-1)*limit // one more row says whether a next page follows
	list, err := db.CommunityClasses(r.Context(), f)
	if err != nil {
		return err
	}
	out := map[string]any{}
	if len(list) > limit {
		list = list[:limit]
		q.Set("limit", strconv.Itoa(limit))
		q.Set("page", strconv.Itoa(page+1))
		out["next"] = "/api/v1/communities?" + q.Encode()
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

// warningsView is the warning list (预警清单): every warned community with
// the indicators behind its class, its open measures and who owns them;
// the changes since yesterday; overdue measures; plan shortfalls.
type warningsView struct {
	Cycle      org.Cycle
	Today      civil.Date
	Warned     []warned
	Changes    []store.ClassChange
	Since      time.Time
	Overdue    []store.OpenMeasure
	Shortfalls []assess.Shortfall
	// Targets: the communities whose predicted slate misses a hard
	// structure target, for readers of the third gate (nil otherwise).
	Targets []meeting.TargetLine
	// For readers of the elections: the void elections whose re-run day
	// is near or past, and the handovers past their due day.
	Elections bool
	Voids     []store.VoidElection
	Handovers []store.LateHandover
	// For readers of the visits: the communities short of their round's
	// targets near or past the round's end day.
	Visits   bool
	Coverage []visit.Shortfall
}

// RerunWarnDays is how near its re-run day a void election is listed.
func (warningsView) RerunWarnDays() int { return election.RerunWarnDays }

// VisitWarnDays is how near its round's end day a community short of the
// round's targets is listed.
func (warningsView) VisitWarnDays() int { return visit.WarnDays }

type warned struct {
	store.CommunityClass
	Vetoes      []string // names of the flags present
	Weakest     string   // the weakest dimension with its points
	Measures    []store.OpenMeasure
	Owners      []string // owners of the open measures
	Responsible []string // 包社区领导 and 包社区干部
}

func (s *Server) warnings(ctx context.Context, db *store.Scoped) (warningsView, error) {
	cycle, err := db.Cycle(ctx)
	if err != nil {
		return warningsView{}, err
	}
	now := s.st.Now()
	v := warningsView{Cycle: cycle, Today: civil.Of(now), Since: civil.DayStart(now).AddDate(0, 0, -1)}
	rubric, err := db.AssessRubric(ctx)
	if err != nil {
		return v, err
	}
	rules, err := db.AssessRules(ctx)
	if err != nil {
		return v, err
	}
	open, err := db.OpenMeasures(ctx, "")
	if err != nil {
		return v, err
	}
	assigned, err := db.AssignmentsIn(ctx, "")
	if err != nil {
		return v, err
	}
	responsible := map[string][]string{}
	for _, a := range assigned {
		if a.Duty == org.CommunityLeader || a.Duty == org.CommunityCadre {
			responsible[a.OrgCode] = append(responsible[a.OrgCode], a.Duty.Label()+" "+a.Name)
		}
	}
	byCode := map[string][]store.OpenMeasure{}
	for _, m := range open {
		byCode[m.Code] = append(byCode[m.Code], m)
		if m.Overdue(v.Today) {
			v.Overdue = append(v.Overdue, m)
		}
	}
	for _, class := range []assess.Class{assess.C, assess.B} {
		list, err := db.CommunityClasses(ctx, store.CommunityFilter{Class: class, WithScores: true})
		if err != nil {
			return v, err
		}
		for _, c := range list {
			wd := warned{CommunityClass: c, Measures: byCode[c.Code], Responsible: responsible[c.Code]}
			if c.Scores != nil {
				res := assess.Classify(rubric, rules, c.Scores)
				for _, veto := range res.Vetoes {
					wd.Vetoes = append(wd.Vetoes, veto.Name)
				}
				wd.Weakest = weakest(res)
			}
			seen := map[string]bool{}
			for _, m := range wd.Measures {
				if !seen[m.Owner] {
					seen[m.Owner] = true
					wd.Owners = append(wd.Owners, m.Owner)
				}
			}
			v.Warned = append(v.Warned, wd)
		}
	}
	if v.Changes, err = db.ClassChanges(ctx, v.Since); err != nil {
		return v, err
	}
	if v.Shortfalls, err = db.PlanShortfalls(ctx, rules); err != nil {
		return v, err
	}
	if db.Can(account.ViewSlate) {
		if v.Targets, err = db.UnmetTargets(ctx); err != nil {
			return v, err
		}
	}
	if v.Elections = db.Can(account.ViewElection); v.Elections {
		if v.Voids, err = db.VoidElections(ctx, v.Today, true); err != nil {
			return v, err
		}
		if v.Handovers, err = db.HandoversOverdue(ctx, v.Today); err != nil {
			return v, err
		}
	}
	if v.Visits = db.Can(account.ViewVisits); v.Visits {
		v.Coverage, err = db.CoverageShortfalls(ctx, v.Today)
	}
	return v, err
}

// weakest names the dimension with the lowest share of its points.
func weakest(res assess.Result) string {
	name, best := "", 2.0
	for _, d := range assess.Dimensions {
		p := res.ByDimension[d]
		if p[1] > 0 && float64(p[0])/float64(p[1]) < best {
			best = float64(p[0]) / float64(p[1])
			name = d.Label() + " " + itoaInt(p[0]) + "/" + itoaInt(p[1])
		}
	}
	return name
}

func (s *Server) warningsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.warnings(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, "warnings", http.StatusOK, v)
	return nil
}

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

func (s *Server) apiWarnings(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.warnings(r.Context(), db)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(v.Warned))
	for i, wd := range v.Warned {
		ms := make([]measureJSON, len(wd.Measures))
		for j, m := range wd.Measures {
			ms[j] = toMeasureJSON(m.Measure, m.Code)
		}
		items[i] = map[string]any{"code": wd.Code, "name": wd.Name, "district": wd.DistrictCode, "class": wd.Standing.Class(),
			"warning": wd.Standing.Class().Warning(), "vetoes": wd.Vetoes, "weakest": wd.Weakest, "explanation": wd.Standing.Explanation,
			"open_measures": ms, "owners": wd.Owners, "responsible": wd.Responsible}
	}
	changes := make([]map[string]any, len(v.Changes))
	for i, c := range v.Changes {
		changes[i] = map[string]any{"code": c.Code, "name": c.Name, "at": c.At, "from": c.From, "to": c.To, "cause": c.Cause,
			"new_warning": c.To.Warning() != assess.NoWarning && c.To.Warning() != c.From.Warning()}
	}
	out := map[string]any{"items": items, "changes_since": v.Since, "changes": changes}
	if db.Can(account.ViewSlate) {
		out["targets_unmet"] = v.Targets
	}
	if v.Elections {
		out["void_elections"], out["handovers_overdue"] = v.Voids, v.Handovers
	}
	if v.Visits {
		out["coverage_shortfalls"] = v.Coverage
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiShortfall(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	rules, err := db.AssessRules(r.Context())
	if err != nil {
		return err
	}
	list, err := db.PlanShortfalls(r.Context(), rules)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(list))
	for i, sf := range list {
		items[i] = map[string]any{"code": sf.OrgCode, "name": sf.OrgName, "district": sf.District, "class": sf.Class,
			"plans": sf.Plans, "required": sf.Required}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) apiOverdue(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	list, err := db.OpenMeasures(r.Context(), s.st.Today())
	if err != nil {
		return err
	}
	items := make([]measureJSON, len(list))
	for i, m := range list {
		items[i] = toMeasureJSON(m.Measure, m.Code)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}
