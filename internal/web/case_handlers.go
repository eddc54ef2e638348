package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Discipline cases: the discipline commission and the police handle them
// (ManageCases); the office, leaders and the party committee see their
// outcomes only (ViewCaseOutcomes), as the store returns them.

const casesPageSize = 50

// casesView is the case list with the form that opens a case.
type casesView struct {
	Items       []store.CaseRow
	Statuses    []vetting.CaseStatus
	Sources     []vetting.CaseSource
	Communities unitChoice
	Asked       string // the community as typed for a new case
	Problem     string // what is wrong with it, if anything
	Status      string
	Pager       pager
	// The new-case form: the community chosen lists its aspirants, and tips
	// for those who triage them.
	New       vetting.Case
	Aspirants []store.AspirantRow
	Tips      []store.TipRow
	CanTips   bool
	Full      bool // the viewer handles cases; otherwise the page is the table of outcomes
}

func (v casesView) Title() string {
	if !v.Full {
		return "案件处理结果"
	}
	return "换届纪律案件"
}

func (s *Server) casesView(ctx context.Context, db *store.Scoped, q url.Values) (casesView, error) {
	v := casesView{Statuses: vetting.CaseStatuses, Sources: vetting.CaseSources, Status: q.Get("status"),
		CanTips: db.Can(account.TriageTips), Full: db.Can(account.ManageCases)}
	if !v.Full {
		v.Status = "" // the stages are the investigation's
	}
	if v.Status != "" && !vetting.CaseStatus(v.Status).Valid() {
		return v, errs.OnField("status", "未知的案件状态")
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	items, total, err := db.Cases(ctx, store.CaseFilter{Status: vetting.CaseStatus(v.Status),
		OrgCode: q.Get("community"), Limit: casesPageSize, Offset: (page - 1) * casesPageSize})
	if err != nil {
		return v, err
	}
	v.Items = items
	v.Pager = newPager(page, total, casesPageSize).Of(url.Values{"status": {v.Status}, "community": {q.Get("community")}}, "件")
	if !v.Full {
		return v, nil
	}
	if v.Communities, err = unitChoiceOf(ctx, db, org.Community); err != nil {
		return v, err
	}
	tipID, _ := strconv.ParseInt(q.Get("tip"), 10, 64)
	v.New = vetting.Case{Source: vetting.CaseSource(q.Get("source")), TipID: tipID}
	v.Asked = q.Get("community")
	if v.New.OrgCode, v.Problem, err = filterUnit(ctx, db, org.Community, v.Asked); err != nil || v.Problem != "" {
		v.New.OrgCode = "" // no form for a community not found
		return v, err
	}
	return v, s.fillCaseForm(ctx, db, &v)
}

// fillCaseForm lists the aspirants and open tips of the community chosen on the form.
func (s *Server) fillCaseForm(ctx context.Context, db *store.Scoped, v *casesView) error {
	if v.New.OrgCode == "" {
		return nil
	}
	var err error
	if v.Aspirants, err = db.Aspirants(ctx, store.AspirantFilter{OrgCode: v.New.OrgCode}); err != nil {
		return err
	}
	if v.CanTips {
		v.Tips, _, err = db.Tips(ctx, store.TipFilter{OrgCode: v.New.OrgCode, Limit: 200})
	}
	return err
}

func (s *Server) casesPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.casesView(r.Context(), db, r.URL.Query())
	if err != nil {
		return err
	}
	s.render(w, r, "cases", http.StatusOK, v)
	return nil
}

// splitParties reads names separated by new lines, commas or 、.
func splitParties(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == '\uff0c' || r == '\u3001' || r == ';' || r == '\uff1b'
	})
}

// caseInput is a new case: the API's JSON, or the page's form, where the
// parties are one text and the aspirants checked boxes.
type caseInput struct {
	Community   string             `json:"community"`
	Source      vetting.CaseSource `json:"source"`
	TipID       int64              `json:"tip_id"`
	Summary     string             `json:"summary"`
	Parties     []string           `json:"parties"`
	AspirantIDs []int64            `json:"aspirant_ids"`
}

func (in *caseInput) readForm(v url.Values) error {
	in.Parties = splitParties(v.Get("parties"))
	return nil
}

func (s *Server) addCase() handlerFunc {
	return act(s, action[caseInput]{
		run: func(ctx context.Context, db *store.Scoped, in caseInput) (any, error) {
			row, err := writeOne(ctx, db, func(tx *store.Tx) (store.CaseRow, error) {
				return tx.AddCase(ctx, vetting.Case{OrgCode: in.Community, Source: in.Source, TipID: in.TipID,
					Summary: in.Summary, Parties: in.Parties, AspirantIDs: in.AspirantIDs})
			})
			return toCaseJSON(row), err
		},
		created: true,
		next:    func(_ caseInput, out any) string { return caseURL(out.(caseJSON).ID) },
		notice:  "已立案。",
		page: func(ctx context.Context, db *store.Scoped, in caseInput) (string, any, error) {
			v, err := s.casesView(ctx, db, url.Values{"community": {in.Community}})
			return "cases", v, err
		},
	})
}

type caseJSON struct {
	ID           int64                `json:"id"`
	Community    string               `json:"community"`
	CommunityNm  string               `json:"community_name"`
	Source       vetting.CaseSource   `json:"source"`
	SourceLabel  string               `json:"source_label"`
	TipID        int64                `json:"tip_id,omitempty"`
	Summary      string               `json:"summary"`
	Parties      []string             `json:"parties"`
	Aspirants    []store.CaseAspirant `json:"aspirants"`
	Status       vetting.CaseStatus   `json:"status"`
	StatusLabel  string               `json:"status_label"`
	Outcome      vetting.Outcome      `json:"outcome"`
	OutcomeLabel string               `json:"outcome_label"`
	OutcomeNote  string               `json:"outcome_note"`
	DecidedOn    civil.Date           `json:"decided_on"`
	Next         []vetting.CaseStatus `json:"next"`
}

func toCaseJSON(c store.CaseRow) caseJSON {
	return caseJSON{c.ID, c.OrgCode, c.OrgName, c.Source, c.SourceLabel, c.TipID, c.Summary, append([]string{}, c.Parties...),
		append([]store.CaseAspirant{}, c.Aspirants...), c.Status, c.StatusLabel, c.Outcome, c.OutcomeLabel, c.OutcomeNote,
		c.DecidedOn, append([]vetting.CaseStatus{}, c.Next...)}
}

// caseOutcomeJSON is a case as those who do not handle cases see it: its
// outcome, not its investigation.
type caseOutcomeJSON struct {
	ID           int64                `json:"id"`
	Community    string               `json:"community"`
	CommunityNm  string               `json:"community_name"`
	Aspirants    []store.CaseAspirant `json:"aspirants"`
	Outcome      vetting.Outcome      `json:"outcome"`
	OutcomeLabel string               `json:"outcome_label"`
	OutcomeNote  string               `json:"outcome_note"`
	DecidedOn    civil.Date           `json:"decided_on"`
}

// caseAsJSON is c as the API shows it to its viewer: whole to those who
// handle cases, the outcome alone to the others.
func caseAsJSON(c store.CaseRow) any {
	if c.OutcomeOnly {
		return caseOutcomeJSON{c.ID, c.OrgCode, c.OrgName, append([]store.CaseAspirant{}, c.Aspirants...), c.Outcome,
			c.OutcomeLabel, c.OutcomeNote, c.DecidedOn}
	}
	return toCaseJSON(c)
}

func (s *Server) apiCases(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.casesView(r.Context(), db, r.URL.Query())
	if err != nil {
		return err
	}
	items := make([]any, len(v.Items))
	for i, c := range v.Items {
		items[i] = caseAsJSON(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": v.Pager.Total, "page": v.Pager.Page, "pages": v.Pager.Pages})
	return nil
}

// caseView is one case's page.
type caseView struct {
	Case     store.CaseRow
	Outcomes []vetting.Outcome
	TipSeen  bool // the viewer may open the case's tip
}

func (v caseView) Title() string {
	if v.Case.OutcomeOnly {
		return "案件 #" + strconv.FormatInt(v.Case.ID, 10) + " 处理结果"
	}
	return "案件 #" + strconv.FormatInt(v.Case.ID, 10)
}

func (s *Server) caseView(ctx context.Context, db *store.Scoped, id int64) (caseView, error) {
	c, err := db.Case(ctx, id)
	if err != nil {
		return caseView{}, err
	}
	v := caseView{Case: c, Outcomes: vetting.Outcomes}
	if c.TipID != 0 && db.Can(account.TriageTips) {
		if _, err := db.Tip(ctx, c.TipID); err == nil {
			v.TipSeen = true
		} else if !errs.Is(err, errs.NotFound) {
			return v, err
		}
	}
	return v, nil
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该案件")
	if err != nil {
		return err
	}
	v, err := s.caseView(r.Context(), db, id)
	if err != nil {
		return err
	}
	s.render(w, r, "case", http.StatusOK, v)
	return nil
}

func (s *Server) apiCase(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该案件")
	if err != nil {
		return err
	}
	c, err := db.Case(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, caseAsJSON(c))
	return nil
}

func caseURL(id int64) string { return "/cases/" + strconv.FormatInt(id, 10) }

// caseAgain is the case's page that a refused case form comes back to.
func (s *Server) caseAgain(ctx context.Context, db *store.Scoped, id int64) (string, any, error) {
	v, err := s.caseView(ctx, db, id)
	return "case", v, err
}

// caseStepInput moves a case one step on.
type caseStepInput struct {
	Case   int64              `json:"-" path:"id"`
	Status vetting.CaseStatus `json:"status"`
}

func (s *Server) moveCase() handlerFunc {
	return act(s, action[caseStepInput]{
		run: func(ctx context.Context, db *store.Scoped, in caseStepInput) (any, error) {
			c, err := writeOne(ctx, db, func(tx *store.Tx) (store.CaseRow, error) { return tx.MoveCase(ctx, in.Case, in.Status) })
			return toCaseJSON(c), err
		},
		next:   func(in caseStepInput, _ any) string { return caseURL(in.Case) },
		notice: "案件已进入下一阶段。",
		page: func(ctx context.Context, db *store.Scoped, in caseStepInput) (string, any, error) {
			return s.caseAgain(ctx, db, in.Case)
		},
	})
}

// caseOutcomeInput is the outcome of a case being handled.
type caseOutcomeInput struct {
	Case    int64           `json:"-" path:"id"`
	Outcome vetting.Outcome `json:"outcome"`
	Note    string          `json:"note"`
}

func (s *Server) decideCase() handlerFunc {
	return act(s, action[caseOutcomeInput]{
		run: func(ctx context.Context, db *store.Scoped, in caseOutcomeInput) (any, error) {
			c, err := writeOne(ctx, db, func(tx *store.Tx) (store.CaseRow, error) {
				return tx.DecideCase(ctx, in.Case, in.Outcome, in.Note)
			})
			return toCaseJSON(c), err
		},
		next:   func(in caseOutcomeInput, _ any) string { return caseURL(in.Case) },
		notice: "处理结果已保存。",
		page: func(ctx context.Context, db *store.Scoped, in caseOutcomeInput) (string, any, error) {
			return s.caseAgain(ctx, db, in.Case)
		},
	})
}
