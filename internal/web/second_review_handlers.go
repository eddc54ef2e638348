package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
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
}

func (s *Server) meetingsView(ctx context.Context, db *store.Scoped) (meetingsView, error) {
	v := meetingsView{Today: s.st.Today()}
	var err error
	v.Meetings, err = db.Meetings(ctx)
	return v, err
}

func (s *Server) meetingsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.meetingsView(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, "second_review", http.StatusOK, v)
	return nil
}

// meetingInput is a new meeting of the second review.
type meetingInput struct {
	HeldOn civil.Date `json:"held_on"`
	Title  string     `json:"title"`
	DocNo  string     `json:"doc_no"`
	Note   string     `json:"note"`
}

func meetingURL(id int64) string { return "/second-review/meetings/" + strconv.FormatInt(id, 10) }

func (s *Server) addMeeting() handlerFunc {
	return act(s, action[meetingInput]{
		run: func(ctx context.Context, db *store.Scoped, in meetingInput) (any, error) {
			m, err := writeOne(ctx, db, func(tx *store.Tx) (vetting.Meeting, error) {
				return tx.AddMeeting(ctx, vetting.Meeting{HeldOn: in.HeldOn, Title: in.Title, DocNo: in.DocNo, Note: in.Note})
			})
			return toMeetingJSON(m), err
		},
		created: true,
		next:    func(_ meetingInput, out any) string { return meetingURL(out.(meetingJSON).ID) },
		notice:  "会议记录已创建。",
		page: func(ctx context.Context, db *store.Scoped, _ meetingInput) (string, any, error) {
			v, err := s.meetingsView(ctx, db)
			return "second_review", v, err
		},
	})
}

// meetingView is the meeting record: the aspirants of one page with their
// dossiers and a decision form each.
type meetingView struct {
	Meeting     vetting.Meeting
	Dossiers    []store.Dossier
	Pager       pager
	Filter      store.AspirantFilter
	Communities unitChoice
	Problem     string // what is wrong with the community filter, if anything
	Catalogue   vetting.Catalogue
	Today       civil.Date
}

func (v meetingView) Title() string { return v.Meeting.Title + " 二次审核" }

// meetingView is meeting id's record, filtered and paged by query q.
func (s *Server) meetingView(ctx context.Context, db *store.Scoped, id int64, q url.Values) (meetingView, error) {
	v := meetingView{Filter: aspirantFilterOf(q), Catalogue: vetting.DefaultCatalogue(), Today: s.st.Today()}
	var err error
	if v.Meeting, err = db.Meeting(ctx, id); err != nil {
		return v, err
	}
	if v.Filter.OrgCode, v.Problem, err = filterUnit(ctx, db, org.Community, v.Filter.OrgCode); err != nil {
		return v, err
	}
	total, err := db.CountAspirants(ctx, v.Filter)
	if err != nil {
		return v, err
	}
	page, _ := strconv.Atoi(q.Get("page"))
	v.Pager = newPager(max(page, 1), total, aspirantPage)
	f := v.Filter
	f.Limit, f.Offset = aspirantPage, (v.Pager.Page-1)*aspirantPage
	list, err := db.Aspirants(ctx, f)
	if err != nil {
		return v, err
	}
	if v.Dossiers, err = db.Dossiers(ctx, list); err != nil {
		return v, err
	}
	if v.Communities, err = unitChoiceOf(ctx, db, org.Community); err != nil {
		return v, err
	}
	v.Pager = v.Pager.Of(url.Values{"community": {f.OrgCode}, "findings": {flag(f.Findings)}, "undecided": {flag(f.Undecided)}}, "人")
	return v, nil
}

// meetingOfPath is the record of the meeting whose id is in the path.
func (s *Server) meetingOfPath(r *http.Request, db *store.Scoped) (meetingView, error) {
	id, err := pathID(r, "没有找到该会议记录")
	if err != nil {
		return meetingView{}, err
	}
	return s.meetingView(r.Context(), db, id, r.URL.Query())
}

func (s *Server) meetingPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.meetingOfPath(r, db)
	if err != nil {
		return err
	}
	s.render(w, r, "meeting", http.StatusOK, v)
	return nil
}

// decisionInput is the second review's decision on one aspirant. The
// page's form names the persuasion talk's fields persuasion_* and keeps
// the record's filter (back) to return to it.
type decisionInput struct {
	Meeting    int64               `json:"-" path:"id"`
	AspirantID int64               `json:"aspirant_id"`
	Outcome    vetting.Status      `json:"outcome"`
	Condition  string              `json:"condition"`
	CaseID     int64               `json:"case_id"`
	Persuasion *vetting.Persuasion `json:"persuasion"`
	Note       string              `json:"note"`
	Back       string              `json:"-"`
}

func (in *decisionInput) readForm(v url.Values) error {
	in.Back = v.Get("back")
	if by := v.Get("persuasion_by"); by != "" {
		in.Persuasion = &vetting.Persuasion{By: by, On: civil.Date(strings.TrimSpace(v.Get("persuasion_on"))),
			Withdrawn: v.Get("withdrawn") == "1", Note: v.Get("persuasion_note")}
	}
	return nil
}

func (s *Server) decide() handlerFunc {
	return act(s, action[decisionInput]{
		run: func(ctx context.Context, db *store.Scoped, in decisionInput) (any, error) {
			d, err := writeOne(ctx, db, func(tx *store.Tx) (vetting.Decision, error) {
				return tx.Decide(ctx, vetting.Decision{MeetingID: in.Meeting, AspirantID: in.AspirantID, Outcome: in.Outcome,
					Condition: in.Condition, CaseID: in.CaseID, Persuasion: in.Persuasion, Note: in.Note})
			})
			return toDecisionJSON(d), err
		},
		created: true,
		next: func(in decisionInput, _ any) string {
			back := meetingURL(in.Meeting)
			if in.Back != "" {
				back += "?" + in.Back
			}
			return back + "#a" + strconv.FormatInt(in.AspirantID, 10)
		},
		notice: "决定已记录。",
		page: func(ctx context.Context, db *store.Scoped, in decisionInput) (string, any, error) {
			q, _ := url.ParseQuery(in.Back)
			v, err := s.meetingView(ctx, db, in.Meeting, q)
			return "meeting", v, err
		},
	})
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
	v, err := s.meetingOfPath(r, db)
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

func (s *Server) vettingStatsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	st, err := db.VettingStats(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, "vetting_stats", http.StatusOK, st)
	return nil
}

func (s *Server) apiVettingStats(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	st, err := db.VettingStats(r.Context())
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
