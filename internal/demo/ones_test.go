package demo_test

import (
	"context"
	"testing"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/store"
)

// The demo zone's three ones: a team per district, late stages, overdue and
// closed ledger items, a week of meetings; today's generated agenda lists
// every overdue item and every late stage.
func TestDemoOnes(t *testing.T) {
	ctx := context.Background()
	loadedDemo.ForEach(t, func(t *testing.T, st *store.Store) {
		zone := st.Zone(store.System)
		teams, n, err := zone.WorkTeams(ctx, store.WorkTeamFilter{})
		if err != nil || len(teams) != 4 || n != 4 {
			t.Fatalf("teams %d, counted %d %v", len(teams), n, err)
		}
		// A page of one, the second: its team with its own cadres only.
		second, n, err := zone.WorkTeams(ctx, store.WorkTeamFilter{Page: store.Page{Limit: 1, Offset: 1}})
		if err != nil || n != 4 || len(second) != 1 || second[0].DistrictCode != teams[1].DistrictCode ||
			len(second[0].Cadres) != len(teams[1].Cadres) || len(second[0].Members) != len(teams[1].Members) {
			t.Fatalf("the second team of four alone: %+v, counted %d %v; want %+v", second, n, err, teams[1])
		}
		today := civil.Of(st.Now())
		late, err := zone.LateStages(ctx, today, 0)
		if err != nil || len(late) == 0 {
			t.Fatalf("late stages %d %v", len(late), err)
		}
		due, err := zone.DueAndOverdue(ctx, today)
		if err != nil {
			t.Fatal(err)
		}
		// Overdue matters vary from community to community, and each names
		// its 包社区领导, not a placeholder.
		contents := map[string]bool{}
		for _, it := range due {
			if it.ID == 0 {
				continue // a plan measure, not a ledger item
			}
			if it.Due < today {
				contents[it.Content] = true
			}
			if it.Leader == "" || it.Leader == "包社区领导" {
				t.Errorf("item %d of %s: leader %q", it.ID, it.OrgCode, it.Leader)
			}
		}
		if len(contents) < 4 {
			t.Errorf("%d different overdue matters in the demo, want a variety", len(contents))
		}
		overdue := map[int64]bool{}
		for _, it := range due {
			if it.ID != 0 && it.Due < today {
				overdue[it.ID] = true
			}
		}
		if len(overdue) < demo.DefaultCommunities {
			t.Fatalf("%d overdue ledger items, want at least one per community", len(overdue))
		}
		if ms, err := zone.DailyMeetings(ctx, "", 100); err != nil || len(ms) != 7 {
			t.Fatalf("meetings %d %v", len(ms), err)
		}
		agenda, err := zone.Agenda(ctx, today)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range agenda.Due {
			delete(overdue, it.ID)
		}
		if len(overdue) != 0 || len(agenda.LateStages) != len(late) || len(agenda.Decisions) != 1 {
			t.Fatalf("agenda misses %d overdue items; %d of %d late stages; %d decisions of yesterday",
				len(overdue), len(agenda.LateStages), len(late), len(agenda.Decisions))
		}
	})
}
