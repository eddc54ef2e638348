package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/meeting"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

// The daily meeting (工作例会): history with search, today's meeting of the
// office's scope opened with its generated agenda, attendance and minutes,
// decisions that become ledger items. After a meeting is opened and after
// its minutes are recorded the audit log's head is signed into the
// checkpoint file; the minutes keep and print the one of their recording.

type meetingsListView struct {
	Items   []store.MeetingRow
	Query   string
	Today   civil.Date
	CanRun  bool
	TodayID int64          // today's meeting of the reader's unit, 0 before it is opened
	Preview meeting.Agenda // today's agenda, before the meeting is opened
	Error   string
}

func (s *Server) dailyMeetingsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	return s.renderDailyMeetings(w, r, db, nil)
}

func (s *Server) renderDailyMeetings(w http.ResponseWriter, r *http.Request, db *store.Scoped, outcome error) error {
	ctx := r.Context()
	v := meetingsListView{Query: r.URL.Query().Get("q"), Today: s.st.Today(), CanRun: db.Can(account.RunMeetings)}
	var err error
	if v.Items, err = db.DailyMeetings(ctx, v.Query, 200); err != nil {
		return err
	}
	if v.CanRun {
		if v.TodayID, err = db.MeetingOn(ctx, v.Today); err != nil {
			return err
		}
	}
	if v.TodayID == 0 {
		if v.Preview, err = db.Agenda(ctx, v.Today); err != nil {
			return err
		}
	}
	code := http.StatusOK
	if outcome != nil {
		v.Error, code = errs.MessageOf(outcome), status(errs.CodeOf(outcome))
	}
	s.render(w, r, "daily_meetings", code, v)
	return nil
}

func (s *Server) openMeeting(ctx context.Context, db *store.Scoped) (meeting.Meeting, error) {
	var m meeting.Meeting
	err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		m, err = tx.OpenMeeting(ctx, s.st.Today())
		return err
	})
	if err != nil {
		return m, err
	}
	_, err = s.st.Checkpoint(ctx)
	return m, err
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
	Communities []org.Unit // of the meeting's unit, for its decisions
	CanRun      bool       // the reader's scope contains the meeting's unit
	Error       string
}

func (v dailyMeetingView) Title() string { return v.Meeting.HeldOn.String() + " 工作例会" }

func (s *Server) dailyMeetingView(ctx context.Context, db *store.Scoped, r *http.Request) (dailyMeetingView, error) {
	id, err := pathID(r, "没有找到该例会")
	if err != nil {
		return dailyMeetingView{}, err
	}
	var v dailyMeetingView
	if v.Meeting, err = db.DailyMeeting(ctx, id); err != nil {
		return v, err
	}
	v.CanRun = db.Can(account.RunMeetings) && !v.Meeting.Partial
	if v.CanRun {
		all, err := db.ListOrgs(ctx, store.OrgFilter{Kind: org.Community})
		if err != nil {
			return v, err
		}
		unit := org.Within(v.Meeting.Unit)
		for _, c := range all {
			if unit.Contains(c.Path) {
				v.Communities = append(v.Communities, c)
			}
		}
	}
	return v, nil
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

// recordMeeting saves the attendance and minutes, then signs the log's head
// into the checkpoint file and keeps that checkpoint with the meeting.
func (s *Server) recordMeeting(ctx context.Context, db *store.Scoped, id int64, attendance []string, minutes string) (audit.Checkpoint, error) {
	err := db.Write(ctx, func(tx *store.Tx) error { return tx.RecordMeeting(ctx, id, attendance, minutes) })
	if err != nil {
		return audit.Checkpoint{}, err
	}
	c, err := s.st.Checkpoint(ctx)
	if err != nil {
		return c, err
	}
	return c, db.Write(ctx, func(tx *store.Tx) error { return tx.KeepMeetingCheckpoint(ctx, id, c) })
}

func (s *Server) recordMeetingForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该例会")
	if err != nil {
		return err
	}
	_, err = s.recordMeeting(r.Context(), db, id, meeting.Attendees(r.PostFormValue("attendance")), r.PostFormValue("minutes"))
	return s.afterMeetingForm(w, r, db, err)
}

func (s *Server) decideInMeeting(ctx context.Context, db *store.Scoped, id int64, d meeting.Decision) (meeting.Decision, error) {
	return writeOne(ctx, db, func(tx *store.Tx) (meeting.Decision, error) { return tx.AddMeetingDecision(ctx, id, d) })
}

func (s *Server) meetingDecisionForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该例会")
	if err != nil {
		return err
	}
	_, err = s.decideInMeeting(r.Context(), db, id, meeting.Decision{Content: r.PostFormValue("content"),
		Community: r.PostFormValue("community"), Owner: r.PostFormValue("owner"), Due: formDate(r, "due")})
	return s.afterMeetingForm(w, r, db, err)
}

// dailyMeetingJSON is a meeting as its reader may see it: of a meeting
// above the reader's scope (partial) no attendance, minutes or checkpoint.
func dailyMeetingJSON(m meeting.Meeting) map[string]any {
	ds := m.Decisions
	if ds == nil {
		ds = []meeting.Decision{}
	}
	out := map[string]any{"id": m.ID, "held_on": m.HeldOn, "unit": meeting.UnitCode(m.Unit), "unit_name": m.UnitName, "partial": m.Partial,
		"agenda": m.Agenda, "decisions": ds}
	if !m.Partial {
		attendance := m.Attendance
		if attendance == nil {
			attendance = []string{}
		}
		out["attendance"], out["minutes"] = attendance, m.Minutes
		if m.CheckpointSeq > 0 {
			out["checkpoint"] = map[string]any{"seq": m.CheckpointSeq, "hash": m.CheckpointHash}
		}
	}
	return out
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
	rows, err := db.DailyMeetings(r.Context(), r.URL.Query().Get("q"), 200)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(rows))
	for i, m := range rows {
		items[i] = map[string]any{"id": m.ID, "held_on": m.HeldOn, "unit": meeting.UnitCode(m.Unit), "unit_name": m.UnitName,
			"partial": m.Partial, "decisions": m.Decisions}
		if !m.Partial {
			items[i]["attendance"] = m.Attendance
		}
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
	c, err := s.recordMeeting(r.Context(), db, id, in.Attendance, in.Minutes)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "checkpoint": map[string]any{"seq": c.Seq, "hash": c.Hash}})
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
