package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

type orgJSON struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Kind       org.Kind `json:"kind"`
	Parent     *string  `json:"parent"`
	Households int      `json:"households"`
	Population int      `json:"population"`
}

func toOrgJSON(u org.Unit) orgJSON {
	j := orgJSON{Code: u.Code, Name: u.Name, Kind: u.Kind, Households: u.Households, Population: u.Population}
	if u.ParentCode != "" {
		p := u.ParentCode
		j.Parent = &p
	}
	return j
}

type summaryJSON struct {
	orgJSON
	Communities     int   `json:"communities"`
	HouseholdsTotal int64 `json:"households_total"`
	PopulationTotal int64 `json:"population_total"`
}

func toSummaryJSON(units []org.Unit) []summaryJSON {
	out := make([]summaryJSON, len(units))
	for i, u := range units {
		out[i] = summaryJSON{toOrgJSON(u), u.Tree.Communities, u.Tree.Households, u.Tree.Population}
	}
	return out
}

// Page sizes of child lists: the home page shows the first homeChildren of
// each top unit, a unit's page childPage at a time.
const (
	homeChildren = 100
	childPage    = 200
)

// homeView is the home page: counts of the user's scope and, for each top
// unit of the scope, its first children with their subtree totals.
type homeView struct {
	Cycle  org.Cycle
	Today  todayView
	Counts org.Totals
	Roots  []rootView
}

type rootView struct {
	Unit     org.Unit
	Children []org.Unit
	Total    int // children in all; more than len(Children) when cut
}

func (s *Server) home(ctx context.Context, db *store.Scoped) (homeView, error) {
	var v homeView
	var err error
	if v.Cycle, err = s.st.CurrentCycle(ctx); err != nil && !errs.Is(err, errs.NotFound) {
		return v, err
	}
	if v.Today, err = s.today(ctx, db, v.Cycle); err != nil {
		return v, err
	}
	if v.Counts, err = db.CountOrgs(ctx); err != nil {
		return v, err
	}
	roots, err := db.ScopeRoots(ctx)
	if err != nil {
		return v, err
	}
	for _, root := range roots {
		children, total, err := db.Children(ctx, root.ID, homeChildren, 0)
		if err != nil {
			return v, err
		}
		v.Roots = append(v.Roots, rootView{root, children, total})
	}
	return v, nil
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	if !db.Can(account.ViewOrgs) {
		// A department sees no org tree: its first page is its own queue.
		nav := s.navFor(db.User(), "/")
		http.Redirect(w, r, nav[0].Href, http.StatusSeeOther)
		return nil
	}
	v, err := s.home(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, "home", http.StatusOK, v)
	return nil
}

func (s *Server) apiHome(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.home(r.Context(), db)
	if err != nil {
		return err
	}
	type rootJSON struct {
		summaryJSON
		Children      []summaryJSON `json:"children"`
		ChildrenTotal int           `json:"children_total"`
	}
	roots := []rootJSON{}
	for _, root := range v.Roots {
		roots = append(roots, rootJSON{toSummaryJSON([]org.Unit{root.Unit})[0], toSummaryJSON(root.Children), root.Total})
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"cycle": map[string]string{"code": v.Cycle.Code, "name": v.Cycle.Name},
		"counts": map[string]any{
			"zones": v.Counts.Zones, "districts": v.Counts.Districts, "communities": v.Counts.Communities,
			"households": v.Counts.Households, "population": v.Counts.Population,
		},
		"roots": roots,
		"today": map[string]any{"day": v.Today.Today, "figures": v.Today.Figures, "elections": v.Today.Elections, "meeting_id": v.Today.Meeting, "review_progress": v.Today.Review},
	})
	return nil
}

// orgsPage is how many units /api/v1/orgs gives at most when ?limit is
// not given: a province's tree is 100,000 units and more.
const orgsPage = 1000

// apiOrgs lists the tree in scope a page at a time: ?limit=N (at most
// 10,000; orgsPage when not given) after ?after=CODE, the last code of the
// previous page; "next" is the link to the next page while there may be one.
func (s *Server) apiOrgs(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	q := r.URL.Query()
	f := store.OrgFilter{Kind: org.Kind(q.Get("kind")), ParentCode: q.Get("parent"), After: q.Get("after"), Limit: orgsPage}
	if f.Kind != "" && !f.Kind.Valid() {
		return errs.OnField("kind", "未知的组织层级:"+q.Get("kind"))
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 10000 {
			return errs.OnField("limit", fieldName("limit")+"必须是1到10000之间的整数")
		}
		f.Limit = n
	}
	units, err := db.ListOrgs(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]orgJSON, len(units))
	for i, unit := range units {
		items[i] = toOrgJSON(unit)
	}
	out := map[string]any{"items": items}
	if len(units) == f.Limit {
		next := r.URL.Query()
		next.Set("after", units[len(units)-1].Code)
		next.Set("limit", strconv.Itoa(f.Limit))
		out["next"] = "/api/v1/orgs?" + next.Encode()
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// orgView is one unit with where it sits, what is below it and, for a
// community, its sitting committee members (masked).
type orgView struct {
	Unit      org.Unit
	Links     template.HTML // a community's links to its other pages (communityLinks)
	Ancestors []org.Unit
	Children  []org.Unit
	Pager     pager
	Members   []org.Member
	CanManage bool
	Kinds     []org.Kind // kinds a child may have, for the add form

	Assignments []org.Assignment
	Duties      []org.Duty // duties that attach to this unit's kind
	CanAssign   bool
}

func (v orgView) Title() string { return v.Unit.Name }

// Crumbs are the links to the unit's ancestors, each after a "›", printed
// in Go as tableRows are.
func (v orgView) Crumbs() template.HTML {
	var b strings.Builder
	for _, a := range v.Ancestors {
		b.WriteString(` › <a href="` + template.HTMLEscapeString(orgURL(a.Code)) + `">` + template.HTMLEscapeString(a.Name) + `</a>`)
	}
	return template.HTML(b.String())
}

// MemberRows are the members' table rows (tableRows).
func (v orgView) MemberRows() template.HTML {
	t := rowsOf(len(v.Members), 256)
	for _, m := range v.Members {
		t.tr()
		t.td("", m.Committee.Label())
		t.td("", m.Post)
		name := template.HTMLEscapeString(m.Name)
		if m.Demo {
			name += ` <span class="tag">演示</span>`
		}
		t.cell("", name)
		t.td("", m.Sex)
		t.td("", m.BirthDate.String())
		if m.PartyMember {
			t.td("", "是")
		} else {
			t.td("", "否")
		}
		t.td("", m.Education)
		t.td("mono", m.IDNumber)
		t.td("mono", m.Phone)
	}
	return t.html()
}

// AssignmentRows are the assignments' table rows (tableRows), each with
// its form to remove it when the reader may.
func (v orgView) AssignmentRows() template.HTML {
	t := rowsOf(len(v.Assignments), 320)
	for _, a := range v.Assignments {
		t.tr()
		t.td("", a.Duty.Label())
		t.td("", a.Name)
		t.td("", a.Unit)
		t.td("mono", a.Phone)
		t.td("mono", a.Username)
		if v.CanAssign {
			t.cell("noprint", `<form method="post" action="/assignments/`+strconv.FormatInt(a.ID, 10)+`/remove" class="inline-form">`+
				`<input type="hidden" name="org" value="`+template.HTMLEscapeString(v.Unit.Code)+`"><button type="submit" class="link danger">取消</button></form>`)
		}
	}
	return t.html()
}

func (s *Server) orgDetail(ctx context.Context, db *store.Scoped, code string, page int) (orgView, error) {
	u := db.User()
	unit, err := db.OrgByCode(ctx, code)
	if err != nil {
		return orgView{}, err
	}
	v := orgView{Unit: unit, CanManage: u.Can(account.ManageOrgs) && unit.Kind != org.Community}
	if v.Ancestors, err = db.OrgAncestors(ctx, unit); err != nil {
		return v, err
	}
	var total int
	if v.Children, total, err = db.Children(ctx, unit.ID, childPage, (page-1)*childPage); err != nil {
		return v, err
	}
	v.Pager = newPager(page, total, childPage).Of(nil, "个")
	if unit.Kind == org.Community {
		if v.Members, err = db.Members(ctx, unit.Code); err != nil {
			return v, err
		}
	}
	v.Kinds = childKinds(unit.Kind)
	if unit.Kind == org.District || unit.Kind == org.Community {
		if v.Assignments, err = db.AssignmentsIn(ctx, unit.Code); err != nil {
			return v, err
		}
		for _, d := range org.Duties {
			if d.On() == unit.Kind {
				v.Duties = append(v.Duties, d)
			}
		}
		v.CanAssign = u.Can(account.ManageOrgs)
	}
	return v, nil
}

// communityLinks are a community page's links to the community's other
// pages. Each is shown to those its route lets in, the route's permission
// read from the route table once (Server.linkPerms), as for navEntries.
var communityLinks = []link{
	{"/communities/{code}/assessment", "三类研判"}, {"/communities/{code}/plans", "工作方案"},
	{"/communities/{code}/progress", "换届进度"}, {"/communities/{code}/results", "选举结果"},
	{"/communities/{code}/ledger", "台账"}, {"/communities/{code}/archive", "档案"},
	{"/aspirants?community={code}", "自荐参选人"}, {"/communities/{code}/electorate", "选民与投票站"},
	{"/communities/{code}/ballots", "投票与计票"}, {"/communities/{code}/visits", "走访"},
}

// communityLinkBar is the markup of the communityLinks u may open on the
// community code's page, printed in Go for the reason tableRows are.
func (s *Server) communityLinkBar(u account.User, code string) template.HTML {
	var b strings.Builder
	for i, l := range communityLinks {
		if perm := s.communityPerms[i]; perm != "" && !u.Can(perm) {
			continue
		}
		path, query, _ := strings.Cut(l.Href, "?")
		href := strings.ReplaceAll(path, "{code}", url.PathEscape(code))
		if query != "" {
			href += "?" + strings.ReplaceAll(query, "{code}", url.QueryEscape(code))
		}
		if b.Len() > 0 {
			b.WriteString("\n  ")
		}
		b.WriteString(`<a href="` + template.HTMLEscapeString(href) + `">` + l.Label + ` ›</a>`)
	}
	return template.HTML(b.String())
}

// childKinds are the kinds a unit of kind k may hold below it.
func childKinds(k org.Kind) []org.Kind {
	order := []org.Kind{org.City, org.County, org.Town, org.Zone, org.District, org.Community}
	for i, o := range order {
		if o == k {
			return order[i+1:]
		}
	}
	return nil
}

// pageParam reads ?page=N (1-based); anything else is page 1.
func pageParam(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// orgPageView is orgDetail with what only the page prints: a community's
// links to its other pages (the API answers without them).
func (s *Server) orgPageView(ctx context.Context, db *store.Scoped, code string, page int) (orgView, error) {
	v, err := s.orgDetail(ctx, db, code, page)
	if err == nil && v.Unit.Kind == org.Community {
		v.Links = s.communityLinkBar(db.User(), v.Unit.Code)
	}
	return v, err
}

func (s *Server) orgPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.orgPageView(r.Context(), db, r.PathValue("code"), pageParam(r))
	if err != nil {
		return err
	}
	s.render(w, r, "org", http.StatusOK, v)
	return nil
}

type memberJSON struct {
	ID          int64         `json:"id"`
	Name        string        `json:"name"`
	Sex         string        `json:"sex"`
	BirthDate   civil.Date    `json:"birth_date"`
	Committee   org.Committee `json:"committee"`
	Post        string        `json:"post"`
	PartyMember bool          `json:"party_member"`
	Education   string        `json:"education"`
	IDNumber    string        `json:"id_number_masked"`
	Phone       string        `json:"phone_masked"`
	Demo        bool          `json:"demo"`
}

func (s *Server) apiOrg(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.orgDetail(r.Context(), db, r.PathValue("code"), pageParam(r))
	if err != nil {
		return err
	}
	ancestors := make([]orgJSON, len(v.Ancestors))
	for i, a := range v.Ancestors {
		ancestors[i] = toOrgJSON(a)
	}
	members := make([]memberJSON, len(v.Members))
	for i, m := range v.Members {
		members[i] = memberJSON{m.ID, m.Name, m.Sex, m.BirthDate, m.Committee, m.Post, m.PartyMember, m.Education, m.IDNumber, m.Phone, m.Demo}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"code": v.Unit.Code, "name": v.Unit.Name, "kind": v.Unit.Kind, "parent": toOrgJSON(v.Unit).Parent,
		"households": v.Unit.Households, "population": v.Unit.Population,
		"communities": v.Unit.Tree.Communities, "households_total": v.Unit.Tree.Households, "population_total": v.Unit.Tree.Population,
		"ancestors": ancestors, "children": toSummaryJSON(v.Children), "children_total": v.Pager.Total, "page": v.Pager.Page,
		"members": members,
	})
	return nil
}

// orgAgain is a unit's page that a refused form on it comes back to.
func (s *Server) orgAgain(ctx context.Context, db *store.Scoped, code string) (string, any, error) {
	v, err := s.orgPageView(ctx, db, code, 1)
	return "org", v, err
}

func orgURL(code string) string { return "/orgs/" + url.PathEscape(code) }

// orgInput is a new unit below parent.
type orgInput struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Kind       org.Kind `json:"kind"`
	Parent     string   `json:"parent"`
	Households int      `json:"households"`
	Population int      `json:"population"`
}

func (s *Server) addOrg() handlerFunc {
	return act(s, action[orgInput]{
		run: func(ctx context.Context, db *store.Scoped, in orgInput) (any, error) {
			unit, err := writeOne(ctx, db, func(tx *store.Tx) (org.Unit, error) {
				return tx.AddOrg(ctx, org.Unit{Code: strings.TrimSpace(in.Code), Name: strings.TrimSpace(in.Name), Kind: in.Kind,
					ParentCode: in.Parent, Households: in.Households, Population: in.Population}, false)
			})
			return toOrgJSON(unit), err
		},
		created: true,
		next:    func(in orgInput, _ any) string { return orgURL(in.Parent) },
		notice:  "下级组织已新增。",
		page: func(ctx context.Context, db *store.Scoped, in orgInput) (string, any, error) {
			return s.orgAgain(ctx, db, in.Parent)
		},
	})
}
