package demo_test

import (
	"context"
	"slices"
	"testing"

	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/programme"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/visit"
)

// The demo zone's five-year programmes (issue 16, point 8), read back
// through the store on both engines: the few communities that elected
// their residents' committee first, and only they, have one, over the
// term that starts the year of that vote, with the goals, measures and
// yearly milestones drawn; every proposal is a visit of the round after,
// made after the community's residents' vote and before the load day,
// listed with what became of it: adopted or merged into its goal, or
// declined with a reason, or (in two drafts) still waiting. One programme
// was adopted by the residents' representatives on the load day, with
// every proposal disposed of, a merge and a reasoned decline among them,
// and progress reported on the first year's milestones, some done; of the
// drafts one is ready to put to the representatives and the others are
// not.
func TestDemoProgrammes(t *testing.T) {
	ctx := context.Background()
	loadedDemo.ForEach(t, func(t *testing.T, st *store.Store) {
		z := demo.Generate(demo.DefaultSeed, demo.DefaultCommunities)
		zone := st.Zone(store.System)
		today := st.Today()
		drawn := map[string]demo.DemoProgramme{}
		for _, p := range z.Visits.Programmes {
			drawn[p.OrgCode] = p
		}
		if len(drawn) < 3 || len(drawn) > demo.ProgrammesUpTo {
			t.Fatalf("%d programmes drawn, want 3 or 4", len(drawn))
		}
		adopted, ready, blocked, merged, declined := 0, 0, 0, 0, 0
		for _, u := range z.Units {
			if u.Kind != org.Community {
				continue
			}
			p, ok, err := zone.Programme(ctx, u.Code)
			if err != nil {
				t.Fatal(err)
			}
			d, want := drawn[u.Code]
			if ok != want {
				t.Errorf("%s has a programme: %v, drawn: %v", u.Name, ok, want)
			}
			if !ok {
				continue
			}
			cd, err := zone.CommunityDays(ctx, u.Code)
			if err != nil {
				t.Fatal(err)
			}
			voted := cd.Days.Residents
			if voted == "" || voted >= today || p.StartYear != programme.YearOf(voted) || p.EndYear != p.StartYear+4 ||
				p.Title != programme.DefaultTitle(u.Name, p.StartYear, p.EndYear) {
				t.Errorf("%s: %s, %s, its residents' committee elected on %s", u.Name, p.Title, p.Term(), voted)
			}

			// Goals, measures and milestones as drawn.
			if len(p.Goals) != len(d.Goals) {
				t.Fatalf("%s: %d goals, drawn %d", u.Name, len(p.Goals), len(d.Goals))
			}
			for i, g := range p.Goals {
				dg := d.Goals[i]
				if g.Seq != i+1 || g.Title != dg.Title || g.Area != dg.Area || g.Measures != dg.Measures {
					t.Errorf("%s goal %d: %+v, drawn %+v", u.Name, i+1, g, dg)
				}
				var texts []string
				for _, m := range g.Milestones {
					for len(texts) < m.Year-p.StartYear {
						texts = append(texts, "")
					}
					texts = append(texts, m.Text)
				}
				want := slices.Clone(dg.Milestones)
				for len(want) > 0 && want[len(want)-1] == "" {
					want = want[:len(want)-1]
				}
				if !slices.Equal(texts, want) {
					t.Errorf("%s goal %s: milestones %q, drawn %q", u.Name, g.Title, texts, want)
				}
			}

			// Every proposal a visit of the round after, with what became of it.
			page, err := zone.ProgrammeProposals(ctx, u.Code, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			byClient := map[string]demo.DemoProposal{}
			pending := 0
			for _, dp := range d.Proposals {
				byClient[dp.ClientID] = dp
				if dp.Outcome == "" {
					pending++
				}
			}
			if page.Total != len(d.Proposals) || len(page.Proposals) != page.Total || page.Pending != pending {
				t.Errorf("%s: %d proposals listed (%d pending), drawn %d (%d pending)", u.Name, page.Total, page.Pending, len(d.Proposals), pending)
			}
			for _, pr := range page.Proposals {
				v, err := zone.Visit(ctx, pr.Visit)
				if err != nil {
					t.Fatal(err)
				}
				dp, ok := byClient[v.ClientID]
				if !ok || v.Round != visit.After || v.Day <= voted || v.Day >= today || v.Proposals != pr.Text || pr.Text == "" ||
					len(pr.Visitors) == 0 || pr.Target == "" {
					t.Errorf("%s: proposal %q on visit %+v, want a drawn visit of the round after, after %s and before %s", u.Name, pr.Text,
						v, voted, today)
					continue
				}
				got := pr.Disposition
				switch {
				case dp.Outcome == "":
					if got != nil {
						t.Errorf("%s: proposal %q disposed of as %+v, drawn pending", u.Name, pr.Text, got)
					}
					continue
				case got == nil || got.Outcome != dp.Outcome || got.Note != dp.Note || got.DecidedOn != today:
					t.Errorf("%s: proposal %q disposed of as %+v, drawn %+v", u.Name, pr.Text, got, dp)
					continue
				case dp.Outcome == programme.Decline:
					declined++
					if got.Goal != 0 || got.Note == "" {
						t.Errorf("%s: proposal %q declined into goal %d, reason %q", u.Name, pr.Text, got.Goal, got.Note)
					}
				default:
					if dp.Outcome == programme.Merge {
						merged++
					}
					if got.GoalTitle != d.Goals[dp.Goal].Title {
						t.Errorf("%s: proposal %q into goal %q, drawn %q", u.Name, pr.Text, got.GoalTitle, d.Goals[dp.Goal].Title)
					}
				}
			}

			// Adopted on the load day with its first progress, or a draft.
			years, total := p.Progress(today)
			switch {
			case d.Adoption != nil:
				adopted++
				if p.Status != programme.Adopted || p.Adoption.On != today || p.Adoption.Meeting != d.Adoption.Meeting ||
					p.Adoption.Document != d.Adoption.Document || page.Pending != 0 {
					t.Errorf("%s adopted: %+v, %d proposals pending", u.Name, p.Adoption, page.Pending)
				}
				reported := 0
				for _, g := range p.Goals {
					for _, m := range g.Milestones {
						if m.ReportedOn != "" {
							reported++
							if m.ReportedOn != today || m.Year != p.StartYear || m.State == programme.NotStarted {
								t.Errorf("%s: milestone %+v reported", u.Name, m)
							}
						}
					}
				}
				if reported != len(d.Adoption.Progress) || years[0].Done == 0 || years[0].Underway == 0 || total.Done != years[0].Done {
					t.Errorf("%s: %d milestones reported, first year %+v, drawn %d reports", u.Name, reported, years[0], len(d.Adoption.Progress))
				}
			case p.Status != programme.Draft:
				t.Errorf("%s: %s, drawn a draft", u.Name, p.Status.Label())
			case p.Adoptable(page.Pending) == nil:
				ready++
			default:
				blocked++
			}
		}
		if adopted != 1 || ready != 1 || blocked == 0 || merged == 0 || declined == 0 {
			t.Errorf("%d programmes adopted, %d drafts ready, %d not yet; %d proposals merged, %d declined: want one adopted, "+
				"one ready, others not, some merged and declined", adopted, ready, blocked, merged, declined)
		}
		cov, err := zone.Coverage(ctx, visit.After, false, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if cov.Total.Reached == 0 {
			t.Error("the round after reached no household")
		}
	})
}
