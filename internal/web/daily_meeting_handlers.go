package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
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
}

func (s *Server) meetingsListView(ctx context.Context, db *store.Scoped, query string) (string, any, error) {
	v := meetingsListView{Query: query, Today: s.st.Today(), CanRun: db.Can(account.RunMeetings)}
	var err error
	if v.Items, err = db.DailyMeetings(ctx, v.Query, 200); err != nil {
		return "", nil, err
	}
	if v.CanRun {
		if v.TodayID, err = db.MeetingOn(ctx, v.Today); err != nil {
			return "", nil, err
		}
	}
	if v.TodayID == 0 {
		if err := db.KeepTargetResults(ctx); err != nil {
			return "", nil, err
		}
		if v.Preview, err = db.Agenda(ctx, v.Today); err != nil {
			return "", nil, err
		}
	}
	return "daily_meetings", v, nil
}

func (s *Server) dailyMeetingsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	name, v, err := s.meetingsListView(r.Context(), db, r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

// openMeeting opens today's meeting of the office's scope, then signs the
// log's head into the checkpoint file. The form goes on to the meeting.
func (s *Server) openMeeting(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	m, err := writeOne(ctx, db, func(tx *store.Tx) (meeting.Meeting, error) { return tx.OpenMeeting(ctx, s.st.Today()) })
	if err == nil {
		_, err = s.st.Checkpoint(ctx)
	}
	return s.endAction(w, r, db, err, http.StatusCreated, dailyMeetingJSON(m), dailyMeetingURL(m.ID), "今日例会已召开。",
		func(ctx context.Context) (string, any, error) { return s.meetingsListView(ctx, db, "") })
}

func dailyMeetingURL(id int64) string { return "/meetings/" + strconv.FormatInt(id, 10) }

type dailyMeetingView struct {
	Meeting     meeting.Meeting
	Communities unitChoice // of the meeting's unit, for its decisions
	CanRun      bool       // the reader's scope contains the meeting's unit
}

func (v dailyMeetingView) Title() string { return v.Meeting.HeldOn.String() + " 工作例会" }

// AttendanceText is the attendance as the form takes it.
func (v dailyMeetingView) AttendanceText() string { return strings.Join(v.Meeting.Attendance, "、") }

func (s *Server) dailyMeetingView(ctx context.Context, db *store.Scoped, id int64) (dailyMeetingView, error) {
	var v dailyMeetingView
	var err error
	if v.Meeting, err = db.DailyMeeting(ctx, id); err != nil {
		return v, err
	}
	v.CanRun = db.Can(account.RunMeetings) && !v.Meeting.Partial
	if v.CanRun {
		all, err := unitChoiceOf(ctx, db, org.Community)
		if err != nil {
			return v, err
		}
		unit := org.Within(v.Meeting.Unit)
		v.Communities.Typed = all.Typed
		for _, c := range all.Options {
			if unit.Contains(c.Path) {
				v.Communities.Options = append(v.Communities.Options, c)
			}
		}
	}
	return v, nil
}

// meetingAgain is the meeting page a refused form of it comes back to.
func (s *Server) meetingAgain(ctx context.Context, db *store.Scoped, id int64) (string, any, error) {
	v, err := s.dailyMeetingView(ctx, db, id)
	return "daily_meeting", v, err
}

// recordInput is a meeting's attendance and minutes; the form gives the
// attendance as one text, names separated by 、 or commas.
type recordInput struct {
	Meeting    int64    `json:"-" path:"id"`
	Attendance []string `json:"attendance"`
	Minutes    string   `json:"minutes"`
}

func (in *recordInput) readForm(v url.Values) error {
	in.Attendance = meeting.Attendees(v.Get("attendance"))
	return nil
}

// recordMeeting saves the attendance and minutes, then signs the log's head
// into the checkpoint file and keeps that checkpoint with the meeting.
func (s *Server) recordMeeting() handlerFunc {
	return act(s, action[recordInput]{
		run: func(ctx context.Context, db *store.Scoped, in recordInput) (any, error) {
			err := db.Write(ctx, func(tx *store.Tx) error { return tx.RecordMeeting(ctx, in.Meeting, in.Attendance, in.Minutes) })
			if err != nil {
				return nil, err
			}
			c, err := s.st.Checkpoint(ctx)
			if err != nil {
				return nil, err
			}
			err = db.Write(ctx, func(tx *store.Tx) error { return tx.KeepMeetingCheckpoint(ctx, in.Meeting, c) })
			return map[string]any{"ok": true, "checkpoint": map[string]any{"seq": c.Seq, "hash": c.Hash}}, err
		},
		next:   func(in recordInput, _ any) string { return dailyMeetingURL(in.Meeting) },
		notice: "纪要已保存。",
		page: func(ctx context.Context, db *store.Scoped, in recordInput) (string, any, error) {
			return s.meetingAgain(ctx, db, in.Meeting)
		},
	})
}

// meetingDecisionInput is a decision of a meeting, which becomes an item of the
// ledger of the community it concerns.
type meetingDecisionInput struct {
	Meeting   int64      `json:"-" path:"id"`
	Content   string     `json:"content"`
	Community string     `json:"community"`
	Owner     string     `json:"owner"`
	Due       civil.Date `json:"due"`
}

func (s *Server) meetingDecision() handlerFunc {
	return act(s, action[meetingDecisionInput]{
		run: func(ctx context.Context, db *store.Scoped, in meetingDecisionInput) (any, error) {
			code, err := unitOf(ctx, db, org.Community, "community", in.Community)
			if err != nil {
				return nil, err
			}
			in.Community = code
			return writeOne(ctx, db, func(tx *store.Tx) (meeting.Decision, error) {
				return tx.AddMeetingDecision(ctx, in.Meeting, meeting.Decision{Content: in.Content, Community: in.Community, Owner: in.Owner, Due: in.Due})
			})
		},
		created: true,
		next:    func(in meetingDecisionInput, _ any) string { return dailyMeetingURL(in.Meeting) },
		notice:  "决定事项已记录,并转入社区台账。",
		page: func(ctx context.Context, db *store.Scoped, in meetingDecisionInput) (string, any, error) {
			return s.meetingAgain(ctx, db, in.Meeting)
		},
	})
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
	id, err := pathID(r, "没有找到该例会")
	if err != nil {
		return err
	}
	v, err := s.dailyMeetingView(r.Context(), db, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dailyMeetingJSON(v.Meeting))
	return nil
}
