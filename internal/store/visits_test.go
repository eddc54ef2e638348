package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/visit"
)

// clientID is the n-th made-up UUID of a test.
func clientID(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

// The visits through the store, on both engines: the household register
// (one address once, an import all or nothing naming its bad row, phones
// masked), the scope (another district's household is not found, nor can
// it be visited), the rounds' targets as zone-wide settings, a visit whose
// problem becomes a ledger item whose state the visit shows, coverage (a
// household visited twice counts once, a missed visit not at all, talks
// owed to the three groups) and the registers carried into a new cycle.
func TestVisitsStore(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		const code = "Z-1-1"
		st.SetClock(func() time.Time { return time.Date(2026, 10, 20, 9, 0, 0, 0, civil.Zone) })
		zone := st.Zone(store.System)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		write := func(fn func(tx *store.Tx) error) error { return zone.Write(ctx, fn) }
		hh := func(addr string) visit.Household {
			return visit.Household{Address: addr, Head: "户主" + addr, Size: 3, Phone: "13912345678", Group: "1号楼"}
		}
		var first visit.Household
		must(write(func(tx *store.Tx) error {
			var err error
			first, err = tx.AddHousehold(ctx, code, hh("1-101"))
			return err
		}))
		if err := write(func(tx *store.Tx) error { _, err := tx.AddHousehold(ctx, code, hh("1-101")); return err }); errs.FieldOf(err) != "address" {
			t.Errorf("one address twice: %v", err)
		}
		// An import with a bad row (size 0 on row 3) registers nothing.
		list := []visit.Household{hh("1-102"), hh("1-201"), hh("1-202")}
		list[2].Size = 0
		err := write(func(tx *store.Tx) error { _, err := tx.ImportHouseholds(ctx, code, list); return err })
		if errs.FieldOf(err) != "households[2].size" || !strings.HasPrefix(errs.MessageOf(err), "第3行:") {
			t.Errorf("import with a bad row 3: %v", err)
		}
		page, err := zone.Households(ctx, code, 0, 0)
		must(err)
		if page.Total != 1 {
			t.Fatalf("a refused import left %d households", page.Total)
		}
		if page.Households[0].Phone == "13912345678" || !strings.HasSuffix(page.Households[0].Phone, "5678") {
			t.Errorf("phone not masked: %q", page.Households[0].Phone)
		}
		list[2].Size = 4
		must(write(func(tx *store.Tx) error { _, err := tx.ImportHouseholds(ctx, code, list); return err }))
		page, err = zone.Households(ctx, code, 2, 2)
		must(err)
		if page.Total != 4 || len(page.Households) != 2 {
			t.Fatalf("after the import: %d households, page of %d", page.Total, len(page.Households))
		}
		// People and sitting members owed a talk.
		var rep visit.Person
		must(write(func(tx *store.Tx) error {
			var err error
			rep, err = tx.AddVisitPerson(ctx, code, visit.Person{Kind: visit.Representative, Name: "代表甲", Group: "1号楼"})
			if err != nil {
				return err
			}
			_, err = tx.ImportVisitPeople(ctx, code, []visit.Person{{Kind: visit.PartyMember, Name: "党员甲"}, {Kind: visit.PartyMember, Name: "党员乙"}})
			if err != nil {
				return err
			}
			units, err := zone.ListOrgs(ctx, store.OrgFilter{Kind: org.Community})
			if err != nil {
				return err
			}
			for _, u := range units {
				if u.Code == code {
					return tx.ImportMembers(ctx, []org.Member{{OrgID: u.ID, Name: "书记甲", Sex: "男", BirthDate: "1970-01-01",
						Committee: org.PartyCommittee, Post: "书记", PartyMember: true}})
				}
			}
			return fmt.Errorf("no %s", code)
		}))

		// Targets are zone-wide: a district's office may not set them.
		c, err := zone.Campaign(ctx, visit.Before)
		must(err)
		if c.HouseholdPercent != 70 || !c.TalkAll {
			t.Errorf("default round before: %+v", c)
		}
		err = within(st, "/Z/Z-1/").Write(ctx, func(tx *store.Tx) error {
			_, err := tx.SetCampaign(ctx, visit.Campaign{Round: visit.Before, HouseholdPercent: 50})
			return err
		})
		if errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a district set the target: %v", err)
		}
		must(write(func(tx *store.Tx) error {
			_, err := tx.SetCampaign(ctx, visit.Campaign{Round: visit.Before, StartsOn: "2026-10-01", EndsOn: "2026-11-30",
				HouseholdPercent: 75, TalkAll: true})
			return err
		}))

		base := func(n int, household int64) visit.Visit {
			return visit.Visit{ClientID: clientID(n), Community: code, Round: visit.Before, Household: household,
				Visitors: []string{"调研员甲"}, Day: "2026-10-19", Method: visit.Door}
		}
		// A visit with a problem needing follow-up: a ledger item of the community.
		v := base(1, first.ID)
		v.CommitteeOpinions = "班子团结"
		v.Problems = []visit.Problem{{Category: visit.Property, Urgency: visit.Urgent, Text: "电梯停运", FollowUp: true, Owner: "物业专员",
			Due: "2026-11-01"}, {Category: visit.Environment, Urgency: visit.Normal, Text: "楼道杂物"}}
		got, err := zone.RecordVisit(ctx, v)
		must(err)
		if got.ID == 0 || got.Target != "1-101" || len(got.Problems) != 2 || got.Problems[0].LedgerItem == 0 ||
			got.Problems[0].LedgerStatus != string(ledger.Open) || got.Problems[1].LedgerItem != 0 {
			t.Fatalf("recorded: %+v", got)
		}
		items, err := zone.CommunityLedger(ctx, code)
		must(err)
		if len(items) != 1 || items[0].Source != ledger.FromVisit || items[0].Risk != ledger.High || items[0].SourceRef != fmt.Sprint(got.ID) {
			t.Errorf("ledger after the visit: %+v", items)
		}
		must(write(func(tx *store.Tx) error { return tx.CloseLedgerItem(ctx, got.Problems[0].LedgerItem, "已修复", "") }))
		shown, err := zone.Visit(ctx, got.ID)
		must(err)
		if shown.Problems[0].LedgerStatus != string(ledger.Closed) {
			t.Errorf("the visit shows its item %q after closing", shown.Problems[0].LedgerStatus)
		}

		// The same client id again answers the stored visit; with another
		// visit it is a conflict; nothing more is stored.
		again, err := zone.RecordVisit(ctx, v)
		if err != nil || again.ID != got.ID {
			t.Errorf("posted again: %v, id %d (first %d)", err, again.ID, got.ID)
		}
		other := base(1, page.Households[0].ID)
		other.Household = page.Households[1].ID
		if _, err := zone.RecordVisit(ctx, other); errs.CodeOf(err) != errs.Conflict || errs.FieldOf(err) != "client_id" {
			t.Errorf("another visit under a used client id: %v", err)
		}

		// Refusals name their field; nothing is stored.
		bad := base(2, first.ID)
		bad.Day = "2026-09-30"
		if _, err := zone.RecordVisit(ctx, bad); errs.FieldOf(err) != "visited_on" {
			t.Errorf("a day before the round: %v", err)
		}
		bad = base(2, first.ID)
		bad.Proposals = "建议"
		if _, err := zone.RecordVisit(ctx, bad); errs.FieldOf(err) != "proposals" {
			t.Errorf("a proposal before the election: %v", err)
		}
		bad = base(2, first.ID)
		bad.ClientID = "not-a-uuid"
		if _, err := zone.RecordVisit(ctx, bad); errs.FieldOf(err) != "client_id" {
			t.Errorf("a client id that is no UUID: %v", err)
		}

		// Scope: another district's household is not found, on the list
		// and on a visit, even named under the visitor's own community.
		west := within(st, "/Z/Z-2/")
		if _, err := west.Households(ctx, code, 0, 0); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another district's register: %v", err)
		}
		if _, err := west.Visit(ctx, got.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another district's visit: %v", err)
		}
		stray := base(3, first.ID)
		if _, err := west.RecordVisit(ctx, stray); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("a visit to another district's community: %v", err)
		}
		stray.Community = "Z-2-1"
		if _, err := west.RecordVisit(ctx, stray); errs.FieldOf(err) != "household_id" {
			t.Errorf("another district's household under one's own community: %v", err)
		}

		// Coverage: the first household visited again counts once; a missed
		// visit does not count; talks: one of four done.
		must2 := func(v visit.Visit) {
			t.Helper()
			if _, err := zone.RecordVisit(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		must2(base(4, first.ID))
		must2(base(5, page.Households[0].ID))
		missed := base(6, page.Households[1].ID)
		missed.Missed = true
		must2(missed)
		talk := base(7, 0)
		talk.Household, talk.Person, talk.Method, talk.Intention = 0, rep.ID, visit.Meeting, visit.Undecided
		must2(talk)
		cov, err := zone.Coverage(ctx, visit.Before, false, 0, 0)
		must(err)
		var row visit.CoverageRow
		for _, r := range cov.Rows {
			if r.Community == code {
				row = r
			}
		}
		if row.Households != 4 || row.Reached != 2 || row.Percent != 50 || row.Needed != 3 || !row.Below || row.TalksOwed != 3 {
			t.Errorf("coverage of %s: %+v", code, row)
		}
		if cov.Total.Households != 4 || cov.Total.Reached != 2 || len(cov.Districts) != 2 {
			t.Errorf("coverage totals: %+v, districts %+v", cov.Total, cov.Districts)
		}
		below, err := zone.Coverage(ctx, visit.Before, true, 10, 0)
		must(err)
		// Every community below target: Z-1-1 at 50%, the others with no
		// households need none (0 of 0 is not below).
		if below.Count != 1 || below.Rows[0].Community != code {
			t.Errorf("below target: %+v", below.Rows)
		}
		during, err := zone.Coverage(ctx, visit.During, false, 0, 0)
		must(err)
		if during.Total.Reached != 0 {
			t.Errorf("a round before's visit counted during: %+v", during.Total)
		}
		un, err := zone.Unreached(ctx, code, visit.Before, 0, 0)
		must(err)
		if un.Total != 2 {
			t.Errorf("unreached: %+v", un)
		}
		owed, err := zone.TalksOwed(ctx, code, visit.Before, 0, 0)
		must(err)
		if owed.Total != 3 || owed.Owed[0].Kind != visit.Committee || owed.Owed[0].Name != "书记甲" {
			t.Errorf("talks owed: %+v", owed)
		}

		// A new cycle carries the registers over, not the visits.
		must(write(func(tx *store.Tx) error {
			if _, err := tx.AddCycle(ctx, org.Cycle{Code: "2029", Name: "2029年换届"}); err != nil {
				return err
			}
			_, err := tx.MakeCurrent(ctx, "2029")
			return err
		}))
		zone = st.Zone(store.System)
		next, err := zone.Households(ctx, code, 0, 0)
		must(err)
		people, err := zone.VisitPeople(ctx, code, 0, 0)
		must(err)
		visits, err := zone.Visits(ctx, code, "", 0, 0)
		must(err)
		if next.Total != 4 || people.Total != 3 || visits.Total != 0 || !strings.HasSuffix(next.Households[0].Phone, "5678") {
			t.Errorf("the next cycle: %d households, %d people, %d visits", next.Total, people.Total, visits.Total)
		}
		// Its coverage counts the registers carried over and nothing reached.
		cov, err = zone.Coverage(ctx, visit.Before, false, 0, 0)
		must(err)
		if cov.Total.Households != 4 || cov.Total.Reached != 0 || cov.Total.TalksOwed != 4 {
			t.Errorf("coverage of the next cycle: %+v", cov.Total)
		}
	})
}

// The counts coverage reads are derived from the registers and the
// households reached: one changed in the database behind the platform's
// back (a community's reached households raised to lift it over 70%) is
// named by audit verify, with its community, on both engines; counted
// again, they agree. (Every test's store is verified when it ends, so each
// write path that changes a register or reaches a household is checked to
// keep its count.)
func TestVisitCountsVerified(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		testdb.Tampers(t)
		tree(t, st)
		const code = "Z-1-1"
		st.SetClock(func() time.Time { return time.Date(2026, 10, 20, 9, 0, 0, 0, civil.Zone) })
		zone := st.Zone(store.System)
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ImportHouseholds(ctx, code, []visit.Household{{Address: "1", Head: "甲", Size: 1}, {Address: "2", Head: "乙", Size: 1},
				{Address: "3", Head: "丙", Size: 1}})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		page, err := zone.Households(ctx, code, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := zone.RecordVisit(ctx, visit.Visit{ClientID: clientID(1), Community: code, Round: visit.Before, Household: page.Households[0].ID,
			Visitors: []string{"调研员甲"}, Day: "2026-10-19", Method: visit.Door}); err != nil {
			t.Fatal(err)
		}
		if r, err := st.VerifyAudit(ctx, nil); err != nil || !r.OK() {
			t.Fatalf("before tampering: %v %+v", err, r.RecordProblems)
		}
		id := orgID(t, st, code)
		if err := st.Tamper(ctx, fmt.Sprintf(`UPDATE visit_counts SET n = 3 WHERE org_id = %d AND round = 'before' AND kind = 'h'`, id)); err != nil {
			t.Fatal(err)
		}
		cov, err := zone.Coverage(ctx, visit.Before, true, 0, 0)
		if err != nil || cov.Count != 0 {
			t.Fatalf("the tampered count should lift the community over its target: %v %+v", err, cov.Rows)
		}
		r, err := st.VerifyAudit(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.RecordProblems) != 1 || r.RecordProblems[0].Table != "visit_counts" || !strings.HasPrefix(r.RecordProblems[0].Community, code) ||
			!strings.Contains(r.RecordProblems[0].Reason, "走访到 1 户,计数却记为 3") {
			t.Errorf("verify after tampering: %+v", r.RecordProblems)
		}
		// The district's own count (what the coverage page's totals read),
		// changed alone, is named with the district.
		if err := st.Tamper(ctx, fmt.Sprintf(`UPDATE visit_counts SET n = 1 WHERE org_id = %d AND round = 'before' AND kind = 'h'`, id),
			fmt.Sprintf(`UPDATE visit_counts SET n = 7 WHERE org_id = %d AND round = '' AND kind = 'h'`, orgID(t, st, "Z-1"))); err != nil {
			t.Fatal(err)
		}
		if r, err = st.VerifyAudit(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if len(r.RecordProblems) != 1 || !strings.HasPrefix(r.RecordProblems[0].Community, "Z-1 ") ||
			!strings.Contains(r.RecordProblems[0].Reason, "登记了 3 户,计数却记为 7") {
			t.Errorf("verify after tampering with the district's count: %+v", r.RecordProblems)
		}
	})
}

// The same visit posted by two requests at once is stored once, and both
// are answered with it, on both engines: the unique client id decides,
// not a read before the write.
func TestVisitIdempotentRace(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		const code = "Z-1-2"
		st.SetClock(func() time.Time { return time.Date(2026, 10, 20, 9, 0, 0, 0, civil.Zone) })
		zone := st.Zone(store.System)
		var h visit.Household
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			var err error
			h, err = tx.AddHousehold(ctx, code, visit.Household{Address: "2-301", Head: "李四", Size: 2})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for n := 1; n <= 5; n++ {
			v := visit.Visit{ClientID: clientID(100 + n), Community: code, Round: visit.Before, Household: h.ID,
				Visitors: []string{"甲"}, Day: "2026-10-20", Method: visit.Phone,
				Problems: []visit.Problem{{Category: visit.Safety, Urgency: visit.Soon, Text: "路灯不亮", FollowUp: true, Owner: "网格员",
					Due: "2026-10-30"}}}
			var wg sync.WaitGroup
			ids := make([]int64, 2)
			errList := make([]error, 2)
			for i := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					got, err := st.Zone(store.System).RecordVisit(ctx, v)
					ids[i], errList[i] = got.ID, err
				}()
			}
			wg.Wait()
			if errList[0] != nil || errList[1] != nil || ids[0] != ids[1] || ids[0] == 0 {
				t.Fatalf("round %d: %v %v, ids %v", n, errList[0], errList[1], ids)
			}
		}
		visits, err := zone.Visits(ctx, code, visit.Before, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		items, err := zone.CommunityLedger(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if visits.Total != 5 || len(items) != 5 {
			t.Errorf("5 visits each posted twice at once: %d stored, %d ledger items", visits.Total, len(items))
		}
	})
}

// Visits entered many in one transaction (Tx.RecordVisits, as the demo
// zone enters each community's), on both engines: each is checked and
// audited as one posted alone is (a visit.record entry each, its problem a
// ledger item) and counted once per household; a client id already stored
// is a conflict that undoes the whole transaction, as is a visit the
// checks refuse.
func TestRecordVisitsInOneTransaction(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		const code = "Z-2-1"
		st.SetClock(func() time.Time { return time.Date(2026, 10, 20, 9, 0, 0, 0, civil.Zone) })
		zone := st.Zone(store.System)
		var hh []visit.Household
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			hh = []visit.Household{{Address: "3-101", Head: "王五", Size: 3}, {Address: "3-102", Head: "赵六", Size: 1}}
			_, err := tx.ImportHouseholds(ctx, code, hh)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		visitOf := func(n int, h visit.Household, day civil.Date) visit.Visit {
			return visit.Visit{ClientID: clientID(200 + n), Community: code, Round: visit.Before, Household: h.ID,
				Visitors: []string{"调研员乙"}, Day: day, Method: visit.Door}
		}
		batch := []visit.Visit{visitOf(1, hh[0], "2026-10-18"), visitOf(2, hh[0], "2026-10-19"), visitOf(3, hh[1], "2026-10-19")}
		batch[2].Problems = []visit.Problem{{Category: visit.Facilities, Urgency: visit.Soon, Text: "下水道堵塞", FollowUp: true,
			Owner: "王主任", Due: "2026-10-25"}}
		var items []int64
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			got, err := tx.RecordVisits(ctx, batch)
			for _, v := range got {
				for _, p := range v.Problems {
					items = append(items, p.LedgerItem)
				}
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		log, err := zone.AuditLog(ctx, store.AuditFilter{Action: "visit.record", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		ledgerItems, err := zone.CommunityLedger(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		cov, err := zone.Coverage(ctx, visit.Before, false, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		reached := -1
		for _, r := range cov.Rows {
			if r.Community == code {
				reached = r.Reached
			}
		}
		if len(log) != 3 || len(items) != 1 || items[0] == 0 || len(ledgerItems) != 1 || reached != 2 {
			t.Fatalf("3 visits in one transaction: %d audit entries, ledger items %v of %d, %d households reached", len(log), items,
				len(ledgerItems), reached)
		}
		// A client id stored already, or a day after today, undoes the batch.
		for name, bad := range map[string]visit.Visit{"replayed": batch[0], "tomorrow": visitOf(5, hh[1], "2026-10-21")} {
			err := zone.Write(ctx, func(tx *store.Tx) error {
				if _, err := tx.RecordVisits(ctx, []visit.Visit{visitOf(4, hh[1], "2026-10-20")}); err != nil {
					return err
				}
				_, err := tx.RecordVisits(ctx, []visit.Visit{bad})
				return err
			})
			want := map[string]errs.Code{"replayed": errs.Conflict, "tomorrow": errs.Unprocessable}[name]
			if errs.CodeOf(err) != want {
				t.Errorf("%s: %v, want %s", name, err, want)
			}
		}
		// The transaction reads the round's dates once for its visits
		// (tx_memo.go), and again after it sets them: a visit after the
		// round's new end is refused.
		err = zone.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.RecordVisits(ctx, []visit.Visit{visitOf(6, hh[1], "2026-10-20")}); err != nil {
				return err
			}
			if _, err := tx.SetCampaign(ctx, visit.Campaign{Round: visit.Before, StartsOn: "2026-10-01", EndsOn: "2026-10-19",
				HouseholdPercent: visit.DefaultHouseholdPercent}); err != nil {
				return err
			}
			_, err := tx.RecordVisits(ctx, []visit.Visit{visitOf(7, hh[1], "2026-10-20")})
			return err
		})
		if errs.FieldOf(err) != "visited_on" {
			t.Errorf("a visit after the round's end set in the same transaction: %v, want refused on visited_on", err)
		}
		page, err := zone.Visits(ctx, code, "", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 3 {
			t.Errorf("%d visits stored after three refused batches, want the first batch's 3", page.Total)
		}
	})
}
