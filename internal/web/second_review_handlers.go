package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The party committee's second review (二次审核): meetings, and in each the
// record of every aspirant with all findings, tips and cases, and the
// decision per aspirant.

type meetingsView struct {
	Meetings []vetting.Meeting
	Today    civil.Date
	Error    string
}

func (s *Server) meetingsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	return s.renderMeetings(w, r, db, nil)
}

func (s *Server) renderMeetings(w http.ResponseWriter, r *http.Request, db *store.Scoped, outcome error) error {
	v := meetingsView{Today: s.st.Today()}
	var err error
	if v.Meetings, err = db.Meetings(r.Context()); err != nil {
		return err
	}
	code := http.StatusOK
	if outcome != nil {
		v.Error, code = errs.MessageOf(outcome), status(errs.CodeOf(outcome))
	}
	s.render(w, r, "second_review", code, v)
	return nil
}

func (s *Server) addMeeting(ctx context.Context, db *store.Scoped, m vetting.Meeting) (vetting.Meeting, error) {
	return writeOne(ctx, db, func(tx *store.Tx) (vetting.Meeting, error) { return tx.AddMeeting(ctx, m) })
}

func (s *Server) addMeetingForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	m, err := s.addMeeting(r.Context(), db, vetting.Meeting{HeldOn: formDate(r, "held_on"), Title: r.PostFormValue("title"),
		DocNo: r.PostFormValue("doc_no"), Note: r.PostFormValue("note")})
	if err != nil {
		if errs.CodeOf(err) == errs.Internal {
			return err
		}
		return s.renderMeetings(w, r, db, err)
	}
	http.Redirect(w, r, "/second-review/meetings/"+strconv.FormatInt(m.ID, 10), http.StatusSeeOther)
	return nil
}

// meetingView is the meeting record: the aspirants of one page with their
// dossiers and a decision form each.
type meetingView struct {
	Meeting     vetting.Meeting
	Dossiers    []store.Dossier
	Pager       pager
	Filter      store.AspirantFilter
	Communities []org.Unit
	Catalogue   vetting.Catalogue
	Today       civil.Date
	Error       string
}

func (v meetingView) Title() string { return v.Meeting.Title + " 二次审核" }

func (s *Server) meetingView(ctx context.Context, db *store.Scoped, r *http.Request) (meetingView, error) {
	id, err := pathID(r, "没有找到该会议记录")
	if err != nil {
		return meetingView{}, err
	}
	v := meetingView{Filter: aspirantFilter(r), Catalogue: vetting.DefaultCatalogue(), Today: s.st.Today()}
	if v.Meeting, err = db.Meeting(ctx, id); err != nil {
		return v, err
	}
	total, err := db.CountAspirants(ctx, v.Filter)
	if err != nil {
		return v, err
	}
	v.Pager = newPager(pageParam(r), total, aspirantPage)
	f := v.Filter
	f.Limit, f.Offset = aspirantPage, (v.Pager.Page-1)*aspirantPage
	list, err := db.Aspirants(ctx, f)
	if err != nil {
		return v, err
	}
	if v.Dossiers, err = db.Dossiers(ctx, list); err != nil {
		return v, err
	}
	if v.Communities, err = db.ListOrgs(ctx, store.OrgFilter{Kind: org.Community}); err != nil {
		return v, err
	}
	v.Pager = v.Pager.Of(url.Values{"community": {f.OrgCode}, "findings": {flag(f.Findings)}, "undecided": {flag(f.Undecided)}}, "人")
	return v, nil
}

func (s *Server) meetingPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.meetingView(r.Context(), db, r)
	if err != nil {
		return err
	}
	s.render(w, r, "meeting", http.StatusOK, v)
	return nil
}

func (s *Server) decide(ctx context.Context, db *store.Scoped, d vetting.Decision) (vetting.Decision, error) {
	return writeOne(ctx, db, func(tx *store.Tx) (vetting.Decision, error) { return tx.Decide(ctx, d) })
}

func (s *Server) decideForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	meetingID, err := pathID(r, "没有找到该会议记录")
	if err != nil {
		return err
	}
	aspirantID, _ := strconv.ParseInt(r.PostFormValue("aspirant"), 10, 64)
	caseID, _ := strconv.ParseInt(r.PostFormValue("case"), 10, 64)
	d := vetting.Decision{MeetingID: meetingID, AspirantID: aspirantID, Outcome: vetting.Status(r.PostFormValue("outcome")),
		Condition: r.PostFormValue("condition"), CaseID: caseID, Note: r.PostFormValue("note")}
	if by := r.PostFormValue("persuasion_by"); by != "" {
		d.Persuasion = &vetting.Persuasion{By: by, On: formDate(r, "persuasion_on"),
			Withdrawn: r.PostFormValue("withdrawn") == "1", Note: r.PostFormValue("persuasion_note")}
	}
	_, err = s.decide(r.Context(), db, d)
	back := "/second-review/meetings/" + strconv.FormatInt(meetingID, 10)
	if q := r.PostFormValue("back"); q != "" {
		back += "?" + q
	}
	if err == nil {
		http.Redirect(w, r, back+"#a"+strconv.FormatInt(aspirantID, 10), http.StatusSeeOther)
		return nil
	}
	if c := errs.CodeOf(err); c == errs.Internal {
		return err
	}
	v, verr := s.meetingView(r.Context(), db, r)
	if verr != nil {
		return verr
	}
	v.Error = "参选人 " + strconv.FormatInt(aspirantID, 10) + ":" + errs.MessageOf(err)
	s.render(w, r, "meeting", status(errs.CodeOf(err)), v)
	return nil
}

type meetingJSON struct {
	ID     int64      `json:"id"`
	HeldOn civil.Date `json:"held_on"`
	Title  string     `json:"title"`
	DocNo  string     `json:"doc_no"`
	Note   string     `json:"note"`
}

func toMeetingJSON(m vetting.Meeting) meetingJSON {
	return meetingJSON{m.ID, m.HeldOn, m.Title, m.DocNo, m.Note}
}

func (s *Server) apiMeetings(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ms, err := db.Meetings(r.Context())
	if err != nil {
		return err
	}
	items := make([]meetingJSON, len(ms))
	for i, m := range ms {
		items[i] = toMeetingJSON(m)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) apiAddMeeting(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in meetingJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	m, err := s.addMeeting(r.Context(), db, vetting.Meeting{HeldOn: in.HeldOn, Title: in.Title, DocNo: in.DocNo, Note: in.Note})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toMeetingJSON(m))
	return nil
}

// dossierJSON is what the second review weighs for one aspirant.
type dossierJSON struct {
	AspirantID int64              `json:"aspirant_id"`
	Name       string             `json:"name"`
	Community  string             `json:"community"`
	Status     vetting.Status     `json:"status"`
	Findings   []store.Finding    `json:"findings"`
	Tips       []store.LinkedTip  `json:"tips"`
	Cases      []store.LinkedCase `json:"cases"`
	Decisions  []decisionJSON     `json:"decisions"`
}

type decisionJSON struct {
	ID         int64               `json:"id"`
	MeetingID  int64               `json:"meeting_id"`
	Outcome    vetting.Status      `json:"outcome"`
	Condition  string              `json:"condition,omitempty"`
	CaseID     int64               `json:"case_id,omitempty"`
	Persuasion *vetting.Persuasion `json:"persuasion,omitempty"`
	Note       string              `json:"note"`
	By         string              `json:"by"`
	At         time.Time           `json:"at"`
}

func toDecisionJSON(d vetting.Decision) decisionJSON {
	return decisionJSON{d.ID, d.MeetingID, d.Outcome, d.Condition, d.CaseID, d.Persuasion, d.Note, d.By, d.At}
}

func toDossierJSON(d store.Dossier) dossierJSON {
	out := dossierJSON{AspirantID: d.ID, Name: d.Name, Community: d.OrgCode, Status: d.Status, Findings: d.Findings,
		Tips: d.Tips, Cases: d.Cases, Decisions: []decisionJSON{}}
	for _, x := range d.Decisions {
		out.Decisions = append(out.Decisions, toDecisionJSON(x))
	}
	return out
}

func (s *Server) apiMeeting(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.meetingView(r.Context(), db, r)
	if err != nil {
		return err
	}
	items := make([]dossierJSON, len(v.Dossiers))
	for i, d := range v.Dossiers {
		items[i] = toDossierJSON(d)
	}
	writeJSON(w, http.StatusOK, map[string]any{"meeting": toMeetingJSON(v.Meeting), "items": items, "total": v.Pager.Total})
	return nil
}

func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	meetingID, err := pathID(r, "没有找到该会议记录")
	if err != nil {
		return err
	}
	var in struct {
		AspirantID int64               `json:"aspirant_id"`
		Outcome    vetting.Status      `json:"outcome"`
		Condition  string              `json:"condition"`
		CaseID     int64               `json:"case_id"`
		Persuasion *vetting.Persuasion `json:"persuasion"`
		Note       string              `json:"note"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := s.decide(r.Context(), db, vetting.Decision{MeetingID: meetingID, AspirantID: in.AspirantID, Outcome: in.Outcome,
		Condition: in.Condition, CaseID: in.CaseID, Persuasion: in.Persuasion, Note: in.Note})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toDecisionJSON(d))
	return nil
}

// statsView is the vetting statistics per community and zone.
type statsView struct {
	Stats vetting.Stats
	Names map[string]string // community code → name
}

func (s *Server) vettingStats(ctx context.Context, db *store.Scoped) (vetting.Stats, error) {
	return db.VettingStats(ctx)
}

func (s *Server) vettingStatsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	st, err := s.vettingStats(r.Context(), db)
	if err != nil {
		return err
	}
	units, err := db.ListOrgs(r.Context(), store.OrgFilter{Kind: org.Community})
	if err != nil {
		return err
	}
	v := statsView{Stats: st, Names: map[string]string{}}
	for _, c := range units {
		v.Names[c.Code] = c.Name
	}
	s.render(w, r, "vetting_stats", http.StatusOK, v)
	return nil
}

func (s *Server) apiVettingStats(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	st, err := s.vettingStats(r.Context(), db)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(st.Communities))
	for i, c := range st.Communities {
		items[i] = countsJSON(c.Counts)
		items[i]["community"] = c.OrgCode
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": countsJSON(st.Total)})
	return nil
}

func countsJSON(c vetting.Counts) map[string]any {
	return map[string]any{"registered": c.Registered, "reviewed": c.Reviewed, "with_findings": c.WithFindings,
		"barred": c.Barred, "unsuitable": c.Unsuitable, "withdrawn": c.Withdrawn, "disqualified": c.Disqualified,
		"qualified": c.Qualified}
}
