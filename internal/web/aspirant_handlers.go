package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

const aspirantPage = 50

// aspirantsView is the list of aspirants (自荐参选人) with the registration form.
type aspirantsView struct {
	Cycle       org.Cycle
	Items       []store.AspirantRow
	Pager       pager
	Filter      store.AspirantFilter
	Communities unitChoice // for the form and the filter
	// Problem is what is wrong with the community filter, if anything.
	Problem     string
	Statuses    []vetting.Status
	Parties     []vetting.Party
	Posts       []vetting.Post
	Educations  []vetting.Education
	CanRegister bool
}

func aspirantFilter(r *http.Request) store.AspirantFilter { return aspirantFilterOf(r.URL.Query()) }

// aspirantFilterOf is the list's filter of query q.
func aspirantFilterOf(q url.Values) store.AspirantFilter {
	return store.AspirantFilter{OrgCode: q.Get("community"), Status: vetting.Status(q.Get("status")),
		Findings: q.Get("findings") == "1", Undecided: q.Get("undecided") == "1"}
}

func (s *Server) aspirantsView(ctx context.Context, db *store.Scoped, f store.AspirantFilter, page int) (aspirantsView, error) {
	cycle, err := db.Cycle(ctx)
	if err != nil {
		return aspirantsView{}, err
	}
	v := aspirantsView{Cycle: cycle, Statuses: vetting.Statuses, Parties: vetting.Parties, Posts: vetting.Posts,
		Educations: vetting.Educations, CanRegister: db.Can(account.RegisterAspirants)}
	if f.OrgCode, v.Problem, err = filterUnit(ctx, db, org.Community, f.OrgCode); err != nil {
		return v, err
	}
	v.Filter = f
	total, err := db.CountAspirants(ctx, f)
	if err != nil {
		return v, err
	}
	v.Pager = newPager(page, total, aspirantPage)
	f.Limit, f.Offset = aspirantPage, (v.Pager.Page-1)*aspirantPage
	if v.Items, err = db.Aspirants(ctx, f); err != nil {
		return v, err
	}
	if v.Communities, err = unitChoiceOf(ctx, db, org.Community); err != nil {
		return v, err
	}
	v.Pager = v.Pager.Of(url.Values{"community": {f.OrgCode}, "status": {string(f.Status)},
		"findings": {flag(f.Findings)}, "undecided": {flag(f.Undecided)}}, "人")
	return v, nil
}

func (s *Server) aspirantsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.aspirantsView(r.Context(), db, aspirantFilter(r), pageParam(r))
	if err != nil {
		return err
	}
	s.render(w, r, "aspirants", http.StatusOK, v)
	return nil
}

// aspirantInput is a registration (自荐), from the page's form or the API.
// A refused form does not show the ID number typed again (aspirants.html).
type aspirantInput struct {
	Community   string            `json:"community"`
	Name        string            `json:"name"`
	IDNumber    string            `json:"id_number"`
	Phone       string            `json:"phone"`
	Ethnicity   string            `json:"ethnicity"`
	Party       vetting.Party     `json:"party"`
	Committee   org.Committee     `json:"committee"`
	Post        vetting.Post      `json:"post"`
	CrossPost   vetting.Post      `json:"cross_post"`
	Education   vetting.Education `json:"education"`
	CurrentPost string            `json:"current_post"`
}

func (s *Server) addAspirant() handlerFunc {
	return act(s, action[aspirantInput]{
		run: func(ctx context.Context, db *store.Scoped, in aspirantInput) (any, error) {
			code, err := unitOf(ctx, db, org.Community, "community", in.Community)
			if err != nil {
				return nil, err
			}
			in.Community = code
			row, err := writeOne(ctx, db, func(tx *store.Tx) (store.AspirantRow, error) {
				return tx.AddAspirant(ctx, vetting.Aspirant{OrgCode: in.Community, Name: in.Name, IDNumber: in.IDNumber, Phone: in.Phone,
					Ethnicity: in.Ethnicity, Party: in.Party, Committee: in.Committee, Post: in.Post, CrossPost: in.CrossPost,
					Education: in.Education, CurrentPost: in.CurrentPost})
			})
			return toAspirantJSON(row), err
		},
		created: true,
		next:    func(_ aspirantInput, out any) string { return aspirantURL(out.(aspirantJSON).ID) },
		notice:  "参选人已登记。",
		page: func(ctx context.Context, db *store.Scoped, _ aspirantInput) (string, any, error) {
			v, err := s.aspirantsView(ctx, db, store.AspirantFilter{}, 1)
			return "aspirants", v, err
		},
	})
}

func aspirantURL(id int64) string { return "/aspirants/" + strconv.FormatInt(id, 10) }

// aspirantJSON is an aspirant as the API shows it: masked unless revealed.
type aspirantJSON struct {
	ID          int64             `json:"id"`
	Community   string            `json:"community"`
	OrgName     string            `json:"community_name"`
	District    string            `json:"district"`
	Name        string            `json:"name"`
	IDNumber    string            `json:"id_number"`
	Phone       string            `json:"phone"`
	Sex         string            `json:"sex"`
	Age         int               `json:"age"`
	Ethnicity   string            `json:"ethnicity"`
	Party       vetting.Party     `json:"party"`
	Committee   org.Committee     `json:"committee"`
	Post        vetting.Post      `json:"post"`
	CrossPost   vetting.Post      `json:"cross_post,omitempty"`
	Education   vetting.Education `json:"education"`
	CurrentPost string            `json:"current_post"`
	Status      vetting.Status    `json:"status"`
	StatusLabel string            `json:"status_label"`
	Reviewed    bool              `json:"reviewed"`
	Findings    bool              `json:"findings"`
	CreatedAt   time.Time         `json:"created_at"`
	// RegionWarning: the ID number's address code is not in the GB/T 2260 list.
	RegionWarning string `json:"region_warning,omitempty"`
}

func toAspirantJSON(a store.AspirantRow) aspirantJSON {
	return aspirantJSON{ID: a.ID, Community: a.OrgCode, OrgName: a.OrgName, District: a.DistrictName, Name: a.Name,
		IDNumber: a.IDNumber, Phone: a.Phone, Sex: a.Sex, Age: a.Age, Ethnicity: a.Ethnicity, Party: a.Party,
		Committee: a.Committee, Post: a.Post, CrossPost: a.CrossPost, Education: a.Education, CurrentPost: a.CurrentPost,
		Status: a.Status, StatusLabel: a.StatusLabel, Reviewed: a.Reviewed, Findings: a.Findings, CreatedAt: a.CreatedAt,
		RegionWarning: idcard.RegionWarning(a.IDNumber)}
}

func (s *Server) apiAspirants(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var err error
	f := aspirantFilter(r)
	if f.Status != "" && !f.Status.Valid() {
		return errs.OnField("status", "未知的参选人状态")
	}
	if f.Limit, err = queryInt(r, "limit", 0, 1000); err != nil {
		return err
	}
	if f.Offset, err = queryInt(r, "offset", 0, 1<<30); err != nil {
		return err
	}
	total, err := db.CountAspirants(r.Context(), f)
	if err != nil {
		return err
	}
	list, err := db.Aspirants(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]aspirantJSON, len(list))
	for i, a := range list {
		items[i] = toAspirantJSON(a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": total})
	return nil
}

// queryInt reads an optional integer query parameter within [0, limit].
func queryInt(r *http.Request, name string, def, limit int) (int, error) {
	return queryIntOf(r.URL.Query(), name, def, limit)
}

// queryIntOf is queryInt of a query at hand (a page's address a form carried).
func queryIntOf(q url.Values, name string, def, limit int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > limit {
		return 0, errs.OnField(name, fieldName(name)+"应为 0 至 "+strconv.Itoa(limit)+" 的整数")
	}
	return n, nil
}

// aspirantView is one aspirant with the dossier of the gates.
type aspirantView struct {
	store.Dossier
	Revealed   bool // IDNumber and Phone hold the full numbers
	CanReveal  bool
	RoundKinds []conditionOption // the rounds the viewer may send this aspirant to alone
	Print      bool
	Today      civil.Date
	Catalogue  vetting.Catalogue
	// Votes: its votes and ranks in the two recommendations (两推), for
	// those who read the third gate (ShowVotes).
	Votes     []aspirantVotes
	ShowVotes bool
}

func (v aspirantView) Title() string {
	if v.Print {
		return v.Name + " 候选人资格审查表"
	}
	return v.Name + " 参选人"
}

func (s *Server) aspirantView(ctx context.Context, db *store.Scoped, id int64) (aspirantView, error) {
	a, err := db.Aspirant(ctx, id)
	if err != nil {
		return aspirantView{}, err
	}
	ds, err := db.Dossiers(ctx, []store.AspirantRow{a})
	if err != nil {
		return aspirantView{}, err
	}
	v := aspirantView{Dossier: ds[0], CanReveal: db.Can(account.RevealPersonal), Today: s.st.Today(),
		Catalogue: vetting.DefaultCatalogue()}
	if db.Can(account.ManageReview) {
		v.RoundKinds = roundKinds(a.Status)
	}
	if v.ShowVotes = db.Can(account.ViewSlate); v.ShowVotes {
		if v.Votes, err = aspirantRecommendations(ctx, db, a); err != nil {
			return aspirantView{}, err
		}
	}
	return v, nil
}

// aspirantOfPath is the view of the aspirant whose id is in the path.
func (s *Server) aspirantOfPath(r *http.Request, db *store.Scoped) (aspirantView, error) {
	id, err := pathID(r, "没有找到该参选人")
	if err != nil {
		return aspirantView{}, err
	}
	return s.aspirantView(r.Context(), db, id)
}

func (s *Server) aspirantPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.aspirantOfPath(r, db)
	if err != nil {
		return err
	}
	s.render(w, r, "aspirant", http.StatusOK, v)
	return nil
}

// aspirantPrintPage is the 候选人资格审查表 of one aspirant, numbers masked.
func (s *Server) aspirantPrintPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.aspirantOfPath(r, db)
	if err != nil {
		return err
	}
	v.Print = true
	s.render(w, r, "aspirant_print", http.StatusOK, v)
	return nil
}

// reveal reads the full numbers of an aspirant in scope, an audited act.
func (s *Server) reveal(ctx context.Context, db *store.Scoped, id int64, why string) (idNumber, phone string, err error) {
	err = db.Write(ctx, func(tx *store.Tx) error {
		idNumber, phone, err = tx.RevealAspirant(ctx, id, why)
		return err
	})
	return idNumber, phone, err
}

// revealAspirant answers the full ID and phone numbers, an audited act: on
// the API as they are (a body is ignored); on the pages in the aspirant's
// page, or with the form's print=1 in the review form.
func (s *Server) revealAspirant(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该参选人")
	if err != nil {
		return err
	}
	ctx := r.Context()
	if isAPI(r) {
		idNumber, phone, err := s.reveal(ctx, db, id, "通过接口查看完整证件号码")
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]string{"id_number": idNumber, "phone": phone})
		return nil
	}
	v, err := s.aspirantView(ctx, db, id)
	if err != nil {
		return err
	}
	v.Print = r.PostFormValue("print") == "1"
	name, why := "aspirant", "查看完整证件号码"
	if v.Print {
		name, why = "aspirant_print", "打印资格审查表(完整证件号码)"
	}
	if v.IDNumber, v.Phone, err = s.reveal(ctx, db, v.ID, why); err != nil {
		return err
	}
	v.Revealed = true
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

func (s *Server) apiAspirant(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.aspirantOfPath(r, db)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"aspirant": toAspirantJSON(v.AspirantRow), "dossier": toDossierJSON(v.Dossier)})
	return nil
}
