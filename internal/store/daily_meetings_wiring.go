package store

import (
	"context"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/meeting"
)

// The agenda's parts that come from the ledger and the progress table, and
// the ledger item a meeting decision becomes.

// agendaDue lists the ledger items due or overdue on day (DueLines), then
// the open plan measures due (DueMeasures), as DueAndOverdue does.
func (q *Scoped) agendaDue(ctx context.Context, day civil.Date) ([]meeting.ItemLine, error) {
	lines, err := q.DueLines(ctx, day)
	if err != nil {
		return nil, err
	}
	measures, err := q.DueMeasures(ctx, day, 0)
	out := make([]meeting.ItemLine, 0, len(lines)+len(measures))
	for _, l := range lines {
		out = append(out, meeting.ItemLine{ID: l.ID, Code: l.Code, Community: l.Community, Content: l.Content, Owner: l.Owner,
			Due: l.Due, Overdue: l.Due < day})
	}
	for _, it := range measures {
		out = append(out, meeting.ItemLine{ID: it.ID, Code: it.OrgCode, Community: it.Community, Content: it.Content, Owner: it.Owner,
			Due: it.Due, Overdue: it.Due < day})
	}
	return out, err
}

func (q *Scoped) agendaLateStages(ctx context.Context, a *meeting.Agenda) error {
	late, err := q.LateStages(ctx, a.Day, meeting.SectionMax+1)
	late = capped(a, "late_stages", late)
	out := make([]meeting.StageLine, len(late))
	for i, l := range late {
		out[i] = meeting.StageLine{Code: l.Code, Community: l.Name, Stage: l.StageName, Deadline: l.Deadline}
	}
	a.LateStages = out
	return err
}

// capped keeps the first meeting.SectionMax of a section's lines, read one
// more than that, and marks the agenda's section as cut when there were more.
func capped[T any](a *meeting.Agenda, section string, lines []T) []T {
	if len(lines) > meeting.SectionMax {
		a.Capped = append(a.Capped, section)
		return lines[:meeting.SectionMax]
	}
	return lines
}

func (t *Tx) addDecisionItem(ctx context.Context, meetingID int64, d meeting.Decision) (int64, error) {
	it, err := t.AddLedgerItem(ctx, ledger.Item{OrgCode: d.Community, Source: ledger.FromMeeting,
		SourceRef: itoa(meetingID), Content: d.Content, Risk: ledger.Medium, Owner: d.Owner, Due: d.Due})
	return it.ID, err
}
