package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/meeting"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The daily meeting (工作例会) of a unit: the subtree of the office account
// that opens it (the whole tree for the zone office). Its agenda is
// generated from the unit's data on the day and kept with the meeting as it
// was; its decisions become ledger items. A reader sees the meetings of the
// units within its scope and of the units above it; of a meeting above it,
// only the agenda lines and decisions about its own communities, without
// attendance, minutes or checkpoint.

// Agenda generates the agenda of day for q's scope: the decisions of the
// scope's previous meeting and their ledger state, ledger items due or
// overdue, class changes and new warnings since the day before, tips
// received since the day before, election stages past their deadline,
// predicted slates missing hard targets, the elections' lines (votes
// that day, counts waiting, void elections, handovers past due, reports
// not filed: agendaElections) and the communities short of their round's
// visit targets near or past its end (agendaVisits).
func (q *Scoped) Agenda(ctx context.Context, day civil.Date) (meeting.Agenda, error) {
	a := meeting.Agenda{Day: day}
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return a, err
	}
	if a.Decisions, err = q.previousDecisions(ctx, cycleID, day); err != nil {
		return a, err
	}
	if a.Due, err = q.agendaDue(ctx, day); err != nil {
		return a, err
	}
	if err = q.agendaWarnings(ctx, cycleID, &a); err != nil {
		return a, err
	}
	lo, hi := q.scope.Bounds()
	err = q.s.each(ctx, `SELECT t.id, o.code, o.name, t.category, t.status FROM tips t JOIN orgs o ON o.id = t.org_id
		WHERE t.cycle_id = $1 AND t.submitted_on >= $2 AND t.submitted_on <= $3 AND o.path >= $4 AND o.path < $5 ORDER BY t.id`,
		func(rows *sql.Rows) error {
			var t meeting.TipLine
			if err := rows.Scan(&t.ID, &t.Code, &t.Community, &t.Category, &t.Status); err != nil {
				return err
			}
			t.Category, t.Status = vetting.TipCategory(t.Category).Label(), vetting.TipStatus(t.Status).Label()
			a.Tips = append(a.Tips, t)
			return nil
		}, cycleID, meeting.Yesterday(day), day, lo, hi)
	if err != nil {
		return a, err
	}
	if err = q.agendaLateStages(ctx, &a); err != nil {
		return a, err
	}
	if a.Targets, err = q.UnmetTargets(ctx); err != nil {
		return a, err
	}
	if err := q.agendaElections(ctx, &a); err != nil {
		return a, err
	}
	return a, q.agendaVisits(ctx, &a)
}

// agendaWarnings are the moves of the class in force in scope since the
// start of the day before day, newest first.
func (q *Scoped) agendaWarnings(ctx context.Context, cycleID int64, a *meeting.Agenda) error {
	since := meeting.Yesterday(a.Day).Start()
	changes, _, err := q.s.classChanges(ctx, q.scope, cycleID, since, Page{Limit: meeting.SectionMax + 1})
	changes = capped(a, "warnings", changes)
	out := make([]meeting.WarningLine, len(changes))
	for i, c := range changes {
		out[i] = meeting.WarningLine{Code: c.Code, Community: c.Name, From: string(c.From), To: string(c.To),
			Change: classText(c.From) + " → " + classText(c.To), Cause: c.Cause}
	}
	a.Warnings = out
	return err
}

func classText(c assess.Class) string {
	if w := c.Warning(); w != assess.NoWarning {
		return c.Label() + "(" + w.Label() + ")"
	}
	return c.Label()
}

// previousDecisions are the decisions of the scope's last meeting before
// day, with the state of their ledger items.
func (q *Scoped) previousDecisions(ctx context.Context, cycleID int64, day civil.Date) ([]meeting.DecisionLine, error) {
	lo, hi := q.scope.Bounds()
	var out []meeting.DecisionLine
	err := q.s.each(ctx, `SELECT m.held_on, d.content, o.code, o.name, d.owner, d.due_on, COALESCE(l.status, '')
		FROM meeting_decisions d JOIN daily_meetings m ON m.id = d.meeting_id JOIN orgs o ON o.id = d.org_id
		LEFT JOIN ledger_items l ON l.id = d.ledger_item_id
		WHERE m.cycle_id = $1 AND m.unit_path = $5 AND m.held_on = (SELECT MAX(held_on) FROM daily_meetings
			WHERE cycle_id = $1 AND unit_path = $5 AND held_on < $2)
		AND o.path >= $3 AND o.path < $4 ORDER BY d.id`, func(rows *sql.Rows) error {
		var d meeting.DecisionLine
		if err := rows.Scan(&d.MeetingDay, &d.Content, &d.Code, &d.Community, &d.Owner, &d.Due, &d.Status); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	}, cycleID, day, lo, hi, q.scope.Path)
	return out, err
}

// pathsAbove are the paths of the units above the unit at path, and "/"
// for the whole tree: "/A/B/" gives "/", "/A/". None for the whole tree or
// the zero scope.
func pathsAbove(path string) []string {
	if !strings.HasPrefix(path, "/") || path == "/" {
		return nil
	}
	out := []string{"/"}
	for i := 1; i < len(path)-1; i++ {
		if path[i] == '/' {
			out = append(out, path[:i+1])
		}
	}
	return out
}

// visibleMeetings is the condition on daily_meetings m that its unit lies
// within scope or above it; its arguments start at $next.
func visibleMeetings(scope org.Scope, next int) (string, []any) {
	lo, hi := scope.Bounds()
	cond := `(m.unit_path >= $` + strconv.Itoa(next) + ` AND m.unit_path < $` + strconv.Itoa(next+1)
	args := []any{lo, hi}
	for _, p := range pathsAbove(scope.Path) {
		args = append(args, p)
		cond += ` OR m.unit_path = $` + strconv.Itoa(next+len(args)-1)
	}
	return cond + `)`, args
}

// unitName is the name of the unit at path, 全区 for the whole tree.
func unitName(path, name string) string {
	if path == "/" || name == "" {
		return "全区"
	}
	return name
}

// OpenMeeting creates the meeting of day (today when the office holds it)
// of the transaction's scope, with its generated agenda; Conflict when the
// scope's meeting of that day exists.
func (t *Tx) OpenMeeting(ctx context.Context, day civil.Date) (meeting.Meeting, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return meeting.Meeting{}, err
	}
	unit := t.q.scope.Path
	if !t.q.scope.Contains(unit) {
		return meeting.Meeting{}, errs.New(errs.Forbidden, "没有管辖范围的账号不能召开例会")
	}
	a, err := t.q.Agenda(ctx, day)
	if err != nil {
		return meeting.Meeting{}, err
	}
	raw, _ := json.Marshal(a)
	m := meeting.Meeting{CycleID: cycleID, Unit: unit, HeldOn: day, Agenda: a, CreatedBy: t.q.actor.Name, CreatedAt: t.s.clock()}
	var name string
	if err := t.queryRow(ctx, `SELECT name FROM orgs WHERE path = $1`, unit).Scan(&name); err != nil && err != sql.ErrNoRows {
		return m, err
	}
	m.UnitName = unitName(unit, name)
	err = t.queryRow(ctx, `INSERT INTO daily_meetings (cycle_id, unit_path, held_on, agenda, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, cycleID, unit, day, string(raw), m.CreatedBy, m.CreatedAt).Scan(&m.ID)
	if isUnique(err) {
		return m, errs.Newf(errs.Conflict, "%s 的例会已经创建", day)
	}
	if err != nil {
		return m, fmt.Errorf("open meeting: %w", err)
	}
	return m, t.Audit(ctx, audit.MeetingOpen, On("daily_meeting", itoa(m.ID), meeting.UnitCode(unit)), nil,
		audit.Fields{"day": day, "unit": m.UnitName, "agenda_lines": a.Size()})
}

// MeetingOn is the id of the meeting the reader's own unit opened on day in
// the cycle, 0 when it has not: the page offers to open it or to go in.
func (q *Scoped) MeetingOn(ctx context.Context, day civil.Date) (int64, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return 0, err
	}
	var id int64
	err = q.s.db.QueryRowContext(ctx, `SELECT id FROM daily_meetings WHERE cycle_id = $1 AND unit_path = $2 AND held_on = $3`,
		cycleID, q.scope.Path, day).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, err
}

// meetingToRecord returns the day and unit of meeting id of the cycle when
// the transaction may record it: its scope contains the meeting's unit.
// NotFound for a meeting it cannot see; Forbidden for a meeting of a unit
// above its scope (a district office cannot write the zone's minutes).
func (t *Tx) meetingToRecord(ctx context.Context, id int64) (heldOn civil.Date, unit string, err error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return "", "", err
	}
	err = t.queryRow(ctx, `SELECT held_on, unit_path FROM daily_meetings WHERE id = $1 AND cycle_id = $2`+t.s.forUpdate(),
		id, cycleID).Scan(&heldOn, &unit)
	switch {
	case err != nil:
		return "", "", notFound(err, "没有找到该例会")
	case t.q.scope.Contains(unit):
		return heldOn, unit, nil
	case org.Within(unit).Contains(t.q.scope.Path):
		return "", "", errs.New(errs.Forbidden, "这是上级召开的例会,只有召开例会的单位可以记录纪要和决定事项")
	}
	return "", "", errs.New(errs.NotFound, "没有找到该例会")
}

// RecordMeeting saves a meeting's attendance and minutes.
func (t *Tx) RecordMeeting(ctx context.Context, id int64, attendance []string, minutes string) error {
	if err := meeting.CheckRecord(attendance, minutes); err != nil {
		return err
	}
	_, unit, err := t.meetingToRecord(ctx, id)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE daily_meetings SET attendance = $1, minutes = $2 WHERE id = $3`,
		strings.Join(attendance, "、"), minutes, id); err != nil {
		return err
	}
	return t.Audit(ctx, audit.MeetingRecord, On("daily_meeting", itoa(id), meeting.UnitCode(unit)), nil,
		audit.Fields{"attendance": len(attendance), "minutes_chars": len([]rune(minutes))})
}

// KeepMeetingCheckpoint keeps with the meeting the audit checkpoint signed
// after its minutes were recorded, so that the printed minutes carry the
// head of the log as it was then.
func (t *Tx) KeepMeetingCheckpoint(ctx context.Context, id int64, c audit.Checkpoint) error {
	_, unit, err := t.meetingToRecord(ctx, id)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE daily_meetings SET checkpoint_seq = $1, checkpoint_hash = $2 WHERE id = $3`,
		c.Seq, c.Hash, id); err != nil {
		return err
	}
	return t.Audit(ctx, audit.MeetingHead, On("daily_meeting", itoa(id), meeting.UnitCode(unit)), nil,
		audit.Fields{"seq": c.Seq, "hash": c.Hash})
}

// AddMeetingDecision records a decision of a meeting and makes it a ledger
// item of its community (in the meeting's unit) with the owner and due day.
func (t *Tx) AddMeetingDecision(ctx context.Context, meetingID int64, d meeting.Decision) (meeting.Decision, error) {
	heldOn, unit, err := t.meetingToRecord(ctx, meetingID)
	if err != nil {
		return d, err
	}
	if err := d.Validate(heldOn); err != nil {
		return d, err
	}
	orgID, err := communityInScope(ctx, t.tx, org.Within(unit), d.Community)
	if err != nil {
		return d, errs.OnField("community", "社区不存在或不在本次例会的范围内")
	}
	if d.LedgerItemID, err = t.addDecisionItem(ctx, meetingID, d); err != nil {
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

// DailyMeeting returns one meeting of the cycle that q may see, with its
// decisions about communities in q's scope. Of a meeting of a unit above
// q's scope it gives only the agenda lines about q's communities, and
// neither attendance, minutes nor checkpoint (Partial).
func (q *Scoped) DailyMeeting(ctx context.Context, id int64) (meeting.Meeting, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return meeting.Meeting{}, err
	}
	m := meeting.Meeting{ID: id, CycleID: cycleID}
	visible, args := visibleMeetings(q.scope, 3)
	var agenda, attendance, name string
	err = q.s.db.QueryRowContext(ctx, `SELECT m.held_on, m.unit_path, COALESCE(u.name, ''), m.agenda, m.attendance, m.minutes,
		m.checkpoint_seq, m.checkpoint_hash, m.created_by, m.created_at FROM daily_meetings m LEFT JOIN orgs u ON u.path = m.unit_path
		WHERE m.id = $1 AND m.cycle_id = $2 AND `+visible, append([]any{id, cycleID}, args...)...).Scan(&m.HeldOn, &m.Unit, &name,
		&agenda, &attendance, &m.Minutes, &m.CheckpointSeq, &m.CheckpointHash, &m.CreatedBy, &m.CreatedAt)
	if err != nil {
		return m, notFound(err, "没有找到该例会")
	}
	m.UnitName = unitName(m.Unit, name)
	if err := json.Unmarshal([]byte(agenda), &m.Agenda); err != nil {
		return m, fmt.Errorf("agenda of meeting %d: %w", id, err)
	}
	m.Attendance = meeting.Attendees(attendance)
	lo, hi := q.scope.Bounds()
	if !q.scope.Contains(m.Unit) {
		m.Partial, m.Attendance, m.Minutes, m.CheckpointSeq, m.CheckpointHash = true, nil, "", 0, ""
		mine := map[string]bool{}
		err := q.s.each(ctx, `SELECT code FROM orgs WHERE path >= $1 AND path < $2`, func(rows *sql.Rows) error {
			var code string
			err := rows.Scan(&code)
			mine[code] = true
			return err
		}, lo, hi)
		if err != nil {
			return m, err
		}
		m.Agenda = m.Agenda.Only(func(code string) bool { return mine[code] })
	}
	err = q.s.each(ctx, `SELECT d.id, d.content, o.code, d.owner, d.due_on, COALESCE(d.ledger_item_id, 0) FROM meeting_decisions d
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
	HeldOn     civil.Date
	Unit       string // path of the meeting's unit
	UnitName   string
	Attendance string // "" when the reader sees only its part
	Decisions  int    // about communities in the reader's scope
	Snippet    string // of the minutes
	Partial    bool   // the reader sees only its part of the meeting
}

// DailyMeetings lists the cycle's meetings q may see, newest first, whose
// minutes, attendance or decisions contain search (all when it is empty),
// at most limit. Of a meeting above q's scope, only decisions about q's
// communities are searched and counted, and no minutes or attendance shown.
func (q *Scoped) DailyMeetings(ctx context.Context, search string, limit int) ([]MeetingRow, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := q.scope.Bounds()
	visible, vargs := visibleMeetings(q.scope, 4)
	args := append([]any{cycleID, lo, hi}, vargs...)
	where := `WHERE m.cycle_id = $1 AND ` + visible
	const mine = `JOIN orgs o ON o.id = d.org_id WHERE d.meeting_id = m.id AND o.path >= $2 AND o.path < $3`
	if search = strings.TrimSpace(search); search != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(search) + "%"
		args = append(args, like)
		n := `$` + strconv.Itoa(len(args))
		where += ` AND ((m.unit_path >= $2 AND m.unit_path < $3 AND (m.minutes LIKE ` + n + ` ESCAPE '\' OR m.attendance LIKE ` + n + ` ESCAPE '\'))
			OR EXISTS (SELECT 1 FROM meeting_decisions d ` + mine + ` AND d.content LIKE ` + n + ` ESCAPE '\'))`
	}
	var out []MeetingRow
	err = q.s.each(ctx, `SELECT m.id, m.held_on, m.unit_path, COALESCE(u.name, ''), m.attendance, m.minutes,
		(SELECT COUNT(*) FROM meeting_decisions d `+mine+`) FROM daily_meetings m LEFT JOIN orgs u ON u.path = m.unit_path `+where+
		` ORDER BY m.held_on DESC, m.unit_path LIMIT `+strconv.Itoa(max(limit, 1)), func(rows *sql.Rows) error {
		var r MeetingRow
		if err := rows.Scan(&r.ID, &r.HeldOn, &r.Unit, &r.UnitName, &r.Attendance, &r.Snippet, &r.Decisions); err != nil {
			return err
		}
		r.UnitName = unitName(r.Unit, r.UnitName)
		if !q.scope.Contains(r.Unit) {
			r.Partial, r.Attendance, r.Snippet = true, "", ""
		}
		if rs := []rune(r.Snippet); len(rs) > 80 {
			r.Snippet = string(rs[:80]) + "…"
		}
		out = append(out, r)
		return nil
	}, args...)
	return out, err
}
