package demo

import (
	"context"
	"fmt"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/programme"
	"github.com/huanjie/huanjie/internal/store"
)

// loadProgrammes enters the five-year programmes (programmes.go) through
// the store's own writes, each community's in one transaction by the
// account of its district's team (teamOf), as its new committee hands
// them in: the programme with the default term and title, its goals with
// their measures and milestones, what became of each proposal (visits, the
// stored ids of the visits by client id), and, for the one the residents'
// representatives adopted, the adoption on the load day and the first
// progress of its milestones.
func loadProgrammes(ctx context.Context, list []DemoProgramme, visits map[string]int64, teamOf func(code string) *store.Scoped,
	today civil.Date, progressLine func(string)) error {
	if len(list) == 0 {
		return nil
	}
	adopted := 0
	for _, p := range list {
		err := teamOf(p.OrgCode).Write(ctx, func(tx *store.Tx) error {
			saved, err := tx.SaveProgramme(ctx, p.OrgCode, programme.Programme{}) // the default term and title
			if err != nil {
				return err
			}
			goals := make([]programme.Goal, len(p.Goals))
			for i, dg := range p.Goals {
				g, err := tx.AddGoal(ctx, p.OrgCode, programme.Goal{Title: dg.Title, Area: dg.Area, Measures: dg.Measures})
				if err != nil {
					return fmt.Errorf("goal %s: %w", dg.Title, err)
				}
				goals[i] = g
			}
			milestones := map[[2]int]int64{} // by goal and year of the term
			for i, dg := range p.Goals {
				for y, text := range dg.Milestones {
					if text == "" {
						continue
					}
					m, err := tx.SetMilestone(ctx, p.OrgCode, goals[i].ID, programme.Milestone{Year: saved.StartYear + y, Text: text})
					if err != nil {
						return fmt.Errorf("goal %s, year %d: %w", dg.Title, saved.StartYear+y, err)
					}
					milestones[[2]int{i, y}] = m.ID
				}
			}
			for _, dp := range p.Proposals {
				if dp.Outcome == "" {
					continue
				}
				d := programme.Disposition{Outcome: dp.Outcome, Note: dp.Note}
				if dp.Goal >= 0 {
					d.Goal = goals[dp.Goal].ID
				}
				if _, err := tx.DisposeProposal(ctx, p.OrgCode, visits[dp.ClientID], d); err != nil {
					return fmt.Errorf("proposal of visit %s: %w", dp.ClientID, err)
				}
			}
			a := p.Adoption
			if a == nil {
				return nil
			}
			if _, err := tx.AdoptProgramme(ctx, p.OrgCode, programme.Adoption{On: today, Meeting: a.Meeting, Document: a.Document}); err != nil {
				return err
			}
			for _, r := range a.Progress {
				if _, err := tx.ReportMilestone(ctx, p.OrgCode, milestones[[2]int{r.Goal, r.Year}],
					programme.Report{State: r.State, Note: r.Note}); err != nil {
					return fmt.Errorf("progress of goal %s: %w", p.Goals[r.Goal].Title, err)
				}
			}
			adopted++
			return nil
		})
		if err != nil {
			return fmt.Errorf("demo programme of %s: %w", p.OrgCode, err)
		}
	}
	progressLine(fmt.Sprintf("五年施政纲领 %d 个(%d 个已经居民代表会议通过)", len(list), adopted))
	return nil
}
