package demo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/visit"
)

// loadVisits enters the zone's three rounds of visits (visits.go) through
// the store's own writes, each by the account whose act it is: the office
// (admin) sets the rounds' dates, imports each community's register and
// defines the research activities with their findings; each district's
// liaison enters the visits of its communities, one community a
// transaction, each visit checked and audited as the visit form's are,
// and carries the ledger items their problems became as far as the load
// day: under way, or closed with a closing note. (The day's progress notes
// are left to the teams: a note names the account that writes it, and the
// demo's notes name people, load_ones.go.) The visits are entered on the
// load day from the teams' paper records, so the ledger items they make
// are created that day, due in the days after it. Days count back from
// the load day; no visit is dated after it.
func loadVisits(ctx context.Context, st *store.Store, z Zone, progressLine func(string)) error {
	dv := z.Visits
	if len(dv.Registers) == 0 {
		return nil
	}
	users, err := st.Zone(store.System).ListUsers(ctx)
	if err != nil {
		return err
	}
	byName := map[string]account.User{}
	for _, u := range users {
		byName[u.Username] = u
	}
	liaison := map[string]*store.Scoped{} // by district
	var office *store.Scoped
	for _, a := range z.Accounts {
		u, ok := byName[a.Username]
		switch {
		case !ok:
		case a.Role == account.Admin && office == nil:
			office = st.For(u)
		case a.Role == account.District && a.Duty == "":
			liaison[a.Scope] = st.For(u)
		}
	}
	if office == nil {
		return fmt.Errorf("demo visits: no office account")
	}
	today := st.Today()
	day := func(ago int) civil.Date { return today.AddDays(-ago) }

	// The register, with the ids the store gave it.
	registers := make([]DemoRegister, len(dv.Registers))
	households, people := 0, 0
	err = office.Write(ctx, func(tx *store.Tx) error {
		for _, r := range dv.Rounds {
			if _, err := tx.SetCampaign(ctx, visit.Campaign{Round: r.Round, StartsOn: day(r.StartsAgo), EndsOn: day(r.EndsAgo),
				HouseholdPercent: visit.DefaultHouseholdPercent, TalkAll: r.Round == visit.Before}); err != nil {
				return fmt.Errorf("round %s: %w", r.Round, err)
			}
		}
		for i, r := range dv.Registers {
			r.Households, r.People = append([]visit.Household(nil), r.Households...), append([]visit.Person(nil), r.People...)
			if _, err := tx.ImportHouseholds(ctx, r.OrgCode, r.Households); err != nil {
				return fmt.Errorf("households of %s: %w", r.OrgCode, err)
			}
			if _, err := tx.ImportVisitPeople(ctx, r.OrgCode, r.People); err != nil {
				return fmt.Errorf("people of %s: %w", r.OrgCode, err)
			}
			registers[i] = r
			households, people = households+len(r.Households), people+len(r.People)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo registers: %w", err)
	}
	progressLine(fmt.Sprintf("走访名单 %d 户 %d 人", households, people))

	research, err := loadResearch(ctx, office, dv.Research, day, progressLine)
	if err != nil {
		return err
	}

	// The sitting members' ids, in the order of z.Members (the order they
	// were imported in, and so of their ids).
	memberIDs := make([]int64, len(z.Members))
	at := map[string][]int{}
	for i, m := range z.Members {
		at[m.OrgCode] = append(at[m.OrgCode], i)
	}
	district := z.Parents()
	teamOf := func(code string) *store.Scoped {
		if db := liaison[district[code]]; db != nil {
			return db
		}
		return office
	}
	// Each register's visits are dv.Visits[from[i]:from[i+1]]; the
	// districts' liaisons enter theirs side by side (Store.SideBySide),
	// each district's communities in turn.
	from := make([]int, len(registers)+1)
	var districts [][]int // the registers' indexes, by district
	for i, r := range registers {
		end := from[i]
		for end < len(dv.Visits) && dv.Visits[end].Community == r.OrgCode {
			end++
		}
		from[i+1] = end
		if i == 0 || district[registers[i-1].OrgCode] != district[r.OrgCode] {
			districts = append(districts, nil)
		}
		districts[len(districts)-1] = append(districts[len(districts)-1], i)
	}
	var mu sync.Mutex // guards what follows, and progressLine
	visits, items, done := 0, 0, 0
	stored := map[string]int64{} // visit ids by client id
	err = st.SideBySide(len(districts), func(k int) error {
		for _, i := range districts[k] {
			r := registers[i]
			db := teamOf(r.OrgCode)
			members, err := db.Members(ctx, r.OrgCode) // every row: a member holding both posts has one in each committee
			if err != nil {
				return err
			}
			slices.SortFunc(members, func(a, b org.Member) int { return cmp.Compare(a.ID, b.ID) })
			if len(members) != len(at[r.OrgCode]) {
				return fmt.Errorf("demo visits: %s has %d members stored, %d generated", r.OrgCode, len(members), len(at[r.OrgCode]))
			}
			for k, m := range at[r.OrgCode] {
				if members[k].Name != z.Members[m].Name {
					return fmt.Errorf("demo visits: %s's member %d is %s, generated %s", r.OrgCode, k, members[k].Name, z.Members[m].Name)
				}
				memberIDs[m] = members[k].ID // each community's own indexes
			}
			next, end := from[i], from[i+1]
			made := 0
			var got []visit.Visit
			err = db.Write(ctx, func(tx *store.Tx) error {
				batch := make([]visit.Visit, 0, end-next)
				for _, d := range dv.Visits[next:end] {
					v := d.Visit
					v.Day = day(d.DaysAgo)
					switch {
					case d.HouseholdAt >= 0:
						v.Household = r.Households[d.HouseholdAt].ID
					case d.PersonAt >= 0:
						v.Person = r.People[d.PersonAt].ID
					default:
						v.Member = memberIDs[d.MemberAt]
					}
					if d.Research > 0 {
						v.Activity = research[d.Research-1]
					}
					v.Problems = append([]visit.Problem(nil), v.Problems...)
					for k := range v.Problems {
						if v.Problems[k].FollowUp {
							v.Problems[k].Due = today.AddDays(d.Follow[k].DueIn)
						}
					}
					batch = append(batch, v)
				}
				var err error
				got, err = tx.RecordVisits(ctx, batch) // the community's visits in one batch
				if err != nil {
					return err
				}
				made = 0
				for j, v := range got {
					for k, p := range v.Problems {
						if p.LedgerItem == 0 {
							continue
						}
						made++
						if err := follow(ctx, tx, p.LedgerItem, dv.Visits[next+j].Follow[k]); err != nil {
							return fmt.Errorf("ledger item of visit %s: %w", v.ClientID, err)
						}
					}
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("demo visits of %s: %w", r.OrgCode, err)
			}
			mu.Lock()
			for _, v := range got {
				stored[v.ClientID] = v.ID
			}
			visits, items, done = visits+end-next, items+made, done+1
			mu.Unlock()
		}
		mu.Lock()
		progressLine(fmt.Sprintf("各社区走访记录 %d/%d", done, len(registers)))
		mu.Unlock()
		return nil
	})
	if err != nil {
		return err
	}
	progressLine(fmt.Sprintf("走访 %d 次,转为台账事项 %d 项", visits, items))
	return loadProgrammes(ctx, dv.Programmes, stored, teamOf, today, progressLine)
}

// follow carries the ledger item a visit's problem became to where f
// says it stood on the load day.
func follow(ctx context.Context, tx *store.Tx, id int64, f DemoFollow) error {
	switch f.Status {
	case ledger.InProgress:
		return tx.StartLedgerItem(ctx, id)
	case ledger.Closed:
		return tx.CloseLedgerItem(ctx, id, f.Note, "")
	}
	return nil
}

// loadResearch defines the research activities as the office, with their
// findings, each attached to its community's current assessment or main
// plan where the draw says; it returns the activities' ids in order.
func loadResearch(ctx context.Context, office *store.Scoped, list []DemoResearch, day func(int) civil.Date,
	progressLine func(string)) ([]int64, error) {
	ids := make([]int64, len(list))
	assessment, plan := map[string]int64{}, map[string]int64{}
	for _, r := range list {
		for _, f := range r.Findings {
			switch {
			case f.Assessment && assessment[f.OrgCode] == 0:
				as, err := office.Assessments(ctx, f.OrgCode)
				if err != nil {
					return nil, err
				}
				if len(as) > 0 {
					assessment[f.OrgCode] = as[0].ID // the newest, in force
				}
			case f.Plan && plan[f.OrgCode] == 0:
				ps, err := office.Plans(ctx, f.OrgCode)
				if err != nil {
					return nil, err
				}
				for _, p := range ps {
					if p.Kind == assess.MainPlan {
						plan[f.OrgCode] = p.ID
					}
				}
			}
		}
	}
	findings := 0
	err := office.Write(ctx, func(tx *store.Tx) error {
		for i, r := range list {
			a, err := tx.AddResearchActivity(ctx, visit.Activity{Name: r.Name, StartsOn: day(r.StartsAgo), EndsOn: day(r.EndsAgo),
				Team: r.Team, Communities: r.Communities})
			if err != nil {
				return fmt.Errorf("%s: %w", r.Name, err)
			}
			ids[i] = a.ID
			for _, f := range r.Findings {
				vf := visit.Finding{Community: f.OrgCode, Text: f.Text, Day: day(f.DaysAgo)}
				if f.Assessment {
					vf.AssessmentID = assessment[f.OrgCode]
				}
				if f.Plan {
					vf.PlanID = plan[f.OrgCode]
				}
				if _, err := tx.AddFinding(ctx, a.ID, vf); err != nil {
					return fmt.Errorf("%s, finding in %s: %w", r.Name, f.OrgCode, err)
				}
				findings++
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("demo research: %w", err)
	}
	progressLine(fmt.Sprintf("调研活动 %d 项,调研发现 %d 条", len(list), findings))
	return ids, nil
}
