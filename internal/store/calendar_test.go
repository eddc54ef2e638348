package store_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/vetting"
)

// idBornOn is a valid ID number of someone born on day (YYYYMMDD).
func idBornOn(day string, n int) string {
	first := "110101" + day + string(rune('0'+n/100%10)) + string(rune('0'+n/10%10)) + string(rune('0'+n%10))
	return first + string(idcard.CheckDigit(first))
}

func setDays(t *testing.T, db *store.Scoped, code string, days progress.Days) (org.Unit, int, error) {
	t.Helper()
	var unit org.Unit
	var n int
	err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		unit, n, err = tx.SetElectionDays(ctx, code, days)
		return err
	})
	return unit, n, err
}

// A community's election days: its own or the cycle's; its deadlines and
// its aspirants' ages count from the day of their committee's election;
// changing them is audited, refused out of scope (as a unit not found, on
// the form's field) and in the wrong order.
func TestElectionDays(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		zone := st.Zone(store.System)
		// Born 1992-01-16: 35 on 2027-01-16, 34 the day before.
		young := vetting.Aspirant{OrgCode: "QS-01-001", Name: "青年甲", IDNumber: idBornOn("19920116", 1), Phone: "13812345678",
			Party: vetting.PartyMember, Committee: org.ResidentsCommittee, Post: vetting.Director, Education: vetting.College}
		var id int64
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			ids, err := tx.ImportAspirants(ctx, []vetting.Aspirant{young})
			if err == nil {
				id = ids[0]
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		age := func() int {
			t.Helper()
			a, err := zone.Aspirant(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return a.Age
		}
		// Nothing set: the defaults (residents 2027-01-16, party 28 days before).
		row, err := zone.CommunityDays(ctx, "QS-01-001")
		if err != nil || row.Days != (progress.Days{Party: "2026-12-19", Residents: "2027-01-16"}) || row.Own != (progress.Days{}) {
			t.Fatalf("default days %+v %v", row, err)
		}
		if got := age(); got != 35 {
			t.Errorf("age on the default day 2027-01-16: %d, want 35", got)
		}

		// One community, the day before: 34; its deadlines move with it.
		entries := auditCount(t, st)
		unit, n, err := setDays(t, zone, "QS-01-001", progress.Days{Party: "2026-12-20", Residents: "2027-01-15"})
		if err != nil || n != 1 || unit.Kind != org.Community {
			t.Fatalf("set one community: %+v %d %v", unit, n, err)
		}
		if got := age(); got != 34 {
			t.Errorf("age on 2027-01-15: %d, want 34", got)
		}
		if auditCount(t, st) != entries+1 {
			t.Errorf("setting days left %d audit entries, want 1", auditCount(t, st)-entries)
		}
		rows, err := zone.ProgressRows(ctx, store.CommunityFilter{District: "QS-01", Limit: 2})
		if err != nil || len(rows) != 2 {
			t.Fatalf("progress rows %d %v", len(rows), err)
		}
		if rows[0].Days != (progress.Days{Party: "2026-12-20", Residents: "2027-01-15"}) || rows[1].Days.Residents != "2027-01-16" {
			t.Errorf("rows' days %+v %+v", rows[0].Days, rows[1].Days)
		}
		// Late stages: on 2026-12-16 the party stage at -5 (party_publicity) is late
		// where the party votes on 2026-12-20 (deadline 12-15), not on the default
		// 2026-12-19 (deadline 12-14… also late) — so move that one later.
		if _, _, err := setDays(t, zone, "QS-01-002", progress.Days{Party: "2027-03-01", Residents: "2027-03-30"}); err != nil {
			t.Fatal(err)
		}
		late, err := zone.LateStages(ctx, "2026-12-16", 0)
		if err != nil {
			t.Fatal(err)
		}
		byCommunity := map[string]map[string]civil.Date{}
		for _, l := range late {
			if byCommunity[l.Code] == nil {
				byCommunity[l.Code] = map[string]civil.Date{}
			}
			byCommunity[l.Code][l.Stage] = l.Deadline
		}
		if d := byCommunity["QS-01-001"]["party_publicity"]; d != "2026-12-15" {
			t.Errorf("QS-01-001 party_publicity late with deadline %q, want 2026-12-15", d)
		}
		if d, ok := byCommunity["QS-01-002"]["party_request"]; ok {
			t.Errorf("QS-01-002 (party vote 2027-03-01) has party_request late (deadline %s); it is due 2027-01-13", d)
		}
		if d := byCommunity["QS-01-003"]["party_publicity"]; d != "2026-12-14" {
			t.Errorf("QS-01-003 (defaults) party_publicity deadline %q, want 2026-12-14", d)
		}

		// The residents' vote before the party's is refused; nothing changes.
		entries = auditCount(t, st)
		_, _, err = setDays(t, zone, "QS-01-001", progress.Days{Party: "2027-01-20", Residents: "2027-01-16"})
		if errs.FieldOf(err) != "residents_day" {
			t.Errorf("residents before party: %v, want refused on residents_day", err)
		}
		if row, _ := zone.CommunityDays(ctx, "QS-01-001"); row.Days.Residents != "2027-01-15" || auditCount(t, st) != entries {
			t.Errorf("a refused change changed something: %+v", row.Days)
		}

		// A whole district at once, by an account of that district; another
		// district's is not found to it.
		district := st.For(account.User{ID: 1, Username: "qs01", Role: account.Admin, ScopePath: "/QS/QS-01/"})
		_, n, err = setDays(t, district, "QS-01", progress.Days{Party: "2027-01-02", Residents: "2027-01-16"})
		if err != nil || n < 2 {
			t.Fatalf("set district: %d %v", n, err)
		}
		if got := age(); got != 35 {
			t.Errorf("age after the district's day 2027-01-16: %d, want 35", got)
		}
		if _, _, err := setDays(t, district, "QS-02", progress.Days{Party: "2027-01-02", Residents: "2027-01-16"}); errs.FieldOf(err) != "unit" {
			t.Errorf("another district's days: %v, want refused as not found on unit", err)
		}
		if _, _, err := setDays(t, district, "QS-02-001", progress.Days{Party: "2027-01-02", Residents: "2027-01-16"}); errs.FieldOf(err) != "unit" {
			t.Errorf("another district's community: %v, want refused as not found on unit", err)
		}
		cal, err := district.Calendar(ctx, store.CommunityFilter{})
		if err != nil || len(cal) != n {
			t.Fatalf("district calendar %d rows, want %d: %v", len(cal), n, err)
		}
		for _, r := range cal {
			if r.Own != (progress.Days{Party: "2027-01-02", Residents: "2027-01-16"}) {
				t.Errorf("%s own days %+v after the district's", r.Code, r.Own)
			}
		}
		// The cycle's days: zone-wide only; they reach communities without their own.
		if err := district.Write(ctx, func(tx *store.Tx) error {
			return tx.SetCycleDays(ctx, progress.Days{Party: "2027-02-01", Residents: "2027-02-20"})
		}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("cycle days by a district account: %v, want forbidden", err)
		}
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			return tx.SetCycleDays(ctx, progress.Days{Party: "2027-02-01", Residents: "2027-02-20"})
		}); err != nil {
			t.Fatal(err)
		}
		if row, _ := zone.CommunityDays(ctx, "QS-02-001"); row.Days != (progress.Days{Party: "2027-02-01", Residents: "2027-02-20"}) {
			t.Errorf("QS-02-001 without its own days: %+v, want the cycle's", row.Days)
		}
		if row, _ := zone.CommunityDays(ctx, "QS-01-001"); row.Days.Residents != "2027-01-16" {
			t.Errorf("QS-01-001 with its own days took the cycle's: %+v", row.Days)
		}
		spans, err := zone.ElectionSpans(ctx)
		if err != nil || len(spans) != 2 || spans[1].First != "2027-01-16" || spans[1].Last != "2027-02-20" {
			t.Errorf("spans %+v %v", spans, err)
		}
		testdb.CheckAudit(t, st)
	})
}

// A new cycle carries the sitting committees over; making it current keeps
// the earlier one to be read, and nothing can be written in it.
func TestCycles(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		zone := st.Zone(store.System)
		first, err := st.CurrentCycle(ctx)
		if err != nil {
			t.Fatal(err)
		}
		members, err := zone.Members(ctx, "QS-01-001")
		if err != nil || len(members) == 0 {
			t.Fatalf("members %d %v", len(members), err)
		}
		add := func(db *store.Scoped, c org.Cycle) (org.Cycle, error) {
			var out org.Cycle
			err := db.Write(ctx, func(tx *store.Tx) error {
				var err error
				out, err = tx.AddCycle(ctx, c)
				return err
			})
			return out, err
		}
		if _, err := add(as(st, account.Admin, "/QS/QS-01/", ""), org.Cycle{Code: "2031", Name: "2031年换届"}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a district office opening a cycle: %v, want forbidden", err)
		}
		if _, err := add(zone, org.Cycle{Code: "20 31", Name: "x"}); errs.FieldOf(err) != "code" {
			t.Errorf("bad code: %v", err)
		}
		if _, err := add(zone, org.Cycle{Code: first.Code, Name: "又一届"}); errs.FieldOf(err) != "code" {
			t.Errorf("a code taken: %v", err)
		}
		next, err := add(zone, org.Cycle{Code: "2031", Name: "2031年社区两委换届"})
		if err != nil || next.Current {
			t.Fatalf("add cycle: %+v %v", next, err)
		}
		// Not current yet: pages still show the first.
		if c, _ := st.CurrentCycle(ctx); c.Code != first.Code {
			t.Fatalf("current after adding: %s", c.Code)
		}
		if err := zone.Write(ctx, func(tx *store.Tx) error { _, err := tx.MakeCurrent(ctx, "2031"); return err }); err != nil {
			t.Fatal(err)
		}
		now := st.Zone(store.System)
		if c, _ := now.Cycle(ctx); c.Code != "2031" {
			t.Fatalf("current after switching: %s", c.Code)
		}
		carried, err := now.Members(ctx, "QS-01-001")
		if err != nil || len(carried) != len(members) || carried[0].Name != members[0].Name || carried[0].IDNumber != members[0].IDNumber {
			t.Fatalf("members carried over: %d of %d, %v", len(carried), len(members), err)
		}
		// The first cycle read as it was, and not writable.
		earlier, err := now.InCycle(ctx, first.Code)
		if err != nil || !earlier.Earlier() {
			t.Fatalf("in the earlier cycle: %v", err)
		}
		if old, _ := earlier.Members(ctx, "QS-01-001"); len(old) != len(members) {
			t.Errorf("earlier cycle's members %d, want %d", len(old), len(members))
		}
		entries := auditCount(t, st)
		if _, _, err := setDays(t, earlier, "QS-01-001", progress.Days{Party: "2027-01-02", Residents: "2027-01-16"}); !errs.Is(err, errs.Conflict) {
			t.Errorf("a write in the earlier cycle: %v, want conflict", err)
		}
		if auditCount(t, st) != entries {
			t.Error("a refused write in the earlier cycle left an audit entry")
		}
		if current, err := now.InCycle(ctx, "2031"); err != nil || current.Earlier() {
			t.Errorf("the current cycle read by code is not earlier: %v", err)
		}
		if _, err := now.InCycle(ctx, "1999"); !errs.Is(err, errs.NotFound) {
			t.Errorf("no such cycle: %v", err)
		}
		testdb.CheckAudit(t, st)
	})
}

// A write transaction keeps the communities' election days it read
// (txMemo) and reads them again after it sets them: an aspirant entered
// after new days in the same transaction is aged on the new day.
func TestElectionDaysReadAgainInTheirTransaction(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		zone := st.Zone(store.System)
		// Born 1992-01-16: 35 on the default 2027-01-16, 34 on 2027-01-15.
		aspirant := func(n int) vetting.Aspirant {
			return vetting.Aspirant{OrgCode: "QS-01-001", Name: "青年" + []string{"甲", "乙"}[n-1], IDNumber: idBornOn("19920116", n),
				Phone: "13812345678", Party: vetting.PartyMember, Committee: org.ResidentsCommittee, Post: vetting.Director,
				Education: vetting.College}
		}
		var ids []int64
		err := zone.Write(ctx, func(tx *store.Tx) error {
			first, err := tx.ImportAspirants(ctx, []vetting.Aspirant{aspirant(1)})
			if err != nil {
				return err
			}
			if _, _, err := tx.SetElectionDays(ctx, "QS-01-001", progress.Days{Party: "2026-12-20", Residents: "2027-01-15"}); err != nil {
				return err
			}
			second, err := tx.ImportAspirants(ctx, []vetting.Aspirant{aspirant(2)})
			ids = append(first, second...)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			a, err := zone.Aspirant(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if a.Age != 34 {
				t.Errorf("%s aged %d, want 34 on the residents' new day 2027-01-15", a.Name, a.Age)
			}
		}
	})
}

// The margins and the election rules a write transaction changed, it reads
// as changed (read on another connection, they were the rules before the
// transaction): a second change in the same transaction records the first
// as what it replaced.
func TestSettingsReadAgainInTheirTransaction(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		first, second := slate.DefaultMargins(), slate.DefaultMargins()
		first.PublishDays, second.PublishDays = 6, 7
		rules, again := election.DefaultSettings(), election.DefaultSettings()
		rules.WomenSeat, again.WomenSeat = !rules.WomenSeat, rules.WomenSeat
		err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			for _, err := range []error{tx.SaveMargins(ctx, first), tx.SaveMargins(ctx, second),
				tx.SaveElectionSettings(ctx, rules), tx.SaveElectionSettings(ctx, again)} {
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for action, want := range map[string]string{"slate.margins": `"publish_days":6`,
			"election.settings": fmt.Sprintf(`"women_seat":%t`, rules.WomenSeat)} {
			befores, err := st.QueryTexts(ctx, `SELECT before_data FROM audit_log WHERE action = '`+action+`' ORDER BY seq`)
			if err != nil || len(befores) != 2 {
				t.Fatalf("%s: %d entries, %v", action, len(befores), err)
			}
			if !strings.Contains(befores[1], want) {
				t.Errorf("%s: the second change replaced %s, want %s", action, befores[1], want)
			}
		}
	})
}

// The stage templates a write read are read again after it saves new ones:
// a stage added in the transaction can be marked in it.
func TestStagesReadAgainInTheirTransaction(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		stages := progress.Defaults()
		added := stages[0]
		added.Code, added.Name, added.Sort, added.DependsOn = "extra_check", "补充核查", stages[len(stages)-1].Sort+10, nil
		today := st.Today()
		err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.MarkStage(ctx, store.ProgressMark{OrgCode: "QS-01-001", Stage: stages[0].Code, DoneOn: today}); err != nil {
				return err
			}
			if _, err := tx.SaveProgressStages(ctx, append(stages, added)); err != nil {
				return err
			}
			_, err := tx.MarkStage(ctx, store.ProgressMark{OrgCode: "QS-01-001", Stage: added.Code, DoneOn: today})
			return err
		})
		if err != nil {
			t.Fatalf("a stage added and marked in one write: %v", err)
		}
	})
}
