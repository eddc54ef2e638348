package demo

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/store"
)

// gatesLead is how many days before the zone's first party election the
// gates' days count back from, in a zone that has held its elections: the
// party committee's second review then comes before the third gate's
// recommendations and assessments (a week and more before each party
// election, loadThirdGate).
const gatesLead = 24

// electionsOf are the zone's elections by community code.
func electionsOf(z Zone) map[string]*DemoElection {
	out := make(map[string]*DemoElection, len(z.Elections))
	for i := range z.Elections {
		out[z.Elections[i].OrgCode] = &z.Elections[i]
	}
	return out
}

// gatesShift is how many days before the load day the gates' days count
// back from: none before the elections, else gatesLead before the first
// party election.
func gatesShift(z Zone) int {
	shift := 0
	for _, e := range z.Elections {
		shift = max(shift, e.PartyAgo+gatesLead)
	}
	return shift
}

// loadDays gives every community with elections its own election days,
// counted from the load day, before anything that counts from them (the
// aspirants' ages, the third gate's days, the registers' deadlines) is
// written; the office sets them, audited.
func loadDays(ctx context.Context, st *store.Store, z Zone, progressLine func(string)) error {
	if len(z.Elections) == 0 {
		return nil
	}
	today := st.Today()
	err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		for _, e := range z.Elections {
			days := progress.Days{Party: today.AddDays(-e.PartyAgo), Residents: today.AddDays(e.ResidentsIn)}
			if _, _, err := tx.SetElectionDays(ctx, e.OrgCode, days); err != nil {
				return fmt.Errorf("%s: %w", e.OrgCode, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo election days: %w", err)
	}
	progressLine(fmt.Sprintf("选举日 %d 个社区", len(z.Elections)))
	return nil
}

// desk is who counts a district's ballots: its liaison, who opens the
// ballots and coordinates (resolves the clerks' differences, acknowledges
// warnings, confirms, records the officers and the handovers), and its two
// clerks, who enter each count sheet once each.
type desk struct {
	coordinator, first, second *store.Scoped
}

// held is a ballot of the demo as it is held: its community, its plan,
// its day and, once opened, the store's ballot.
type held struct {
	e        *DemoElection
	plan     DemoBallot
	day      civil.Date
	ballot   store.Ballot
	findings map[int64][]election.Finding // the checks' findings of each station's agreed count, by unit id
}

// loadElections holds the zone's elections (elections.go) through the
// store's own writes, each by the account whose act it is: the district's
// liaison opens each ballot with its stations, its two clerks enter every
// count sheet (the second, in one community, slips and corrects what the
// coordinator returns), the liaison acknowledges the warnings and confirms
// each station and each ballot (whose outcome the law decides and whose
// members it records) or declares the ballot void; the further ballot and
// the repeat follow; then the officers, the office's record of their
// approval, the results' and approval's progress marks and the handovers.
// The reports of the confirmed ballots go into the archive afterwards (the
// web layer writes them: web.FileReports, called by the app). ids are the
// aspirants' ids by their index in z.Aspirants.
func loadElections(ctx context.Context, st *store.Store, z Zone, ids []int64, progressLine func(string)) error {
	if len(z.Elections) == 0 {
		return nil
	}
	zone := st.Zone(store.System)
	users, err := zone.ListUsers(ctx)
	if err != nil {
		return err
	}
	byName := map[string]account.User{}
	for _, u := range users {
		byName[u.Username] = u
	}
	as := func(username string) (*store.Scoped, error) {
		u, ok := byName[username]
		if !ok {
			return nil, fmt.Errorf("demo elections: no account %s", username)
		}
		return st.For(u), nil
	}
	desks := map[string]*desk{}
	for _, a := range z.Accounts {
		if a.Role != account.District {
			continue
		}
		d := desks[a.Scope]
		if d == nil {
			d = &desk{}
			desks[a.Scope] = d
		}
		db, err := as(a.Username)
		if err != nil {
			return err
		}
		switch {
		case a.Duty != clerkDuty:
			d.coordinator = db
		case d.first == nil:
			d.first = db
		default:
			d.second = db
		}
	}
	office, err := as("admin")
	if err != nil {
		return err
	}
	district := z.Parents()
	var districts []string
	for _, u := range z.Units {
		if u.Kind == org.District && z.Filled[u.Code] {
			if d := desks[u.Code]; d == nil || d.coordinator == nil || d.first == nil || d.second == nil {
				return fmt.Errorf("demo elections: %s has no liaison and two clerks", u.Code)
			}
			districts = append(districts, u.Code)
		}
	}
	calendar, err := zone.Calendar(ctx, store.CommunityFilter{})
	if err != nil {
		return err
	}
	days := map[string]progress.Days{}
	for _, r := range calendar {
		days[r.Code] = r.Days
	}
	settings, err := zone.ElectionSettings(ctx)
	if err != nil {
		return err
	}
	l := &ballotLoader{ctx: ctx, st: st, ids: ids, desks: desks, district: district, districts: districts, settings: settings}
	ballots := 0
	for round := range 2 { // the first ballots; then the further ballot and the repeat
		var list []*held
		for i := range z.Elections {
			e := &z.Elections[i]
			for _, b := range e.Ballots {
				if (b.Round == election.FirstRound) == (round == 0) {
					list = append(list, &held{e: e, plan: b, day: days[e.OrgCode].For(progress.Election(b.Committee)).AddDays(b.After)})
				}
			}
		}
		if err := l.hold(list); err != nil {
			return fmt.Errorf("demo elections: %w", err)
		}
		ballots += len(list)
	}
	if err := l.afterwards(z, office, days); err != nil {
		return fmt.Errorf("demo elections: %w", err)
	}
	progressLine(fmt.Sprintf("选举 %d 个社区 %d 次投票", len(z.Elections), ballots))
	return nil
}

// ballotLoader holds the demo's ballots district by district.
type ballotLoader struct {
	ctx       context.Context
	st        *store.Store
	ids       []int64
	desks     map[string]*desk
	district  map[string]string
	districts []string
	settings  election.Settings
}

func (l *ballotLoader) key(aspirant int) string { return strconv.FormatInt(l.ids[aspirant], 10) }

// sheet is what a clerk enters for unit u; slip, the second clerk's first
// entry with the slip.
func (l *ballotLoader) sheet(u DemoUnit, slip bool) election.Count {
	n := func(x int) *int { return &x }
	c := election.Count{Voted: n(u.Voted), Issued: n(u.Issued), Returned: n(u.Returned), Valid: n(u.Valid), Invalid: n(u.Invalid),
		WriteIns: []election.Line{}}
	for k, x := range u.Lines {
		no, abstain := x.No, x.Abstain
		if slip && k == u.Slip {
			no, abstain = abstain, no
		}
		c.Lines = append(c.Lines, election.Line{Key: l.key(x.Aspirant), Post: x.Post, Yes: n(x.Yes), No: n(no), Abstain: n(abstain)})
	}
	return c
}

// each runs fn in one transaction of the desk's account who picks it, in
// every district with ballots of list, on the district's ballots; the
// districts side by side (Store.SideBySide).
func (l *ballotLoader) each(list []*held, who func(*desk) *store.Scoped, fn func(*store.Tx, []*held) error) error {
	return l.byDistrict(list, func(d string, mine []*held) error {
		if err := who(l.desks[d]).Write(l.ctx, func(tx *store.Tx) error { return fn(tx, mine) }); err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		return nil
	})
}

// byDistrict runs fn on the ballots of list of each district that has
// some, the districts side by side (Store.SideBySide).
func (l *ballotLoader) byDistrict(list []*held, fn func(district string, mine []*held) error) error {
	mine := make([][]*held, len(l.districts))
	at := map[string]int{}
	for i, d := range l.districts {
		at[d] = i
	}
	for _, h := range list {
		if i, ok := at[l.district[h.e.OrgCode]]; ok {
			mine[i] = append(mine[i], h)
		}
	}
	return l.st.SideBySide(len(l.districts), func(i int) error {
		if len(mine[i]) == 0 {
			return nil
		}
		return fn(l.districts[i], mine[i])
	})
}

func coordinator(d *desk) *store.Scoped { return d.coordinator }

// hold opens, counts and confirms (or voids) the ballots of list.
func (l *ballotLoader) hold(list []*held) error {
	ctx := l.ctx
	// The election committee opens each ballot, after what its round needs:
	// a further ballot names those the first ballot's outcome sent to it.
	err := l.each(list, coordinator, func(tx *store.Tx, mine []*held) error {
		for _, h := range mine {
			o := election.Opening{Committee: h.plan.Committee, Round: h.plan.Round, Day: h.day, Seats: h.plan.Seats,
				Registered: h.plan.Registered, ShouldAttend: h.plan.ShouldAttend, Present: h.plan.Present}
			for _, i := range h.plan.Candidates {
				o.Candidates = append(o.Candidates, l.key(i))
			}
			b, err := tx.OpenBallot(ctx, h.e.OrgCode, o)
			if err != nil {
				return fmt.Errorf("%s: open %s: %w", h.e.OrgCode, h.plan.Committee.Label(), err)
			}
			for _, u := range h.plan.Units[1:] {
				unit, err := tx.AddCountUnit(ctx, b.ID, u.Name, u.Kind, 0)
				if err != nil {
					return fmt.Errorf("%s: %s: %w", h.e.OrgCode, u.Name, err)
				}
				b.Units = append(b.Units, unit)
			}
			h.ballot = b
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Each count sheet entered by both clerks, the second slipping once.
	for k, who := range []func(*desk) *store.Scoped{func(d *desk) *store.Scoped { return d.first }, func(d *desk) *store.Scoped { return d.second }} {
		err := l.each(list, who, func(tx *store.Tx, mine []*held) error {
			for _, h := range mine {
				for j, u := range h.plan.Units {
					if _, err := tx.SaveEntry(ctx, h.ballot.Units[j].ID, l.sheet(u, k == 1 && u.Slip >= 0), true, false); err != nil {
						return fmt.Errorf("%s %s: entry %d: %w", h.e.OrgCode, u.Name, k+1, err)
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	// The coordinator returns the slipped entry to its clerk, who corrects it.
	var slipped []*held
	for _, h := range list {
		if slices.ContainsFunc(h.plan.Units, func(u DemoUnit) bool { return u.Slip >= 0 }) {
			slipped = append(slipped, h)
		}
	}
	fix := func(who func(*desk) *store.Scoped, fn func(tx *store.Tx, unitID int64, u DemoUnit) error) error {
		return l.each(slipped, who, func(tx *store.Tx, mine []*held) error {
			for _, h := range mine {
				for j, u := range h.plan.Units {
					if u.Slip >= 0 {
						if err := fn(tx, h.ballot.Units[j].ID, u); err != nil {
							return fmt.Errorf("%s %s: %w", h.e.OrgCode, u.Name, err)
						}
					}
				}
			}
			return nil
		})
	}
	if err := fix(coordinator, func(tx *store.Tx, id int64, _ DemoUnit) error {
		return tx.ResolveCount(ctx, id, election.ReturnSecond)
	}); err != nil {
		return err
	}
	if err := fix(func(d *desk) *store.Scoped { return d.second }, func(tx *store.Tx, id int64, u DemoUnit) error {
		_, err := tx.SaveEntry(ctx, id, l.sheet(u, false), true, false)
		return err
	}); err != nil {
		return err
	}
	// The coordinator reads each station's agreed count, acknowledges its
	// warnings and confirms it; a count whose checks find an error (the box
	// that returned more ballots than it was given) stays unconfirmed.
	err = l.byDistrict(list, func(district string, mine []*held) error {
		for _, h := range mine {
			h.findings = map[int64][]election.Finding{}
			for _, u := range h.ballot.Units {
				d, err := l.desks[district].coordinator.CountDesk(ctx, u.ID)
				if err != nil {
					return err
				}
				if d.Result == nil {
					return fmt.Errorf("%s %s: the two entries do not agree (%s)", h.e.OrgCode, u.Name, d.Unit.Status.Label())
				}
				h.findings[u.ID] = d.Findings
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = l.each(list, coordinator, func(tx *store.Tx, mine []*held) error {
		for _, h := range mine {
			for _, u := range h.ballot.Units {
				if election.Blocking(h.findings[u.ID]) {
					if h.plan.Void == "" {
						return fmt.Errorf("%s %s: %+v", h.e.OrgCode, u.Name, h.findings[u.ID])
					}
					continue
				}
				for _, f := range h.findings[u.ID] {
					if err := tx.AcknowledgeCount(ctx, h.ballot.ID, u.ID, f.Code); err != nil {
						return err
					}
				}
				if err := tx.ConfirmCount(ctx, u.ID); err != nil {
					return fmt.Errorf("%s %s: confirm: %w", h.e.OrgCode, u.Name, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Then each ballot: void for its reason, or its total's warnings
	// acknowledged and confirmed, the law deciding its outcome.
	err = l.byDistrict(list, func(district string, mine []*held) error {
		for _, h := range mine {
			b, err := l.desks[district].coordinator.Ballot(ctx, h.ballot.ID)
			if err != nil {
				return err
			}
			h.ballot = b
		}
		return nil
	})
	if err != nil {
		return err
	}
	return l.each(list, coordinator, func(tx *store.Tx, mine []*held) error {
		for _, h := range mine {
			if h.plan.Void != "" {
				if _, err := tx.VoidBallot(ctx, h.ballot.ID, h.plan.Void); err != nil {
					return fmt.Errorf("%s: void: %w", h.e.OrgCode, err)
				}
				continue
			}
			sum, ok := h.ballot.Sum()
			if !ok {
				return fmt.Errorf("%s: a station is not confirmed", h.e.OrgCode)
			}
			for _, f := range election.Check(sum, h.ballot.Contest(), l.settings) {
				if err := tx.AcknowledgeCount(ctx, h.ballot.ID, 0, f.Code); err != nil {
					return fmt.Errorf("%s: %s: %w", h.e.OrgCode, f.Code, err)
				}
			}
			b, err := tx.ConfirmBallot(ctx, h.ballot.ID)
			if err != nil {
				return fmt.Errorf("%s: confirm %s: %w", h.e.OrgCode, h.plan.Committee.Label(), err)
			}
			if b.State != election.BallotConfirmed {
				return fmt.Errorf("%s: %s came out %s: %s", h.e.OrgCode, h.plan.Committee.Label(), b.State.Label(), b.VoidReason)
			}
			h.ballot = b
		}
		return nil
	})
}

// afterwards records what follows the votes: the officers the party
// committees elected, the office's record of the higher level's approval
// with its progress mark, the results' mark of the residents' committees,
// and the handovers.
func (l *ballotLoader) afterwards(z Zone, office *store.Scoped, days map[string]progress.Days) error {
	ctx := l.ctx
	var list []*held // one per community: its party ballot, for each()
	for i := range z.Elections {
		e := &z.Elections[i]
		list = append(list, &held{e: e})
	}
	members := map[string]map[int64]int64{} // by community: elected member id by aspirant id
	var mu sync.Mutex
	err := l.byDistrict(list, func(district string, mine []*held) error {
		for _, h := range mine {
			r, err := l.desks[district].coordinator.Results(ctx, h.e.OrgCode)
			if err != nil {
				return err
			}
			ids := map[int64]int64{}
			for _, c := range r.Committees {
				if c.Committee == org.PartyCommittee {
					for _, m := range c.Members {
						ids[m.AspirantID] = m.ID
					}
				}
			}
			mu.Lock()
			members[h.e.OrgCode] = ids
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		return err
	}
	member := func(code string, aspirant int) (int64, error) {
		id, ok := members[code][l.ids[aspirant]]
		if !ok {
			return 0, fmt.Errorf("%s: %s was not elected to the party committee", code, z.Aspirants[aspirant].Name)
		}
		return id, nil
	}
	err = l.each(list, coordinator, func(tx *store.Tx, mine []*held) error {
		for _, h := range mine {
			e := h.e
			o := election.Officers{Day: days[e.OrgCode].Party.AddDays(e.Officers.After)}
			var err error
			if o.Secretary, err = member(e.OrgCode, e.Officers.Secretary); err != nil {
				return err
			}
			for _, d := range e.Officers.Deputies {
				id, err := member(e.OrgCode, d)
				if err != nil {
					return err
				}
				o.Deputies = append(o.Deputies, id)
			}
			if err := tx.SetOfficers(ctx, e.OrgCode, o); err != nil {
				return fmt.Errorf("%s: officers: %w", e.OrgCode, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = office.Write(ctx, func(tx *store.Tx) error {
		for k, e := range z.Elections {
			if e.Officers.ApprovedAfter == 0 {
				continue
			}
			day := days[e.OrgCode].Party.AddDays(e.Officers.ApprovedAfter)
			doc := fmt.Sprintf("青石党工委〔%s〕%d号", day[:4], 60+k)
			if err := tx.ApproveOfficers(ctx, e.OrgCode, election.Approval{Day: day, Document: doc}); err != nil {
				return fmt.Errorf("%s: approval: %w", e.OrgCode, err)
			}
			if _, err := tx.MarkStage(ctx, store.ProgressMark{OrgCode: e.OrgCode, Stage: "party_approval", DoneOn: day,
				Evidence: "书记、副书记的选举结果经开发区党工委批准(" + doc + ")"}); err != nil {
				return fmt.Errorf("%s: approval's mark: %w", e.OrgCode, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return l.each(list, coordinator, func(tx *store.Tx, mine []*held) error {
		for _, h := range mine {
			e := h.e
			if e.ResidentsIn < 0 {
				last := e.Ballots[len(e.Ballots)-1]
				day := days[e.OrgCode].Residents.AddDays(last.After)
				if _, err := tx.MarkStage(ctx, store.ProgressMark{OrgCode: e.OrgCode, Stage: "res_results", DoneOn: day,
					Evidence: "选举结果当场公布,张贴当选公告"}); err != nil {
					return fmt.Errorf("%s: results' mark: %w", e.OrgCode, err)
				}
			}
			for _, c := range org.Committees {
				after, ok := e.Handover[c]
				if !ok {
					continue
				}
				day := days[e.OrgCode].For(progress.Election(c)).AddDays(after)
				if _, err := tx.SetHandover(ctx, e.OrgCode, c, election.Handover{Day: day,
					Note: "新老班子完成工作交接,公章、档案、财务账目和集体资产清单已签字移交"}); err != nil {
					return fmt.Errorf("%s: handover: %w", e.OrgCode, err)
				}
			}
		}
		return nil
	})
}
