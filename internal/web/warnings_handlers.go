package web

import (
	"context"
	"net/http"
	"net/url"
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

// The warning list (预警清单) has eight sections. The list shows each
// section's count and its first warnFirst rows, with a link to the
// section's own page (/warnings/{section}), which pages through all of
// it; the JSON twins are /api/v1/warnings (the same first rows, the
// counts, links to the rest) and /api/v1/warnings/{section} (?limit, ?page
// and a next link). So a zone of 100,000 communities, most of them warned,
// reads and holds a page of each section, not the zone.
const (
	warnFirst   = 50  // rows of each section on the list
	warnPage    = 200 // rows of a section's own page
	warnAPIPage = 1000
)

// warningsView is the warning list: every warned community with the
// indicators behind its class, its open measures and who owns them; the
// changes since yesterday; overdue measures; plan shortfalls; for readers
// of the later stages, the void elections, the late handovers, the visits
// short of their targets and the predicted slates short of a hard target.
// A section not read (another's page, or not the reader's) is nil.
type warningsView struct {
	Cycle org.Cycle
	Today civil.Date
	Since time.Time
	// Section is the one section shown on its own page ("" on the list)
	// and Pager where that page stands; Totals counts each section read.
	Section    string
	Pager      pager
	Totals     map[string]int
	Changes    *part[store.ClassChange]
	Warned     *part[warned]
	Shortfalls *part[assess.Shortfall]
	Overdue    *part[store.OpenMeasure]
	Voids      *part[store.VoidElection]
	Handovers  *part[store.LateHandover]
	Coverage   *part[visit.Shortfall]
	Targets    *part[meeting.TargetLine]
}

// part is one section of the warning list: a page of its rows and how
// many there are.
type part[T any] struct {
	Rows  []T
	Total int
}

func partOf[T any](rows []T, total int) *part[T] { return &part[T]{Rows: rows, Total: total} }

// slice is the page p of a list read whole (a section whose test is not
// in its statement).
func slice[T any](all []T, p store.Page) *part[T] {
	lo := min(max(p.Offset, 0), len(all))
	hi := len(all)
	if p.Limit > 0 {
		hi = min(lo+p.Limit, hi)
	}
	return partOf(all[lo:hi], len(all))
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

// warnSection is one section: its name in paths, its key in
// /api/v1/warnings, who reads it, what its page says it counts, how a page
// of it is read, and its rows in the JSON twins.
type warnSection struct {
	name  string
	key   string
	can   account.Permission // "": every reader of the warnings
	unit  string
	read  func(ctx context.Context, db *store.Scoped, v *warningsView, p store.Page) (int, error)
	items func(v *warningsView) any
}

var warnSections = []warnSection{
	{"changes", "changes", "", "条变化", readChanges, func(v *warningsView) any { return changesJSON(v.Changes.Rows) }},
	{"warned", "items", "", "个社区", readWarned, func(v *warningsView) any { return warnedJSON(v.Warned.Rows) }},
	{"shortfalls", "plan_shortfalls", "", "个社区", readShortfalls, func(v *warningsView) any { return shortfallsJSON(v.Shortfalls.Rows) }},
	{"overdue", "overdue_measures", "", "项措施", readOverdue, func(v *warningsView) any { return measuresJSON(v.Overdue.Rows) }},
	{"voids", "void_elections", account.ViewElection, "个", readVoids, func(v *warningsView) any { return v.Voids.Rows }},
	{"handovers", "handovers_overdue", account.ViewElection, "个", readHandovers, func(v *warningsView) any { return v.Handovers.Rows }},
	{"coverage", "coverage_shortfalls", account.ViewVisits, "个", readCoverage, func(v *warningsView) any { return v.Coverage.Rows }},
	{"targets", "targets_unmet", account.ViewSlate, "个社区", readTargets, func(v *warningsView) any { return v.Targets.Rows }},
}

func readChanges(ctx context.Context, db *store.Scoped, v *warningsView, p store.Page) (int, error) {
	rows, n, err := db.ClassChanges(ctx, v.Since, p)
	v.Changes = partOf(rows, n)
	return n, err
}

// readWarned reads a page of the warned communities, then the open
// measures and the responsible people of that page's communities only.
func readWarned(ctx context.Context, db *store.Scoped, v *warningsView, p store.Page) (int, error) {
	list, n, err := db.Warned(ctx, p)
	if err != nil {
		return 0, err
	}
	v.Warned = partOf(make([]warned, len(list)), n)
	if len(list) == 0 {
		return n, nil
	}
	codes := make([]string, len(list))
	for i, c := range list {
		codes[i] = c.Code
	}
	rubric, err := db.AssessRubric(ctx)
	if err != nil {
		return 0, err
	}
	rules, err := db.AssessRules(ctx)
	if err != nil {
		return 0, err
	}
	open, _, err := db.OpenMeasures(ctx, store.MeasureFilter{Codes: codes})
	if err != nil {
		return 0, err
	}
	assigned, err := db.AssignmentsIn(ctx, codes...)
	if err != nil {
		return 0, err
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
	}
	for i, c := range list {
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
		v.Warned.Rows[i] = wd
	}
	return n, nil
}

func readShortfalls(ctx context.Context, db *store.Scoped, v *warningsView, p store.Page) (int, error) {
	rules, err := db.AssessRules(ctx)
	if err != nil {
		return 0, err
	}
	rows, n, err := db.PlanShortfalls(ctx, rules, p)
	v.Shortfalls = partOf(rows, n)
	return n, err
}

func readOverdue(ctx context.Context, db *store.Scoped, v *warningsView, p store.Page) (int, error) {
	rows, n, err := db.OpenMeasures(ctx, store.MeasureFilter{OverdueOn: v.Today, Page: p})
	v.Overdue = partOf(rows, n)
	return n, err
}

func readVoids(ctx context.Context, db *store.Scoped, v *warningsView, p store.Page) (int, error) {
	rows, n, err := db.VoidElections(ctx, v.Today, true, p)
	v.Voids = partOf(rows, n)
	return n, err
}

func readHandovers(ctx context.Context, db *store.Scoped, v *warningsView, p store.Page) (int, error) {
	rows, n, err := db.HandoversOverdue(ctx, v.Today, p)
	v.Handovers = partOf(rows, n)
	return n, err
}

// readCoverage and readTargets read their section whole and keep a page:
// whether a community falls short is decided in Go (visit.ShortfallOf,
// slate.Evaluate), not in the statement.
func readCoverage(ctx context.Context, db *store.Scoped, v *warningsView, p store.Page) (int, error) {
	all, err := db.CoverageShortfalls(ctx, v.Today)
	v.Coverage = slice(all, p)
	return len(all), err
}

func readTargets(ctx context.Context, db *store.Scoped, v *warningsView, p store.Page) (int, error) {
	if err := db.KeepTargetResults(ctx); err != nil {
		return 0, err
	}
	all, err := db.UnmetTargets(ctx)
	v.Targets = slice(all, p)
	return len(all), err
}

// warnings reads the sections the reader may see: all of them with the
// page p each, or only the one named by section.
func (s *Server) warnings(ctx context.Context, db *store.Scoped, section string, p store.Page) (warningsView, error) {
	cycle, err := db.Cycle(ctx)
	if err != nil {
		return warningsView{}, err
	}
	now := s.st.Now()
	v := warningsView{Cycle: cycle, Today: civil.Of(now), Since: civil.DayStart(now).AddDate(0, 0, -1), Section: section, Totals: map[string]int{}}
	for _, sec := range warnSections {
		if (section == "" || section == sec.name) && (sec.can == "" || db.Can(sec.can)) {
			n, err := sec.read(ctx, db, &v, p)
			if err != nil {
				return v, err
			}
			v.Totals[sec.name] = n
		}
	}
	return v, nil
}

// warnSectionNamed is the section called name.
func warnSectionNamed(name string) (warnSection, bool) {
	for _, sec := range warnSections {
		if sec.name == name {
			return sec, true
		}
	}
	return warnSection{}, false
}

// warnSectionOf is the section a path names, if the reader may see it.
func warnSectionOf(r *http.Request, db *store.Scoped) (warnSection, error) {
	if sec, ok := warnSectionNamed(r.PathValue("section")); ok && (sec.can == "" || db.Can(sec.can)) {
		return sec, nil
	}
	return warnSection{}, errs.New(errs.NotFound, "没有这一类预警")
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
	v, err := s.warnings(r.Context(), db, "", store.Page{Limit: warnFirst})
	if err != nil {
		return err
	}
	s.render(w, r, "warnings", http.StatusOK, v)
	return nil
}

// warningSectionPage is one section of the list, a page of warnPage rows
// at a time.
func (s *Server) warningSectionPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	sec, err := warnSectionOf(r, db)
	if err != nil {
		return err
	}
	page := pageParam(r)
	read := func(page int) (warningsView, error) {
		return s.warnings(r.Context(), db, sec.name, store.Page{Limit: warnPage, Offset: (page - 1) * warnPage})
	}
	v, err := read(page)
	if err != nil {
		return err
	}
	pg := newPager(page, v.Totals[sec.name], warnPage)
	if pg.Page < page { // past the end: the last page, as the other lists do
		if v, err = read(pg.Page); err != nil {
			return err
		}
	}
	v.Pager = pg.Of(url.Values{}, sec.unit)
	s.render(w, r, "warnings", http.StatusOK, v)
	return nil
}

// apiWarnings is the list's JSON twin: each section the reader may see
// with its first rows under its key, its count in "totals", and where the
// rest is in "more".
func (s *Server) apiWarnings(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.warnings(r.Context(), db, "", store.Page{Limit: warnFirst})
	if err != nil {
		return err
	}
	out := map[string]any{"changes_since": v.Since}
	totals, more := map[string]int{}, map[string]string{}
	for _, sec := range warnSections {
		if sec.can != "" && !db.Can(sec.can) {
			continue
		}
		out[sec.key] = sec.items(&v)
		if totals[sec.name] = v.Totals[sec.name]; totals[sec.name] > warnFirst {
			more[sec.name] = "/api/v1/warnings/" + sec.name
		}
	}
	out["totals"], out["more"] = totals, more
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiWarningSection pages one section: ?limit=N (1 to 10,000; 1,000 when
// not given) and ?page=P from 1, with "total" and, while more follow, "next".
func (s *Server) apiWarningSection(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	sec, err := warnSectionOf(r, db)
	if err != nil {
		return err
	}
	return s.apiSection(w, r, db, sec)
}

// apiSection answers a page of sec, also for the older addresses of two
// sections (/api/v1/plans/shortfall, /api/v1/measures/overdue).
func (s *Server) apiSection(w http.ResponseWriter, r *http.Request, db *store.Scoped, sec warnSection) error {
	p, err := apiPagingOf(r.URL.Query(), warnAPIPage, 10_000)
	if err != nil {
		return err
	}
	v, err := s.warnings(r.Context(), db, sec.name, p.window())
	if err != nil {
		return err
	}
	p.answer(w, r, sec.items(&v), v.Totals[sec.name])
	return nil
}

func (s *Server) apiShortfall(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	sec, _ := warnSectionNamed("shortfalls")
	return s.apiSection(w, r, db, sec)
}

func (s *Server) apiOverdue(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	sec, _ := warnSectionNamed("overdue")
	return s.apiSection(w, r, db, sec)
}

func warnedJSON(list []warned) []map[string]any {
	items := make([]map[string]any, len(list))
	for i, wd := range list {
		items[i] = map[string]any{"code": wd.Code, "name": wd.Name, "district": wd.DistrictCode, "class": wd.Standing.Class(),
			"warning": wd.Standing.Class().Warning(), "vetoes": wd.Vetoes, "weakest": wd.Weakest, "explanation": wd.Standing.Explanation,
			"open_measures": measuresJSON(wd.Measures), "owners": wd.Owners, "responsible": wd.Responsible}
	}
	return items
}

func changesJSON(list []store.ClassChange) []map[string]any {
	items := make([]map[string]any, len(list))
	for i, c := range list {
		items[i] = map[string]any{"code": c.Code, "name": c.Name, "at": c.At, "from": c.From, "to": c.To, "cause": c.Cause,
			"new_warning": c.To.Warning() != assess.NoWarning && c.To.Warning() != c.From.Warning()}
	}
	return items
}

func shortfallsJSON(list []assess.Shortfall) []map[string]any {
	items := make([]map[string]any, len(list))
	for i, sf := range list {
		items[i] = map[string]any{"code": sf.OrgCode, "name": sf.OrgName, "district": sf.District, "class": sf.Class,
			"plans": sf.Plans, "required": sf.Required}
	}
	return items
}

func measuresJSON(list []store.OpenMeasure) []measureJSON {
	items := make([]measureJSON, len(list))
	for i, m := range list {
		items[i] = toMeasureJSON(m.Measure, m.Code)
	}
	return items
}

// warnMore is the link below a section of the list to all its rows.
type warnMore struct {
	Show          bool
	Section, Unit string
	Total         int
}

// More is the link to all of section's rows, shown on the list when it
// holds more than its first rows.
func (v warningsView) More(section string) warnMore {
	sec, _ := warnSectionNamed(section)
	return warnMore{Section: section, Unit: sec.unit, Total: v.Totals[section], Show: v.Section == "" && v.Totals[section] > warnFirst}
}
