package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/meeting"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The daily meeting (工作例会): its agenda is generated from the data of the
// user's scope on the day, kept with the meeting as it was; its decisions
// become ledger items.

// Agenda generates the agenda of day for the scope: the previous meeting's
// decisions and their ledger state, ledger items due or overdue, class
// changes and new warnings since the day before, tips received since the
// day before, and election stages past their deadline.
func (s *Store) Agenda(ctx context.Context, scope org.Scope, cycleID int64, day string) (meeting.Agenda, error) {
	a := meeting.Agenda{Day: day}
	var err error
	if a.Decisions, err = s.previousDecisions(ctx, scope, cycleID, day); err != nil {
		return a, err
	}
	if a.Due, err = s.agendaDue(ctx, scope, cycleID, day); err != nil {
		return a, err
	}
	since, _ := time.ParseInLocation("2006-01-02", meeting.Yesterday(day), org.ChinaTime)
	changes, err := s.classChanges(ctx, scope, cycleID, since)
	if err != nil {
		return a, err
	}
	for _, c := range changes {
		a.Warnings = append(a.Warnings, meeting.WarningLine{Community: c.Name, From: string(c.From), To: string(c.To),
			Change: classText(c.From) + " → " + classText(c.To), Cause: c.Cause})
	}
	lo, hi := scope.Bounds()
	err = s.each(ctx, `SELECT t.id, o.name, t.category, t.status FROM tips t JOIN orgs o ON o.id = t.org_id
		WHERE t.cycle_id = $1 AND t.submitted_on >= $2 AND t.submitted_on <= $3 AND o.path >= $4 AND o.path < $5 ORDER BY t.id`,
		func(rows *sql.Rows) error {
			var t meeting.TipLine
			if err := rows.Scan(&t.ID, &t.Community, &t.Category, &t.Status); err != nil {
				return err
			}
			t.Category, t.Status = vetting.TipCategory(t.Category).Label(), vetting.TipStatus(t.Status).Label()
			a.Tips = append(a.Tips, t)
			return nil
		}, cycleID, meeting.Yesterday(day), day, lo, hi)
	if err != nil {
		return a, err
	}
	a.LateStages, err = s.agendaLateStages(ctx, scope, cycleID, day)
	return a, err
}

func classText(c assess.Class) string {
	if c == assess.Unassessed {
		return "未研判"
	}
	if w := c.Warning(); w != assess.NoWarning {
		return string(c) + "类(" + w.Label() + ")"
	}
	return string(c) + "类"
}

// previousDecisions are the decisions of the last meeting before day, with
// the state of their ledger items.
func (s *Store) previousDecisions(ctx context.Context, scope org.Scope, cycleID int64, day string) ([]meeting.DecisionLine, error) {
	lo, hi := scope.Bounds()
	var out []meeting.DecisionLine
	err := s.each(ctx, `SELECT m.held_on, d.content, o.name, d.owner, d.due_on, COALESCE(l.status, '')
		FROM meeting_decisions d JOIN daily_meetings m ON m.id = d.meeting_id JOIN orgs o ON o.id = d.org_id
		LEFT JOIN ledger_items l ON l.id = d.ledger_item_id
		WHERE m.cycle_id = $1 AND m.held_on = (SELECT MAX(held_on) FROM daily_meetings WHERE cycle_id = $1 AND held_on < $2)
		AND o.path >= $3 AND o.path < $4 ORDER BY d.id`, func(rows *sql.Rows) error {
		var d meeting.DecisionLine
		if err := rows.Scan(&d.MeetingDay, &d.Content, &d.Community, &d.Owner, &d.Due, &d.Status); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	}, cycleID, day, lo, hi)
	return out, err
}

// OpenMeeting creates the meeting of day (today when the office holds it)
// with its generated agenda; Conflict when that day's meeting exists.
func (t *Tx) OpenMeeting(ctx context.Context, scope org.Scope, cycleID int64, day string) (meeting.Meeting, error) {
	a, err := t.s.Agenda(ctx, scope, cycleID, day)
	if err != nil {
		return meeting.Meeting{}, err
	}
	raw, _ := json.Marshal(a)
	m := meeting.Meeting{CycleID: cycleID, HeldOn: day, Agenda: a, CreatedBy: t.q.actor.Name, CreatedAt: t.s.clock()}
	err = t.queryRow(ctx, `INSERT INTO daily_meetings (cycle_id, held_on, agenda, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, cycleID, day, string(raw), m.CreatedBy, m.CreatedAt).Scan(&m.ID)
	if isUnique(err) {
		return m, errs.Newf(errs.Conflict, "%s 的例会已经创建", day)
	}
	if err != nil {
		return m, fmt.Errorf("open meeting: %w", err)
	}
	return m, t.Audit(ctx, audit.MeetingOpen, On("daily_meeting", itoa(m.ID), ""), nil, audit.Fields{"day": day, "agenda_lines": a.Size()})
}

// RecordMeeting saves a meeting's attendance and minutes.
func (t *Tx) RecordMeeting(ctx context.Context, cycleID, id int64, attendance []string, minutes string) error {
	if err := meeting.CheckRecord(attendance, minutes); err != nil {
		return err
	}
	res, err := t.exec(ctx, `UPDATE daily_meetings SET attendance = $1, minutes = $2 WHERE id = $3 AND cycle_id = $4`,
		strings.Join(attendance, "、"), minutes, id, cycleID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.New(errs.NotFound, "没有找到该例会")
	}
	return t.Audit(ctx, audit.MeetingRecord, On("daily_meeting", itoa(id), ""), nil,
		audit.Fields{"attendance": len(attendance), "minutes_chars": len([]rune(minutes))})
}

// AddMeetingDecision records a decision of a meeting and makes it a ledger
// item of its community (in scope) with the owner and due day.
func (t *Tx) AddMeetingDecision(ctx context.Context, scope org.Scope, cycleID, meetingID int64, d meeting.Decision) (meeting.Decision, error) {
	var heldOn string
	if err := t.queryRow(ctx, `SELECT held_on FROM daily_meetings WHERE id = $1 AND cycle_id = $2`, meetingID, cycleID).Scan(&heldOn); err != nil {
		return d, notFound(err, "没有找到该例会")
	}
	if err := d.Validate(heldOn); err != nil {
		return d, err
	}
	orgID, err := communityInScope(ctx, t.tx, scope, d.Community)
	if err != nil {
		return d, errs.OnField("community", "社区不存在或不在管辖范围内")
	}
	if d.LedgerItemID, err = t.addDecisionItem(ctx, scope, cycleID, meetingID, d); err != nil {
		return d, err
	}
	err = t.queryRow(ctx, `INSERT INTO meeting_decisions (meeting_id, content, org_id, owner, due_on, ledger_item_id)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, meetingID, d.Content, orgID, d.Owner, d.Due, d.LedgerItemID).Scan(&d.ID)
	if err != nil {
		return d, fmt.Errorf("add decision: %w", err)
	}
	return d, t.Audit(ctx, audit.MeetingDecide, On("daily_meeting", itoa(meetingID), d.Community), nil, audit.Fields{"community": d.Community,
		"content": d.Content, "owner": d.Owner, "due": d.Due, "ledger_item": d.LedgerItemID})
}

// DailyMeeting returns one meeting of the cycle with its decisions in scope.
func (s *Store) DailyMeeting(ctx context.Context, scope org.Scope, cycleID, id int64) (meeting.Meeting, error) {
	m := meeting.Meeting{ID: id, CycleID: cycleID}
	var agenda, attendance string
	err := s.db.QueryRowContext(ctx, `SELECT held_on, agenda, attendance, minutes, created_by, created_at FROM daily_meetings
		WHERE id = $1 AND cycle_id = $2`, id, cycleID).Scan(&m.HeldOn, &agenda, &attendance, &m.Minutes, &m.CreatedBy, &m.CreatedAt)
	if err != nil {
		return m, notFound(err, "没有找到该例会")
	}
	if err := json.Unmarshal([]byte(agenda), &m.Agenda); err != nil {
		return m, fmt.Errorf("agenda of meeting %d: %w", id, err)
	}
	m.Attendance = meeting.Attendees(attendance)
	lo, hi := scope.Bounds()
	err = s.each(ctx, `SELECT d.id, d.content, o.code, d.owner, d.due_on, COALESCE(d.ledger_item_id, 0) FROM meeting_decisions d
		JOIN orgs o ON o.id = d.org_id WHERE d.meeting_id = $1 AND o.path >= $2 AND o.path < $3 ORDER BY d.id`,
		func(rows *sql.Rows) error {
			var d meeting.Decision
			if err := rows.Scan(&d.ID, &d.Content, &d.Community, &d.Owner, &d.Due, &d.LedgerItemID); err != nil {
				return err
			}
			m.Decisions = append(m.Decisions, d)
			return nil
		}, id, lo, hi)
	return m, err
}

// MeetingRow is a meeting in the history list.
type MeetingRow struct {
	ID         int64
	HeldOn     string
	Attendance string
	Decisions  int
	Snippet    string // of the minutes
}

// DailyMeetings lists the cycle's meetings, newest first, whose minutes,
// attendance or decisions contain q (all when q is empty), at most limit.
func (s *Store) DailyMeetings(ctx context.Context, cycleID int64, q string, limit int) ([]MeetingRow, error) {
	where, args := `WHERE m.cycle_id = $1`, []any{cycleID}
	if q = strings.TrimSpace(q); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q) + "%"
		args = append(args, like)
		where += ` AND (m.minutes LIKE $2 ESCAPE '\' OR m.attendance LIKE $2 ESCAPE '\'
			OR EXISTS (SELECT 1 FROM meeting_decisions d WHERE d.meeting_id = m.id AND d.content LIKE $2 ESCAPE '\'))`
	}
	var out []MeetingRow
	err := s.each(ctx, `SELECT m.id, m.held_on, m.attendance, m.minutes,
		(SELECT COUNT(*) FROM meeting_decisions d WHERE d.meeting_id = m.id) FROM daily_meetings m `+where+
		` ORDER BY m.held_on DESC LIMIT `+strconv.Itoa(max(limit, 1)), func(rows *sql.Rows) error {
		var r MeetingRow
		if err := rows.Scan(&r.ID, &r.HeldOn, &r.Attendance, &r.Snippet, &r.Decisions); err != nil {
			return err
		}
		if rs := []rune(r.Snippet); len(rs) > 80 {
			r.Snippet = string(rs[:80]) + "…"
		}
		out = append(out, r)
		return nil
	}, args...)
	return out, err
}
