package store

import (
	"context"

	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/meeting"
	"github.com/huanjie/huanjie/internal/org"
)

// The agenda's parts that come from the ledger and the progress table, and
// the ledger item a meeting decision becomes.

// agendaDue lists the ledger items due or overdue on day (DueLines), then
// the open plan measures due (DueMeasures), as DueAndOverdue does.
func (s *Store) agendaDue(ctx context.Context, scope org.Scope, cycleID int64, day string) ([]meeting.ItemLine, error) {
	lines, err := s.DueLines(ctx, scope, cycleID, day)
	if err != nil {
		return nil, err
	}
	measures, err := s.DueMeasures(ctx, scope, cycleID, day, 0)
	out := make([]meeting.ItemLine, 0, len(lines)+len(measures))
	for _, l := range lines {
		out = append(out, meeting.ItemLine{ID: l.ID, Community: l.Community, Content: l.Content, Owner: l.Owner, Due: l.Due,
			Overdue: l.Due < day})
	}
	for _, it := range measures {
		out = append(out, meeting.ItemLine{ID: it.ID, Community: it.Community, Content: it.Content, Owner: it.Owner, Due: it.Due,
			Overdue: it.Due < day})
	}
	return out, err
}

func (s *Store) agendaLateStages(ctx context.Context, scope org.Scope, cycleID int64, day string) ([]meeting.StageLine, error) {
	late, err := s.LateStages(ctx, scope, cycleID, day)
	out := make([]meeting.StageLine, len(late))
	for i, l := range late {
		out[i] = meeting.StageLine{Community: l.Name, Stage: l.StageName, Deadline: l.Deadline}
	}
	return out, err
}

func (t *Tx) addDecisionItem(ctx context.Context, scope org.Scope, cycleID, meetingID int64, d meeting.Decision) (int64, error) {
	it, err := t.AddLedgerItem(ctx, scope, cycleID, ledger.Item{OrgCode: d.Community, Source: ledger.FromMeeting,
		SourceRef: itoa(meetingID), Content: d.Content, Risk: ledger.Medium, Owner: d.Owner, Due: d.Due})
	return it.ID, err
}
