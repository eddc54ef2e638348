package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/meeting"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

// The daily meeting (工作例会): history with search, today's meeting opened
// with its generated agenda, attendance and minutes, decisions that become
// ledger items.

type meetingsListView struct {
	Items   []store.MeetingRow
	Query   string
	Today   string
	CanRun  bool
	Preview meeting.Agenda // today's agenda, before the meeting is opened
	Error   string
}

func (s *Server) dailyMeetingsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	return s.renderDailyMeetings(w, r, db, nil)
}

func (s *Server) renderDailyMeetings(w http.ResponseWriter, r *http.Request, db *store.Scoped, outcome error) error {
	u := db.User()
	ctx := r.Context()
	cycle, err := s.cycle(ctx)
	if err != nil {
		return err
	}
	v := meetingsListView{Query: r.URL.Query().Get("q"), Today: org.Day(s.st.Now()), CanRun: u.Can(account.RunMeetings)}
	if v.Items, err = s.st.DailyMeetings(ctx, cycle.ID, v.Query, 200); err != nil {
		return err
	}
	if v.Preview, err = s.st.Agenda(ctx, u.Scope(), cycle.ID, v.Today); err != nil {
		return err
	}
	code := http.StatusOK
	if outcome != nil {
		v.Error, code = errs.MessageOf(outcome), status(errs.CodeOf(outcome))
	}
	s.render(w, r, "daily_meetings", code, v)
	return nil
}

func (s *Server) openMeeting(ctx context.Context, db *store.Scoped) (meeting.Meeting, error) {
	u := db.User()
	return writeInCycle(ctx, db, func(tx *store.Tx, cycle org.Cycle) (meeting.Meeting, error) {
		return tx.OpenMeeting(ctx, u.Scope(), cycle.ID, org.Day(s.st.Now()))
	})
}

func (s *Server) openMeetingForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	m, err := s.openMeeting(r.Context(), db)
	if err != nil {
		if errs.CodeOf(err) == errs.Internal {
			return err
		}
		return s.renderDailyMeetings(w, r, db, err)
	}
	http.Redirect(w, r, "/meetings/"+strconv.FormatInt(m.ID, 10), http.StatusSeeOther)
	return nil
}

type dailyMeetingView struct {
	Meeting     meeting.Meeting
	Communities []org.Unit
	CanRun      bool
	Error       string
}

func (v dailyMeetingView) Title() string { return v.Meeting.HeldOn + " 工作例会" }

func (s *Server) dailyMeetingView(ctx context.Context, db *store.Scoped, r *http.Request) (dailyMeetingView, error) {
	u := db.User()
	id, err := pathID(r, "没有找到该例会")
	if err != nil {
		return dailyMeetingView{}, err
	}
	cycle, err := s.cycle(ctx)
	if err != nil {
		return dailyMeetingView{}, err
	}
	v := dailyMeetingView{CanRun: u.Can(account.RunMeetings)}
	if v.Meeting, err = s.st.DailyMeeting(ctx, u.Scope(), cycle.ID, id); err != nil {
		return v, err
	}
	if v.CanRun {
		v.Communities, err = db.ListOrgs(ctx, store.OrgFilter{Kind: org.Community})
	}
	return v, err
}

func (s *Server) dailyMeetingPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.dailyMeetingView(r.Context(), db, r)
	if err != nil {
		return err
	}
	s.render(w, r, "daily_meeting", http.StatusOK, v)
	return nil
}

// afterMeetingForm answers a form of the meeting page.
func (s *Server) afterMeetingForm(w http.ResponseWriter, r *http.Request, db *store.Scoped, outcome error) error {
	if outcome == nil {
		http.Redirect(w, r, "/meetings/"+r.PathValue("id"), http.StatusSeeOther)
		return nil
	}
	if c := errs.CodeOf(outcome); c == errs.Internal || c == errs.NotFound {
		return outcome
	}
	v, err := s.dailyMeetingView(r.Context(), db, r)
	if err != nil {
		return err
	}
	v.Error = errs.MessageOf(outcome)
	s.render(w, r, "daily_meeting", status(errs.CodeOf(outcome)), v)
	return nil
}

func (s *Server) recordMeeting(ctx context.Context, db *store.Scoped, id int64, attendance []string, minutes string) error {
	cycle, err := s.cycle(ctx)
	if err != nil {
		return err
	}
	return db.Write(ctx, func(tx *store.Tx) error {
		return tx.RecordMeeting(ctx, cycle.ID, id, attendance, minutes)
	})
}

func (s *Server) recordMeetingForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该例会")
	if err != nil {
		return err
	}
	err = s.recordMeeting(r.Context(), db, id, meeting.Attendees(r.PostFormValue("attendance")), r.PostFormValue("minutes"))
	return s.afterMeetingForm(w, r, db, err)
}

func (s *Server) decideInMeeting(ctx context.Context, db *store.Scoped, id int64, d meeting.Decision) (meeting.Decision, error) {
	u := db.User()
	return writeInCycle(ctx, db, func(tx *store.Tx, cycle org.Cycle) (meeting.Decision, error) {
		return tx.AddMeetingDecision(ctx, u.Scope(), cycle.ID, id, d)
	})
}

func (s *Server) meetingDecisionForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该例会")
	if err != nil {
		return err
	}
	_, err = s.decideInMeeting(r.Context(), db, id, meeting.Decision{Content: r.PostFormValue("content"),
		Community: r.PostFormValue("community"), Owner: r.PostFormValue("owner"), Due: r.PostFormValue("due")})
	return s.afterMeetingForm(w, r, db, err)
}

func dailyMeetingJSON(m meeting.Meeting) map[string]any {
	ds := m.Decisions
	if ds == nil {
		ds = []meeting.Decision{}
	}
	return map[string]any{"id": m.ID, "held_on": m.HeldOn, "agenda": m.Agenda, "attendance": m.Attendance,
		"minutes": m.Minutes, "decisions": ds}
}

func (s *Server) apiOpenMeeting(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	m, err := s.openMeeting(r.Context(), db)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, dailyMeetingJSON(m))
	return nil
}

func (s *Server) apiDailyMeetings(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	cycle, err := s.cycle(r.Context())
	if err != nil {
		return err
	}
	rows, err := s.st.DailyMeetings(r.Context(), cycle.ID, r.URL.Query().Get("q"), 200)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(rows))
	for i, m := range rows {
		items[i] = map[string]any{"id": m.ID, "held_on": m.HeldOn, "attendance": m.Attendance, "decisions": m.Decisions}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) apiDailyMeeting(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.dailyMeetingView(r.Context(), db, r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dailyMeetingJSON(v.Meeting))
	return nil
}

func (s *Server) apiRecordMeeting(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该例会")
	if err != nil {
		return err
	}
	var in struct {
		Attendance []string `json:"attendance"`
		Minutes    string   `json:"minutes"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.recordMeeting(r.Context(), db, id, in.Attendance, in.Minutes); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	return nil
}

func (s *Server) apiMeetingDecision(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该例会")
	if err != nil {
		return err
	}
	var in meeting.Decision
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := s.decideInMeeting(r.Context(), db, id, meeting.Decision{Content: in.Content, Community: in.Community, Owner: in.Owner, Due: in.Due})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}
