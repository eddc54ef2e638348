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
	Communities []store.PublicCommunity
	Status      string
	Pager       pager
	// The new-case form: the community chosen lists its aspirants, and tips
	// for those who triage them.
	New       vetting.Case
	Aspirants []store.AspirantRow
	Tips      []store.TipRow
	CanTips   bool
	Full      bool // the viewer handles cases; otherwise the page is the table of outcomes
	Error     string
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
	if v.Communities, err = s.communitiesInScope(ctx, db); err != nil {
		return v, err
	}
	tipID, _ := strconv.ParseInt(q.Get("tip"), 10, 64)
	v.New = vetting.Case{OrgCode: q.Get("community"), Source: vetting.CaseSource(q.Get("source")), TipID: tipID}
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

func (s *Server) addCase(ctx context.Context, db *store.Scoped, c vetting.Case) (store.CaseRow, error) {
	return s.changeCase(ctx, db, func(tx *store.Tx) (store.CaseRow, error) { return tx.AddCase(ctx, c) })
}

// splitParties reads names separated by new lines, commas or 、.
func splitParties(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == '\uff0c' || r == '\u3001' || r == ';' || r == '\uff1b'
	})
}

func (s *Server) addCaseForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	r.ParseForm()
	c := vetting.Case{OrgCode: r.PostFormValue("community"), Source: vetting.CaseSource(r.PostFormValue("source")),
		Summary: r.PostFormValue("summary"), Parties: splitParties(r.PostFormValue("parties"))}
	c.TipID, _ = strconv.ParseInt(r.PostFormValue("tip"), 10, 64)
	for _, a := range r.PostForm["aspirant"] {
		if id, err := strconv.ParseInt(a, 10, 64); err == nil {
			c.AspirantIDs = append(c.AspirantIDs, id)
		}
	}
	row, err := s.addCase(r.Context(), db, c)
	if err == nil {
		http.Redirect(w, r, "/cases/"+strconv.FormatInt(row.ID, 10), http.StatusSeeOther)
		return nil
	}
	if code := errs.CodeOf(err); code == errs.Internal || code == errs.NotFound {
		return err
	}
	v, verr := s.casesView(r.Context(), db, url.Values{"community": {c.OrgCode}})
	if verr != nil {
		return verr
	}
	v.New, v.Error = c, errs.MessageOf(err)
	s.render(w, r, "cases", status(errs.CodeOf(err)), v)
	return nil
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

func (s *Server) apiAddCase(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in struct {
		Community   string             `json:"community"`
		Source      vetting.CaseSource `json:"source"`
		TipID       int64              `json:"tip_id"`
		Summary     string             `json:"summary"`
		Parties     []string           `json:"parties"`
		AspirantIDs []int64            `json:"aspirant_ids"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	row, err := s.addCase(r.Context(), db, vetting.Case{OrgCode: in.Community, Source: in.Source, TipID: in.TipID,
		Summary: in.Summary, Parties: in.Parties, AspirantIDs: in.AspirantIDs})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toCaseJSON(row))
	return nil
}

// caseView is one case's page.
type caseView struct {
	Case     store.CaseRow
	Outcomes []vetting.Outcome
	TipSeen  bool // the viewer may open the case's tip
	Error    string
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

func (s *Server) changeCase(ctx context.Context, db *store.Scoped, fn func(tx *store.Tx) (store.CaseRow, error)) (store.CaseRow, error) {
	return writeOne(ctx, db, func(tx *store.Tx) (store.CaseRow, error) { return fn(tx) })
}

func (s *Server) moveCase(ctx context.Context, db *store.Scoped, id int64, to vetting.CaseStatus) (store.CaseRow, error) {
	return s.changeCase(ctx, db, func(tx *store.Tx) (store.CaseRow, error) { return tx.MoveCase(ctx, id, to) })
}

func (s *Server) decideCase(ctx context.Context, db *store.Scoped, id int64, o vetting.Outcome, note string) (store.CaseRow, error) {
	return s.changeCase(ctx, db, func(tx *store.Tx) (store.CaseRow, error) { return tx.DecideCase(ctx, id, o, note) })
}

// renderCase answers a case form: back to the case, or the case with the message.
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, db *store.Scoped, id int64, outcome error) error {
	if outcome == nil {
		http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
	if c := errs.CodeOf(outcome); c == errs.Internal || c == errs.NotFound {
		return outcome
	}
	v, err := s.caseView(r.Context(), db, id)
	if err != nil {
		return err
	}
	v.Error = errs.MessageOf(outcome)
	s.render(w, r, "case", status(errs.CodeOf(outcome)), v)
	return nil
}

func (s *Server) caseStatusForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该案件")
	if err != nil {
		return err
	}
	_, err = s.moveCase(r.Context(), db, id, vetting.CaseStatus(r.PostFormValue("status")))
	return s.renderCase(w, r, db, id, err)
}

func (s *Server) caseOutcomeForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该案件")
	if err != nil {
		return err
	}
	_, err = s.decideCase(r.Context(), db, id, vetting.Outcome(r.PostFormValue("outcome")), r.PostFormValue("note"))
	return s.renderCase(w, r, db, id, err)
}

func (s *Server) apiCaseStatus(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该案件")
	if err != nil {
		return err
	}
	var in struct {
		Status vetting.CaseStatus `json:"status"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.moveCase(r.Context(), db, id, in.Status)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toCaseJSON(c))
	return nil
}

func (s *Server) apiCaseOutcome(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该案件")
	if err != nil {
		return err
	}
	var in struct {
		Outcome vetting.Outcome `json:"outcome"`
		Note    string          `json:"note"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.decideCase(r.Context(), db, id, in.Outcome, in.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toCaseJSON(c))
	return nil
}
