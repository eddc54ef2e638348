package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/visit"
	"github.com/huanjie/huanjie/internal/visitxls"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// The three rounds of visits (issue 16, points 1–4 and 7): the rounds'
// page (dates, targets, research activities and their findings), the
// coverage page, a community's visits page (its registers, the households
// not reached and the talks owed, its visits and the form to record one),
// a visit's page; their JSON twins, the registers' Excel, and
// POST /api/v1/visits, idempotent by the client's id, for the phones.

const visitPageSize = 50

// newClientID is a random UUID (version 4) for a visit form: the form
// posted twice (a double tap, a reload) stores one visit.
func newClientID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// roundParam reads ?round=, the round before the election by default; an
// unknown round is refused on its field.
func roundParam(q url.Values) (visit.Round, error) {
	r := visit.Round(q.Get("round"))
	if r == "" {
		return visit.Before, nil
	}
	if !r.Valid() {
		return r, errs.OnField("round", "走访轮次只能是选举前、选举中或选举后")
	}
	return r, nil
}

// The rounds' page.

type visitsView struct {
	Campaigns  []visit.Campaign
	Activities []visit.Activity
	Names      map[string]string // community code → name
	Today      civil.Date        // a finding's form offers the activity's FindingDay
	CanSet     bool              // the rounds' dates and targets: zone-wide
	CanManage  bool
}

func (visitsView) Title() string { return "三轮走访" }

func (s *Server) visitsView(ctx context.Context, db *store.Scoped) (visitsView, error) {
	v := visitsView{CanSet: db.ZoneWide() && db.Can(account.ManageVisits), CanManage: db.Can(account.ManageVisits), Names: map[string]string{},
		Today: s.st.Today()}
	var err error
	if v.Campaigns, err = db.Campaigns(ctx); err != nil {
		return v, err
	}
	if v.Activities, err = db.ResearchActivities(ctx); err != nil {
		return v, err
	}
	// The names of the activities' communities only (500 an activity at
	// most), not of a province's every community.
	var codes []string
	for _, a := range v.Activities {
		codes = append(codes, a.Communities...)
	}
	slices.Sort(codes)
	for chunk := range slices.Chunk(slices.Compact(codes), 500) {
		units, err := db.ListOrgs(ctx, store.OrgFilter{Kind: org.Community, Codes: chunk})
		if err != nil {
			return v, err
		}
		for _, u := range units {
			v.Names[u.Code] = u.Name
		}
	}
	return v, nil
}

// Name is a community's name by its code.
func (v visitsView) Name(code string) string {
	if n, ok := v.Names[code]; ok {
		return n
	}
	return code
}

func (s *Server) visitsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.visitsView(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, "visits", http.StatusOK, v)
	return nil
}

func (s *Server) visitsAgain(ctx context.Context, db *store.Scoped) (string, any, error) {
	v, err := s.visitsView(ctx, db)
	return "visits", v, err
}

func (s *Server) apiCampaigns(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.visitsView(r.Context(), db)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"campaigns": v.Campaigns, "activities": v.Activities})
	return nil
}

type campaignInput struct {
	Round            visit.Round `json:"-" path:"round"`
	StartsOn         civil.Date  `json:"starts_on"`
	EndsOn           civil.Date  `json:"ends_on"`
	HouseholdPercent int         `json:"household_percent"`
	TalkAll          bool        `json:"talk_all"`
}

func (s *Server) setCampaign() handlerFunc {
	return act(s, action[campaignInput]{
		run: func(ctx context.Context, db *store.Scoped, in campaignInput) (any, error) {
			if !in.Round.Valid() {
				return nil, errs.New(errs.NotFound, "没有这个走访轮次")
			}
			return writeOne(ctx, db, func(tx *store.Tx) (visit.Campaign, error) {
				return tx.SetCampaign(ctx, visit.Campaign{Round: in.Round, StartsOn: in.StartsOn, EndsOn: in.EndsOn,
					HouseholdPercent: in.HouseholdPercent, TalkAll: in.TalkAll})
			})
		},
		next:   func(campaignInput, any) string { return "/visits" },
		notice: "走访轮次已保存。",
		page: func(ctx context.Context, db *store.Scoped, _ campaignInput) (string, any, error) {
			return s.visitsAgain(ctx, db)
		},
	})
}

// splitNames splits what a person typed into a list: names separated by
// 、,,; or spaces.
func splitNames(list []string) []string {
	var out []string
	for _, s := range list {
		out = append(out, strings.FieldsFunc(s, func(r rune) bool {
			return r == '、' || r == ',' || r == '\uff0c' || r == ';' || r == '\uff1b' || r == ' ' || r == '\n' || r == '\t'
		})...)
	}
	return out
}

type researchInput struct {
	Name        string     `json:"name"`
	StartsOn    civil.Date `json:"starts_on"`
	EndsOn      civil.Date `json:"ends_on"`
	Team        []string   `json:"team"`
	Communities []string   `json:"communities"` // codes, or names on the form
}

func (in *researchInput) readForm(url.Values) error {
	in.Team, in.Communities = splitNames(in.Team), splitNames(in.Communities)
	return nil
}

func (s *Server) addResearch() handlerFunc {
	return act(s, action[researchInput]{
		run: func(ctx context.Context, db *store.Scoped, in researchInput) (any, error) {
			codes, err := communityCodes(ctx, db, in.Communities)
			if err != nil {
				return nil, err
			}
			return writeOne(ctx, db, func(tx *store.Tx) (visit.Activity, error) {
				return tx.AddResearchActivity(ctx, visit.Activity{Name: in.Name, StartsOn: in.StartsOn, EndsOn: in.EndsOn,
					Team: in.Team, Communities: codes})
			})
		},
		created: true,
		next:    func(researchInput, any) string { return "/visits" },
		notice:  "调研活动已保存。",
		page: func(ctx context.Context, db *store.Scoped, _ researchInput) (string, any, error) {
			return s.visitsAgain(ctx, db)
		},
	})
}

// communityCodes reads communities named by code or by name (the form's
// words) into codes: a name two communities of the scope share is refused.
func communityCodes(ctx context.Context, db *store.Scoped, list []string) ([]string, error) {
	if len(list) > visit.MaxCommunities {
		return nil, errs.OnField("communities", "请选择调研的社区(1到500个)")
	}
	// The codes among the words in one read; each other word by name.
	units, err := db.ListOrgs(ctx, store.OrgFilter{Kind: org.Community, Codes: list})
	if err != nil {
		return nil, err
	}
	byCode := map[string]bool{}
	for _, u := range units {
		byCode[u.Code] = true
	}
	out := make([]string, 0, len(list))
	for _, x := range list {
		if byCode[x] {
			out = append(out, x)
			continue
		}
		named, err := db.UnitsNamed(ctx, org.Community, x, 2)
		switch {
		case err != nil:
			return nil, err
		case len(named) == 1:
			out = append(out, named[0].Code)
		case len(named) > 1:
			return nil, errs.OnField("communities", "有多个社区名为“"+x+"”,请填写社区编号")
		default:
			return nil, errs.OnField("communities", "没有找到社区“"+x+"”")
		}
	}
	return out, nil
}

// findingInput is a finding of a research activity; Day is the day it was
// made (the activity's FindingDay when not given).
type findingInput struct {
	Activity     int64      `json:"-" path:"id"`
	Community    string     `json:"community"`
	Text         string     `json:"text"`
	Day          civil.Date `json:"day"`
	AssessmentID int64      `json:"assessment_id"`
	PlanID       int64      `json:"plan_id"`
}

func (s *Server) addFinding() handlerFunc {
	return act(s, action[findingInput]{
		run: func(ctx context.Context, db *store.Scoped, in findingInput) (any, error) {
			return writeOne(ctx, db, func(tx *store.Tx) (visit.Finding, error) {
				return tx.AddFinding(ctx, in.Activity, visit.Finding{Community: in.Community, Text: in.Text, Day: in.Day,
					AssessmentID: in.AssessmentID, PlanID: in.PlanID})
			})
		},
		created: true,
		next:    func(findingInput, any) string { return "/visits" },
		notice:  "调研发现已记录。",
		page: func(ctx context.Context, db *store.Scoped, _ findingInput) (string, any, error) {
			return s.visitsAgain(ctx, db)
		},
	})
}

// The coverage page.

type coverageView struct {
	store.Coverage
	Round  visit.Round
	Rounds []visit.Round
	Below  bool
	Pager  pager
}

func (v coverageView) Title() string { return "走访覆盖 · " + v.Round.Short() }

func (s *Server) coveragePage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	q := r.URL.Query()
	round, err := roundParam(q)
	if err != nil {
		return err
	}
	below := q.Get("below") == "1"
	page := pageParam(r)
	c, err := db.Coverage(r.Context(), round, below, visitPageSize, (page-1)*visitPageSize)
	if err != nil {
		return err
	}
	v := coverageView{Coverage: c, Round: round, Rounds: visit.Rounds, Below: below}
	v.Pager = newPager(page, c.Count, visitPageSize).Of(url.Values{"round": {string(round)}, "below": {q.Get("below")}}, "个社区")
	s.render(w, r, "coverage", http.StatusOK, v)
	return nil
}

// apiCoverage answers GET /api/v1/coverage?round=&below=1&limit=&offset=:
// per community households, reached, percent, target and talks owed, with
// the totals by district and for the scope.
func (s *Server) apiCoverage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	q := r.URL.Query()
	round, err := roundParam(q)
	if err != nil {
		return err
	}
	limit, offset, err := apiPage(q)
	if err != nil {
		return err
	}
	c, err := db.Coverage(r.Context(), round, q.Get("below") == "1", limit, offset)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// A community's visits page.

type talkChoice struct {
	Value, Label string
}

type communityVisitsView struct {
	Code, Name  string
	Round       visit.Round
	Rounds      []visit.Round
	Campaign    visit.Campaign
	Today       civil.Date
	Households  int
	Reached     int
	Needed      int
	Percent     int
	Visits      store.VisitPage
	Unreached   store.HouseholdPage
	Owed        store.OwedPage
	Register    store.HouseholdPage
	Editing     visit.Household // the household whose correction form is open (?household=), ID 0 for none
	People      store.PersonPage
	Activities  []visit.Activity
	Targets     []talkChoice
	ClientID    string
	CanRecord   bool
	CanRegister bool
	VisitPager  pager
	UPager      pager
	HPager      pager
	importOutcome
	ImportOf  string
	RowErrors []xlsx.RowError
	Rest      string
}

func (v communityVisitsView) Title() string { return v.Name + " · 走访" }

// Methods, Intentions, Categories, Urgencies, PersonKinds: the form's choices.
func (communityVisitsView) Methods() []visit.Method         { return visit.Methods }
func (communityVisitsView) Intentions() []visit.Intention   { return visit.Intentions }
func (communityVisitsView) Categories() []visit.Category    { return visit.Categories }
func (communityVisitsView) Urgencies() []visit.Urgency      { return visit.Urgencies }
func (communityVisitsView) PersonKinds() []visit.PersonKind { return visit.PersonKinds }

// StatusLabel names a ledger status code.
func (communityVisitsView) StatusLabel(code string) string { return ledger.Status(code).Label() }

func communityVisitsURL(code string, r visit.Round) string {
	return "/communities/" + url.PathEscape(code) + "/visits?round=" + string(r)
}

func intParam(q url.Values, name string) int {
	n, err := strconv.Atoi(q.Get(name))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

func (s *Server) communityVisitsView(ctx context.Context, db *store.Scoped, code string, round visit.Round, q url.Values) (communityVisitsView, error) {
	v := communityVisitsView{Code: code, Round: round, Rounds: visit.Rounds, Today: s.st.Today(), ClientID: newClientID(),
		CanRecord: db.Can(account.RecordVisits), CanRegister: db.Can(account.EditRegisters)}
	cd, err := db.CommunityDays(ctx, code)
	if err != nil {
		return v, err
	}
	v.Name = cd.Name
	if v.Campaign, err = db.Campaign(ctx, round); err != nil {
		return v, err
	}
	vp, up, hp := intParam(q, "page"), intParam(q, "upage"), intParam(q, "hpage")
	if v.Visits, err = db.Visits(ctx, code, round, visitPageSize, (vp-1)*visitPageSize); err != nil {
		return v, err
	}
	if v.Unreached, err = db.Unreached(ctx, code, round, visitPageSize, (up-1)*visitPageSize); err != nil {
		return v, err
	}
	if v.Owed, err = db.TalksOwed(ctx, code, round, 200, 0); err != nil {
		return v, err
	}
	if v.Register, err = db.Households(ctx, code, visitPageSize, (hp-1)*visitPageSize); err != nil {
		return v, err
	}
	if v.People, err = db.VisitPeople(ctx, code, 200, 0); err != nil {
		return v, err
	}
	if id, _ := strconv.ParseInt(q.Get("household"), 10, 64); id > 0 && v.CanRegister {
		if v.Editing, err = db.Household(ctx, code, id); err != nil {
			return v, err
		}
	}
	v.Households, v.Reached = v.Register.Total, v.Register.Total-v.Unreached.Total
	row := visit.CoverageRow{Households: v.Households, Reached: v.Reached}
	row.Fill(v.Campaign)
	v.Needed, v.Percent = row.Needed, row.Percent
	keep := url.Values{"round": {string(round)}}
	v.VisitPager = newPager(vp, v.Visits.Total, visitPageSize).Of(keep, "次走访")
	v.UPager = newPager(up, v.Unreached.Total, visitPageSize).Of(url.Values{"round": {string(round)}}, "户")
	v.HPager = newPager(hp, v.Register.Total, visitPageSize).Of(url.Values{"round": {string(round)}}, "户")
	if round == visit.Before {
		all, err := db.ResearchActivities(ctx)
		if err != nil {
			return v, err
		}
		for _, a := range all {
			for _, c := range a.Communities {
				if c == code {
					v.Activities = append(v.Activities, a)
				}
			}
		}
	}
	for _, h := range v.Unreached.Households {
		v.Targets = append(v.Targets, talkChoice{"h:" + strconv.FormatInt(h.ID, 10), "未走访户:" + h.Address + "(" + h.Head + ")"})
	}
	members, err := db.VisitMembers(ctx, code)
	if err != nil {
		return v, err
	}
	for _, m := range members {
		v.Targets = append(v.Targets, talkChoice{"m:" + strconv.FormatInt(m.ID, 10), "现任两委成员:" + m.Name})
	}
	for _, p := range v.People.People {
		v.Targets = append(v.Targets, talkChoice{"p:" + strconv.FormatInt(p.ID, 10), p.Kind.Label() + ":" + p.Name})
	}
	return v, nil
}

func (s *Server) communityVisitsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	q := r.URL.Query()
	round, err := roundParam(q)
	if err != nil {
		return err
	}
	v, err := s.communityVisitsView(r.Context(), db, r.PathValue("code"), round, q)
	if err != nil {
		return err
	}
	s.render(w, r, "community_visits", http.StatusOK, v)
	return nil
}

func (s *Server) communityVisitsAgain(ctx context.Context, db *store.Scoped, code string, round visit.Round) (string, any, error) {
	if !round.Valid() {
		round = visit.Before
	}
	v, err := s.communityVisitsView(ctx, db, code, round, url.Values{})
	return "community_visits", v, err
}

// apiCommunityVisits answers GET /api/v1/communities/{code}/visits?round=&limit=&offset=
// (every round without round).
func (s *Server) apiCommunityVisits(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	q := r.URL.Query()
	var round visit.Round
	if q.Get("round") != "" {
		var err error
		if round, err = roundParam(q); err != nil {
			return err
		}
	}
	limit, offset, err := apiPage(q)
	if err != nil {
		return err
	}
	p, err := db.Visits(r.Context(), r.PathValue("code"), round, limit, offset)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// communityList answers a paged list of a community in scope: GET
// …/communities/{code}/…?limit=&offset= (and round=, when the list is a
// round's: roundOf is then roundParam).
func communityList[T any](roundOf func(url.Values) (visit.Round, error),
	read func(db *store.Scoped, ctx context.Context, code string, round visit.Round, limit, offset int) (T, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
		q := r.URL.Query()
		var round visit.Round
		if roundOf != nil {
			var err error
			if round, err = roundOf(q); err != nil {
				return err
			}
		}
		limit, offset, err := apiPage(q)
		if err != nil {
			return err
		}
		p, err := read(db, r.Context(), r.PathValue("code"), round, limit, offset)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, p)
		return nil
	}
}

type householdInput struct {
	Community string `json:"-" path:"code"`
	Address   string `json:"address"`
	Head      string `json:"head"`
	Size      int    `json:"size"`
	Phone     string `json:"phone"`
	Group     string `json:"group"`
}

func (s *Server) addHousehold() handlerFunc {
	return act(s, action[householdInput]{
		run: func(ctx context.Context, db *store.Scoped, in householdInput) (any, error) {
			h, err := writeOne(ctx, db, func(tx *store.Tx) (visit.Household, error) {
				return tx.AddHousehold(ctx, in.Community, visit.Household{Address: in.Address, Head: in.Head, Size: in.Size,
					Phone: in.Phone, Group: in.Group})
			})
			return h, err
		},
		created: true,
		next: func(in householdInput, _ any) string {
			return communityVisitsURL(in.Community, visit.Before) + "#register"
		},
		notice: "走访户已登记。",
		page: func(ctx context.Context, db *store.Scoped, in householdInput) (string, any, error) {
			return s.communityVisitsAgain(ctx, db, in.Community, visit.Before)
		},
	})
}

// householdEditInput is a correction of household ID: a phone typed
// replaces the one on file, none keeps it, ClearPhone removes it.
type householdEditInput struct {
	Community  string `json:"-" path:"code"`
	ID         int64  `json:"-" path:"id"`
	Address    string `json:"address"`
	Head       string `json:"head"`
	Size       int    `json:"size"`
	Phone      string `json:"phone"`
	Group      string `json:"group"`
	ClearPhone bool   `json:"clear_phone"`
}

// householdRef names a household of the path.
type householdRef struct {
	Community string `json:"-" path:"code"`
	ID        int64  `json:"-" path:"id"`
}

// householdAgain is the community's visits page with the correction form
// of household id open: where its refused correction or removal comes back.
func (s *Server) householdAgain(ctx context.Context, db *store.Scoped, code string, id int64) (string, any, error) {
	v, err := s.communityVisitsView(ctx, db, code, visit.Before, url.Values{"household": {strconv.FormatInt(id, 10)}})
	return "community_visits", v, err
}

func (s *Server) editHousehold() handlerFunc {
	return act(s, action[householdEditInput]{
		run: func(ctx context.Context, db *store.Scoped, in householdEditInput) (any, error) {
			return writeOne(ctx, db, func(tx *store.Tx) (visit.Household, error) {
				return tx.EditHousehold(ctx, in.Community, in.ID, visit.Household{Address: in.Address, Head: in.Head, Size: in.Size,
					Phone: in.Phone, Group: in.Group}, in.ClearPhone)
			})
		},
		next: func(in householdEditInput, _ any) string {
			return communityVisitsURL(in.Community, visit.Before) + "#register"
		},
		notice: "走访户已修改。",
		page: func(ctx context.Context, db *store.Scoped, in householdEditInput) (string, any, error) {
			return s.householdAgain(ctx, db, in.Community, in.ID)
		},
	})
}

func (s *Server) removeHousehold() handlerFunc {
	return act(s, action[householdRef]{
		run: func(ctx context.Context, db *store.Scoped, in householdRef) (any, error) {
			err := db.Write(ctx, func(tx *store.Tx) error { return tx.RemoveHousehold(ctx, in.Community, in.ID) })
			return map[string]int64{"removed": in.ID}, err
		},
		next: func(in householdRef, _ any) string {
			return communityVisitsURL(in.Community, visit.Before) + "#register"
		},
		notice: "走访户已删除。",
		page: func(ctx context.Context, db *store.Scoped, in householdRef) (string, any, error) {
			return s.householdAgain(ctx, db, in.Community, in.ID)
		},
	})
}

type personInput struct {
	Community string           `json:"-" path:"code"`
	Kind      visit.PersonKind `json:"kind"`
	Name      string           `json:"name"`
	Group     string           `json:"group"`
	Phone     string           `json:"phone"`
}

func (s *Server) addVisitPerson() handlerFunc {
	return act(s, action[personInput]{
		run: func(ctx context.Context, db *store.Scoped, in personInput) (any, error) {
			p, err := writeOne(ctx, db, func(tx *store.Tx) (visit.Person, error) {
				return tx.AddVisitPerson(ctx, in.Community, visit.Person{Kind: in.Kind, Name: in.Name, Group: in.Group, Phone: in.Phone})
			})
			return p, err
		},
		created: true,
		next:    func(in personInput, _ any) string { return communityVisitsURL(in.Community, visit.Before) + "#people" },
		notice:  "谈话对象已登记。",
		page: func(ctx context.Context, db *store.Scoped, in personInput) (string, any, error) {
			return s.communityVisitsAgain(ctx, db, in.Community, visit.Before)
		},
	})
}

// visitInput is one visit as a phone or the page sends it. The API names
// the community in the body (POST /api/v1/visits); the page's form in its
// path, its target as one choice ("h:12", "m:3", "p:7") or an address, and
// one problem.
type visitInput struct {
	Community         string          `json:"community"`
	Path              string          `json:"-" path:"code"` // the page's form: the community of its path
	ClientID          string          `json:"client_id"`
	Round             visit.Round     `json:"round"`
	Household         int64           `json:"household_id"`
	Person            int64           `json:"person_id"`
	Member            int64           `json:"member_id"`
	Activity          int64           `json:"activity_id"`
	Visitors          []string        `json:"visitors"`
	Day               civil.Date      `json:"visited_on"`
	Method            visit.Method    `json:"method"`
	Missed            bool            `json:"missed"`
	CommitteeOpinions string          `json:"committee_opinions"`
	AspirantOpinions  string          `json:"aspirant_opinions"`
	Intention         visit.Intention `json:"intention"`
	Topics            string          `json:"topics"`
	Difficulties      string          `json:"difficulties"`
	Help              string          `json:"help"`
	Proposals         string          `json:"proposals"`
	Problems          []visit.Problem `json:"problems"`
	Address           string          `json:"address"` // a household of the register by its address, without an id
	target            string
}

func (in *visitInput) readForm(v url.Values) error {
	in.Visitors = splitNames(in.Visitors)
	in.target = v.Get("target")
	kind, id, _ := strings.Cut(in.target, ":")
	n, _ := strconv.ParseInt(id, 10, 64)
	switch kind {
	case "h":
		in.Household = n
	case "p":
		in.Person = n
	case "m":
		in.Member = n
	}
	if text := strings.TrimSpace(v.Get("problems[0].text")); text != "" {
		p := visit.Problem{Category: visit.Category(v.Get("problems[0].category")), Urgency: visit.Urgency(v.Get("problems[0].urgency")),
			Text: text, FollowUp: v.Get("problems[0].follow_up") != "", Owner: v.Get("problems[0].owner"),
			Due: civil.Date(strings.TrimSpace(v.Get("problems[0].due")))}
		in.Problems = []visit.Problem{p}
	}
	return nil
}

func (in visitInput) visit() visit.Visit {
	return visit.Visit{ClientID: in.ClientID, Community: in.Community, Round: in.Round, Household: in.Household, Person: in.Person,
		Member: in.Member, Activity: in.Activity, Visitors: in.Visitors, Day: in.Day, Method: in.Method, Missed: in.Missed,
		CommitteeOpinions: in.CommitteeOpinions, AspirantOpinions: in.AspirantOpinions, Intention: in.Intention, Topics: in.Topics,
		Difficulties: in.Difficulties, Help: in.Help, Proposals: in.Proposals, Problems: in.Problems}
}

// recordVisit serves the page's form and POST /api/v1/visits, which
// answers 201 with the visit as stored, the same body when the same
// client id comes again; a refusal names its field with a Chinese message.
func (s *Server) recordVisit() handlerFunc {
	return act(s, action[visitInput]{
		run: func(ctx context.Context, db *store.Scoped, in visitInput) (any, error) {
			if in.Path != "" {
				in.Community = in.Path
			}
			if strings.TrimSpace(in.Community) == "" {
				return nil, errs.OnField("community", "请选择社区")
			}
			if in.Address = strings.TrimSpace(in.Address); in.Address != "" && in.Household == 0 && in.Person == 0 && in.Member == 0 {
				id, err := db.HouseholdAt(ctx, in.Community, in.Address)
				if err != nil {
					return nil, err
				}
				in.Household = id
			}
			return db.RecordVisit(ctx, in.visit())
		},
		created: true,
		next: func(in visitInput, out any) string {
			if v, ok := out.(visit.Visit); ok {
				return "/visits/" + strconv.FormatInt(v.ID, 10)
			}
			return communityVisitsURL(in.Path, in.Round)
		},
		notice: "走访已记录。",
		page: func(ctx context.Context, db *store.Scoped, in visitInput) (string, any, error) {
			return s.communityVisitsAgain(ctx, db, in.Path, in.Round)
		},
	})
}

// visitsOutbox is the page of the visits waiting on this phone to be sent
// (issue 16, point 5): the list is the phone's own (IndexedDB), drawn by
// static/visits-offline.js; the server holds nothing of it, so the page has
// no JSON twin.
func (s *Server) visitsOutbox(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	s.render(w, r, "visits_outbox", http.StatusOK, nil)
	return nil
}

// A visit's page.

type visitView struct {
	visit.Visit
	Name string
}

func (v visitView) Title() string { return v.Name + " · 走访记录" }

// StatusLabel names a ledger status code.
func (visitView) StatusLabel(code string) string { return ledger.Status(code).Label() }

func (s *Server) visitView(ctx context.Context, db *store.Scoped, id int64) (string, any, error) {
	v, err := db.Visit(ctx, id)
	if err != nil {
		return "", nil, err
	}
	cd, err := db.CommunityDays(ctx, v.Community)
	return "visit", visitView{Visit: v, Name: cd.Name}, err
}

func (s *Server) apiVisit(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该走访记录")
	if err != nil {
		return err
	}
	v, err := db.Visit(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// The registers in Excel.

func visitKind(r *http.Request) visitxls.Kind {
	if strings.Contains(r.URL.Path, "/visit-people/") {
		return visitxls.People
	}
	return visitxls.Households
}

func visitWhat(k visitxls.Kind) string {
	if k == visitxls.People {
		return "谈话对象"
	}
	return "走访户"
}

func (s *Server) visitTemplate(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	cd, err := db.CommunityDays(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	k := visitKind(r)
	if err := s.auditExport(ctx, db, audit.ExportVisitTemplate, 0); err != nil {
		return err
	}
	return sendXLSX(w, cd.Name+visitWhat(k)+"名单模板.xlsx", func(out io.Writer) error { return visitxls.WriteTemplate(out, k, cd.Name) })
}

// importVisitRegister reads an uploaded register of the community in the
// path and, when every row is good, enters it all in one transaction; with
// any bad cell it enters nothing.
func (s *Server) importVisitRegister(r *http.Request, db *store.Scoped) (int, xlsx.Errors, []byte, error) {
	ctx := r.Context()
	none := xlsx.Errors{}
	code := r.PathValue("code")
	file, _, err := r.FormFile("file") // within the upload limit: checkInput (input.go)
	if err != nil {
		return 0, none, nil, errs.Wrap(err, errs.Unprocessable, "请选择 Excel 文件(.xlsx)")
	}
	defer file.Close()
	raw, err := io.ReadAll(file)
	if err != nil {
		return 0, none, nil, errs.Wrap(err, errs.Unprocessable, "文件读取失败")
	}
	if visitKind(r) == visitxls.People {
		on, err := db.PersonKeys(ctx, code)
		if err != nil {
			return 0, none, nil, err
		}
		list, rowErrs, err := visitxls.ReadPeople(bytes.NewReader(raw), on)
		if err != nil || rowErrs.Total > 0 {
			return 0, rowErrs, raw, err
		}
		if len(list) == 0 {
			return 0, none, nil, errs.New(errs.Unprocessable, "文件中没有填写任何谈话对象")
		}
		n, err := writeOne(ctx, db, func(tx *store.Tx) (int, error) { return tx.ImportVisitPeople(ctx, code, list) })
		return n, none, nil, err
	}
	on, err := db.HouseholdAddresses(ctx, code)
	if err != nil {
		return 0, none, nil, err
	}
	list, rowErrs, err := visitxls.ReadHouseholds(bytes.NewReader(raw), on)
	if err != nil || rowErrs.Total > 0 {
		return 0, rowErrs, raw, err
	}
	if len(list) == 0 {
		return 0, none, nil, errs.New(errs.Unprocessable, "文件中没有填写任何走访户")
	}
	n, err := writeOne(ctx, db, func(tx *store.Tx) (int, error) { return tx.ImportHouseholds(ctx, code, list) })
	return n, none, nil, err
}

func (s *Server) visitImportForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	k := visitKind(r)
	n, rowErrs, raw, err := s.importVisitRegister(r, db)
	o, st, err := s.outcome(r.Context(), db, n, err, rowErrs, visitWhat(k), func(w io.Writer) error { return visitxls.Annotate(w, k, raw, rowErrs) })
	if err != nil {
		return err
	}
	v, err := s.communityVisitsView(r.Context(), db, r.PathValue("code"), visit.Before, url.Values{})
	if err != nil {
		return err
	}
	v.importOutcome, v.RowErrors, v.Rest, v.ImportOf = o, rowErrs.List, rowErrs.Rest(), "households"
	if k == visitxls.People {
		v.ImportOf = "visit-people"
	}
	s.render(w, r, "community_visits", st, v)
	return nil
}

// householdsExport is the household register, phones masked. Audited.
func (s *Server) householdsExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	code := r.PathValue("code")
	cd, err := db.CommunityDays(ctx, code)
	if err != nil {
		return err
	}
	all, err := db.Households(ctx, code, 0, 0)
	if err != nil {
		return err
	}
	if err := s.auditExport(ctx, db, audit.ExportHouseholds, len(all.Households)); err != nil {
		return err
	}
	return sendXLSX(w, cd.Name+"走访户名单.xlsx", func(out io.Writer) error { return visitxls.WriteHouseholds(out, all.Households) })
}
