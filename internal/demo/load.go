package demo

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

// batch is how many units go into one transaction, so that a 100,000-unit
// zone never holds the write lock for long and shows its progress.
const batch = 5000

// Load writes a generated zone into an empty database. progress, if not nil,
// receives one line per batch.
func Load(ctx context.Context, st *store.Store, z Zone, progress func(string)) error {
	return LoadWith(ctx, st, z, LoadOptions{Progress: progress})
}

// LoadOptions are what a load may be given beyond the zone.
type LoadOptions struct {
	// Progress, if not nil, receives one line per batch.
	Progress func(string)
	// FileReports, if not nil, files the reports of the ballots the load
	// confirmed into the archive (the web layer writes them:
	// web.FileReports), as the confirm handler does at each confirmation:
	// right after the votes, before the daily meetings, whose agendas list
	// the reports not filed. It returns how many it filed.
	FileReports func(context.Context) (int, error)
}

// LoadWith is Load with options.
func LoadWith(ctx context.Context, st *store.Store, z Zone, o LoadOptions) error {
	progress := o.Progress
	if progress == nil {
		progress = func(string) {}
	}
	zone := st.Zone(store.System)
	existing, err := zone.CountOrgs(ctx)
	if err != nil {
		return err
	}
	if existing.Zones+existing.Districts+existing.Communities > 0 {
		return errs.New(errs.Conflict, "数据库中已有组织数据,演示数据只能装入空库")
	}
	cycle, err := st.CurrentCycle(ctx)
	if err != nil {
		return err
	}
	hashes := hashAhead(z.Accounts)
	ids := map[string]int64{}
	for start := 0; start < len(z.Units); start += batch {
		part := z.Units[start:min(start+batch, len(z.Units))]
		err := zone.Write(ctx, func(tx *store.Tx) error {
			got, err := tx.ImportOrgs(ctx, part, true)
			for code, id := range got {
				ids[code] = id
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("demo units: %w", err)
		}
		progress(fmt.Sprintf("组织 %d/%d", start+len(part), len(z.Units)))
	}
	for start := 0; start < len(z.Members); start += batch {
		part := z.Members[start:min(start+batch, len(z.Members))]
		members := make([]org.Member, len(part))
		for i, m := range part {
			members[i] = m.Member
			members[i].OrgID = ids[m.OrgCode]
		}
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			return tx.ImportMembers(ctx, members)
		}); err != nil {
			return fmt.Errorf("demo members: %w", err)
		}
		progress(fmt.Sprintf("两委成员 %d/%d", start+len(part), len(z.Members)))
	}
	if err := loadCampaign(ctx, st, z, progress); err != nil {
		return err
	}
	if err := loadDays(ctx, st, z, progress); err != nil {
		return err
	}
	aspirantIDs, err := loadGates(ctx, st, z, cycle, progress)
	if err != nil {
		return err
	}
	if err := loadThirdGate(ctx, st, z, aspirantIDs, progress); err != nil {
		return err
	}
	if err := loadElectorate(ctx, st, z, progress); err != nil {
		return err
	}
	hashed, err := hashes()
	if err != nil {
		return err
	}
	err = zone.Write(ctx, func(tx *store.Tx) error {
		for i, a := range z.Accounts {
			_, err := tx.AddUser(ctx, account.NewUser{
				Username: a.Username, DisplayName: a.DisplayName, Role: a.Role,
				ScopeCode: a.Scope, DepartmentCode: a.Department, PasswordHash: hashed[i],
			})
			if err != nil {
				return fmt.Errorf("demo account %s: %w", a.Username, err)
			}
		}
		if len(z.Assignments) == 0 {
			return nil
		}
		return tx.ImportAssignments(ctx, z.Assignments)
	})
	if err != nil {
		return err
	}
	// After the accounts its teams name; the elections after the accounts
	// that hold them and the progress marks their own marks depend on, and
	// before the daily meetings, whose agendas read them.
	err = loadOnes(ctx, st, z, cycle, progress, func() error {
		if err := loadElections(ctx, st, z, aspirantIDs, progress); err != nil {
			return err
		}
		if o.FileReports == nil || len(z.Elections) == 0 {
			return nil
		}
		n, err := o.FileReports(ctx)
		if err != nil {
			return fmt.Errorf("demo reports: %w", err)
		}
		progress(fmt.Sprintf("选举结果报告单归档 %d 份", n))
		return nil
	})
	if err != nil {
		return err
	}
	// Last: the ledger items the visits' problems become are created on
	// the load day, after the week of meetings before it.
	if err := loadVisits(ctx, st, z, progress); err != nil {
		return err
	}
	return st.Analyze(ctx)
}

// hashAhead hashes the accounts' passwords on another core while the zone
// loads, as argon2id takes tens of milliseconds a password and the zone has
// an account per role and per vetting department; the function returned
// waits for the hashes.
func hashAhead(accounts []Account) func() ([]string, error) {
	hashes := make([]string, len(accounts))
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i, a := range accounts {
			if hashes[i], err = account.HashPassword(a.Password); err != nil {
				return
			}
		}
	}()
	return func() ([]string, error) {
		<-done
		return hashes, err
	}
}

// loadCampaign writes the assessments and plans of the current cycle, dated
// back from today.
func loadCampaign(ctx context.Context, st *store.Store, z Zone, progress func(string)) error {
	zone := st.Zone(store.System)
	now := st.Now()
	day := civil.Of(now).AddDays
	// The communities' assessments (one each) in imports of 2,500, side by
	// side (Store.SideBySide), each filled table's statistics gathered after
	// each; a line each batch.
	const part = batch / 2
	var mu sync.Mutex // guards done and progress
	done := 0
	err := st.SideBySide((len(z.Assessments)+part-1)/part, func(k int) error {
		chunk := z.Assessments[k*part : min((k+1)*part, len(z.Assessments))]
		items := make([]assess.Assessment, len(chunk))
		for i, d := range chunk {
			items[i] = assess.Assessment{OrgCode: d.OrgCode, AssessedOn: day(-d.DaysAgo), Assessors: d.Assessors,
				Findings: d.Findings, Scores: d.Scores}
		}
		err := zone.Write(ctx, func(tx *store.Tx) error {
			return tx.ImportAssessments(ctx, items, func(a assess.Assessment) time.Time {
				t := a.AssessedOn.Start()
				if t = t.Add(9 * time.Hour); t.After(now) { // today's, before 09:00
					return now
				}
				return t
			})
		})
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if done += len(chunk); done%batch == 0 || done == len(z.Assessments) {
			progress(fmt.Sprintf("研判 %d/%d", done, len(z.Assessments)))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo assessments: %w", err)
	}
	if len(z.Plans) == 0 {
		return nil
	}
	plans := make([]assess.Plan, len(z.Plans))
	for i, d := range z.Plans {
		plans[i] = d.Plan
		for _, m := range d.Measures {
			m.Measure.Due = day(m.DueIn)
			if m.Done {
				m.Measure.DoneOn = day(-m.DoneAgo)
			}
			plans[i].Measures = append(plans[i].Measures, m.Measure)
		}
	}
	if err := zone.Write(ctx, func(tx *store.Tx) error { return tx.ImportPlans(ctx, plans) }); err != nil {
		return fmt.Errorf("demo plans: %w", err)
	}
	progress(fmt.Sprintf("方案 %d", len(plans)))
	return nil
}
