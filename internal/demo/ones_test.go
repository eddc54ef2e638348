package demo_test

import (
	"context"
	"testing"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// The demo zone's three ones: a team per district, late stages, overdue and
// closed ledger items, a week of meetings; today's generated agenda lists
// every overdue item and every late stage.
func TestDemoOnes(t *testing.T) {
	ctx := context.Background()
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		z := demo.Generate(demo.DefaultSeed, demo.DefaultCommunities)
		if err := demo.Load(ctx, st, z, nil); err != nil {
			t.Fatal(err)
		}
		zone := st.Zone(store.System)
		teams, err := zone.WorkTeams(ctx)
		if err != nil || len(teams) != 4 {
			t.Fatalf("teams %d %v", len(teams), err)
		}
		today := civil.Of(st.Now())
		late, err := zone.LateStages(ctx, today)
		if err != nil || len(late) == 0 {
			t.Fatalf("late stages %d %v", len(late), err)
		}
		due, err := zone.DueAndOverdue(ctx, today)
		if err != nil {
			t.Fatal(err)
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
