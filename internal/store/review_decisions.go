package store

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/huanjie/huanjie/internal/vetting"
)

// DecisionRow is one second-review decision with its meeting and its
// aspirant, as the export of decisions lists it.
type DecisionRow struct {
	vetting.Decision
	Meeting  vetting.Meeting
	Aspirant AspirantRow // masked, as Aspirants reads it
}

// DecisionFilter narrows Decisions: the decisions of one meeting (0: of
// every meeting) on the aspirants Aspirants lists under Aspirants (its
// paging aside).
type DecisionFilter struct {
	Meeting   int64
	Aspirants AspirantFilter
}

// Decisions lists the cycle's second-review decisions on aspirants of
// communities in scope, as the pages order them: meetings newest first (the
// second-review page), in each the aspirants by community and registration
// (a meeting's page), each aspirant's decisions in the order they were made.
func (q *Scoped) Decisions(ctx context.Context, f DecisionFilter) ([]DecisionRow, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	where, args := aspirantWhere(q.scope, cycleID, f.Aspirants)
	if f.Meeting != 0 {
		args = append(args, f.Meeting)
		where += ` AND m.id = $` + strconv.Itoa(len(args))
	}
	var out []DecisionRow
	err = q.s.each(ctx, `SELECT `+aspirantColumns+`, m.id, m.held_on, m.title, m.doc_no, d.id, d.outcome, d.condition,
		COALESCE(d.case_id, 0), d.persuaded_by, d.persuaded_on, d.withdrawn, d.persuasion_note, d.note, d.decided_by, d.decided_at`+
		aspirantFrom+`JOIN review_decisions d ON d.aspirant_id = a.id JOIN review_meetings m ON m.id = d.meeting_id `+
		where+` AND m.cycle_id = $1 ORDER BY m.held_on DESC, m.id DESC, o.path, a.id, d.id`, func(rows *sql.Rows) error {
		var r DecisionRow
		var p vetting.Persuasion
		a, err := q.s.scanAspirant(rowScanner{rows, []any{&r.Meeting.ID, &r.Meeting.HeldOn, &r.Meeting.Title, &r.Meeting.DocNo,
			&r.ID, &r.Outcome, &r.Condition, &r.CaseID, &p.By, &p.On, &p.Withdrawn, &p.Note, &r.Note, &r.By, &r.At}})
		if err != nil {
			return err
		}
		r.Aspirant, r.AspirantID, r.MeetingID, r.Meeting.CycleID = a, a.ID, r.Meeting.ID, cycleID
		if p.By != "" {
			r.Persuasion = &p
		}
		out = append(out, r)
		return nil
	}, args...)
	return out, err
}

// rowScanner scans a row into what scan asks for, then into extra: the
// columns a query selects after those of a scan function.
type rowScanner struct {
	rows  *sql.Rows
	extra []any
}

func (r rowScanner) Scan(dest ...any) error { return r.rows.Scan(append(dest, r.extra...)...) }
