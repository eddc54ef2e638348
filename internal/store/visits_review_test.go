package store_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/visit"
)

// orgID is the id of the unit with code, for the imports that take one.
func orgID(t *testing.T, st *store.Store, code string) int64 {
	t.Helper()
	units, err := st.Zone(store.System).ListOrgs(ctx, store.OrgFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if u.Code == code {
			return u.ID
		}
	}
	t.Fatalf("no unit %s", code)
	return 0
}

// A household of the register corrected and removed through the store, on
// both engines: its address, head, size, group and phone changed (a phone
// left out kept, one typed replacing it, one cleared), never onto another
// household's address; its visits stay with it; removed only while no
// visit reached it, the refusal saying why in Chinese; another district's
// household neither found nor changed; each change audited with its
// typed action, phones masked in the log.
func TestHouseholdCorrected(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		const code = "Z-1-1"
		clockOn(st, "2026-10-20")
		zone := st.Zone(store.System)
		var a, b, c visit.Household
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			var err error
			if a, err = tx.AddHousehold(ctx, code, visit.Household{Address: "1-101", Head: "张三", Size: 3, Phone: "13912345678", Group: "1号楼"}); err != nil {
				return err
			}
			if b, err = tx.AddHousehold(ctx, code, visit.Household{Address: "1-102", Head: "李四", Size: 2}); err != nil {
				return err
			}
			c, err = tx.AddHousehold(ctx, code, visit.Household{Address: "1-103", Head: "王五", Size: 1, Phone: "13800001111"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		edit := func(db *store.Scoped, id int64, h visit.Household, clear bool) (visit.Household, error) {
			var out visit.Household
			err := db.Write(ctx, func(tx *store.Tx) error {
				var err error
				out, err = tx.EditHousehold(ctx, code, id, h, clear)
				return err
			})
			return out, err
		}
		remove := func(db *store.Scoped, id int64) error {
			return db.Write(ctx, func(tx *store.Tx) error { return tx.RemoveHousehold(ctx, code, id) })
		}
		one := func(id int64) visit.Household {
			t.Helper()
			h, err := zone.Household(ctx, code, id)
			if err != nil {
				t.Fatal(err)
			}
			return h
		}

		// A visit to a, before its correction.
		v, err := zone.RecordVisit(ctx, visit.Visit{ClientID: clientID(1), Community: code, Round: visit.Before, Household: a.ID,
			Visitors: []string{"调研员甲"}, Day: "2026-10-19", Method: visit.Door})
		if err != nil {
			t.Fatal(err)
		}

		// Corrected: the phone left out is kept.
		got, err := edit(zone, a.ID, visit.Household{Address: " 1-201 ", Head: "张三丰", Size: 4, Group: "2号楼"}, false)
		if err != nil {
			t.Fatal(err)
		}
		if got.Address != "1-201" || got.Head != "张三丰" || got.Size != 4 || got.Group != "2号楼" || got.Phone != "139****5678" {
			t.Errorf("corrected: %+v", got)
		}
		if h := one(a.ID); h != got {
			t.Errorf("read back %+v, answered %+v", h, got)
		}
		shown, err := zone.Visit(ctx, v.ID)
		if err != nil || shown.Target != "1-201" {
			t.Errorf("the visit to the corrected household names %q (%v)", shown.Target, err)
		}
		// A phone typed replaces it; clearing removes it; both at once is refused.
		if got, err = edit(zone, a.ID, visit.Household{Address: "1-201", Head: "张三丰", Size: 4, Phone: "13700002222"}, false); err != nil ||
			got.Phone != "137****2222" {
			t.Errorf("a new phone: %+v %v", got, err)
		}
		if _, err := edit(zone, c.ID, visit.Household{Address: "1-103", Head: "王五", Size: 1, Phone: "13700003333"}, true); errs.FieldOf(err) != "phone" {
			t.Errorf("a phone typed and cleared at once: %v", err)
		}
		if got, err = edit(zone, c.ID, visit.Household{Address: "1-103", Head: "王五", Size: 1}, true); err != nil || got.Phone != "" || one(c.ID).Phone != "" {
			t.Errorf("the phone cleared: %+v %v", got, err)
		}

		// Never onto another household's address; bad input changes nothing.
		for field, h := range map[string]visit.Household{
			"address": {Address: "1-102", Head: "张三丰", Size: 4},
			"size":    {Address: "1-301", Head: "张三丰", Size: 0},
			"head":    {Address: "1-301", Size: 2},
		} {
			_, err := edit(zone, a.ID, h, false)
			if errs.FieldOf(err) != field || !strings.ContainsFunc(errs.MessageOf(err), func(r rune) bool { return r >= 0x4e00 }) {
				t.Errorf("%+v: %v, want a Chinese refusal on %s", h, err, field)
			}
		}
		if h := one(a.ID); h.Address != "1-201" || h.Size != 4 {
			t.Errorf("a refused correction changed the household: %+v", h)
		}

		// Scope: another district's office finds nothing to change or remove.
		west := within(st, "/Z/Z-2/")
		if _, err := edit(west, b.ID, visit.Household{Address: "x", Head: "x", Size: 1}, false); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another district corrected a household: %v", err)
		}
		if err := remove(west, b.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another district removed a household: %v", err)
		}
		// A household of another community of one's own is not found under this one.
		if _, err := zone.Household(ctx, "Z-1-2", b.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("a household read under another community: %v", err)
		}

		// Removal: refused once visited, taken for one entered by mistake.
		err = remove(zone, a.ID)
		if errs.CodeOf(err) != errs.Conflict || !strings.Contains(errs.MessageOf(err), "已有 1 次走访记录") {
			t.Errorf("removing a visited household: %v", err)
		}
		if err := remove(zone, b.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := zone.Household(ctx, code, b.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("a removed household is still read: %v", err)
		}
		page, err := zone.Households(ctx, code, 0, 0)
		if err != nil || page.Total != 2 {
			t.Errorf("the register after a removal: %d households (%v)", page.Total, err)
		}
		// Its address is free again.
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddHousehold(ctx, code, visit.Household{Address: "1-102", Head: "李四", Size: 2})
			return err
		}); err != nil {
			t.Errorf("the removed household's address again: %v", err)
		}

		// Audited with their typed actions, phones masked.
		for action, want := range map[string]int{"visit.household.edit": 3, "visit.household.remove": 1} {
			log, err := zone.AuditLog(ctx, store.AuditFilter{Action: action, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(log) != want {
				t.Errorf("%s: %d entries, want %d", action, len(log), want)
			}
			for _, e := range log {
				if strings.Contains(e.Before+e.After, "13912345678") || strings.Contains(e.Before+e.After, "13700002222") {
					t.Errorf("%s logs a phone in full: %s → %s", action, e.Before, e.After)
				}
			}
		}
	})
}

// A research activity's finding is dated the day it was made, which its
// author gives, not the day it was entered (on both engines): given,
// within the activity's dates; left out, today while the activity runs and
// its last day once it has ended; after today or outside the activity's
// dates refused on the field. Pages name its author by display name.
func TestFindingDay(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		clockOn(st, "2026-10-20")
		zone := st.Zone(store.System)
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddUser(ctx, account.NewUser{Username: "office1", DisplayName: "刘主任", Role: account.Admin,
				Password: "a long enough password"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		users, err := zone.ListUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var office *store.Scoped
		for _, u := range users {
			if u.Username == "office1" {
				office = st.For(u)
			}
		}
		var ended, running visit.Activity
		add := func(a visit.Activity, f visit.Finding) (visit.Finding, error) {
			var out visit.Finding
			err := office.Write(ctx, func(tx *store.Tx) error {
				var err error
				out, err = tx.AddFinding(ctx, a.ID, f)
				return err
			})
			return out, err
		}
		if err := office.Write(ctx, func(tx *store.Tx) error {
			var err error
			if ended, err = tx.AddResearchActivity(ctx, visit.Activity{Name: "蹲点调研", StartsOn: "2026-09-01", EndsOn: "2026-09-20",
				Team: []string{"甲"}, Communities: []string{"Z-1-1"}}); err != nil {
				return err
			}
			running, err = tx.AddResearchActivity(ctx, visit.Activity{Name: "分片研判", StartsOn: "2026-10-10", EndsOn: "2026-10-31",
				Team: []string{"乙"}, Communities: []string{"Z-1-1"}})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			a    visit.Activity
			day  string
			want string // the day stored, or the field refused
		}{
			{ended, "2026-09-05", "2026-09-05"},
			{ended, "", "2026-09-20"},
			{running, "", "2026-10-20"},
			{running, "2026-10-21", "day"},
			{ended, "2026-08-31", "day"},
			{running, "2026-10-09", "day"},
			{running, "十月", "day"},
		} {
			f, err := add(c.a, visit.Finding{Community: "Z-1-1", Text: "班子团结", Day: civil.Date(c.day)})
			switch {
			case strings.HasPrefix(c.want, "2026"):
				if err != nil || string(f.Day) != c.want || f.By != "office1" || f.ByName != "刘主任" {
					t.Errorf("%s, day %q: %+v %v, want dated %s by 刘主任", c.a.Name, c.day, f, err, c.want)
				}
			case errs.FieldOf(err) != c.want:
				t.Errorf("%s, day %q: %v, want a refusal on %s", c.a.Name, c.day, err, c.want)
			}
		}
		all, err := zone.ResearchActivities(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var days []string
		for _, a := range all {
			for _, f := range a.Findings {
				days = append(days, string(f.Day))
				if f.ByName != "刘主任" {
					t.Errorf("a finding read back by %q", f.ByName)
				}
			}
		}
		if strings.Join(days, " ") != "2026-10-20 2026-09-05 2026-09-20" {
			t.Errorf("findings read back dated %v", days)
		}
	})
}

// A problem raised on a visit that becomes a ledger item carries the
// community's 包社区领导 as its leader (on both engines); a community
// without one leaves it empty. So does any item added without a leader (a
// daily meeting's decision, a form left blank), while one given is kept.
func TestVisitLedgerItemLeader(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		clockOn(st, "2026-10-20")
		zone := st.Zone(store.System)
		var hh []visit.Household
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			for _, a := range []org.Assignment{
				{OrgCode: "Z-1-1", Duty: org.CommunityCadre, Name: "包干部甲"},
				{OrgCode: "Z-1-1", Duty: org.CommunityLeader, Name: "包领导甲"},
				{OrgCode: "Z-1-1", Duty: org.CommunityLeader, Name: "包领导乙"},
			} {
				if _, err := tx.AddAssignment(ctx, a); err != nil {
					return err
				}
			}
			for _, code := range []string{"Z-1-1", "Z-1-2"} {
				h, err := tx.AddHousehold(ctx, code, visit.Household{Address: "5-101", Head: "赵六", Size: 2})
				if err != nil {
					return err
				}
				hh = append(hh, h)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for i, code := range []string{"Z-1-1", "Z-1-2"} {
			got, err := zone.RecordVisit(ctx, visit.Visit{ClientID: clientID(10 + i), Community: code, Round: visit.Before, Household: hh[i].ID,
				Visitors: []string{"调研员甲"}, Day: "2026-10-19", Method: visit.Door, Problems: []visit.Problem{{Category: visit.Safety,
					Urgency: visit.Soon, Text: "路灯不亮", FollowUp: true, Owner: "网格员", Due: "2026-10-30"}}})
			if err != nil {
				t.Fatal(err)
			}
			items, err := zone.CommunityLedger(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"Z-1-1": "包领导甲", "Z-1-2": ""}[code]
			if len(items) != 1 || items[0].ID != got.Problems[0].LedgerItem || items[0].Leader != want {
				t.Errorf("%s: ledger items %+v, want one led by %q", code, items, want)
			}
		}
		for given, want := range map[string]string{"": "包领导甲", "片区书记": "片区书记"} {
			var it ledger.Item
			if err := zone.Write(ctx, func(tx *store.Tx) error {
				var err error
				it, err = tx.AddLedgerItem(ctx, ledger.Item{OrgCode: "Z-1-1", Source: ledger.FromMeeting, SourceRef: "1",
					Content: "例会决定:走访未到户的补访", Risk: ledger.Medium, Owner: "网格员", Leader: given, Due: "2026-10-30"})
				return err
			}); err != nil || it.Leader != want {
				t.Errorf("an item added with leader %q: %q %v, want %q", given, it.Leader, err, want)
			}
		}
	})
}

// Talks owed (全谈) count a person once, on both engines: a sitting member
// holding both posts (一肩挑: a row in each committee, one ID number, or
// one name and birth date without one) is owed one talk, listed once on
// the visit form, and a talk to either post reaches the person; the
// coverage counts the same as the list, and the board's tally of
// intentions counts the person once, by the latest talk to either post. A
// round that does not ask for 全谈
// owes none, on the list as in the coverage.
func TestTalksOwedOncePerPerson(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		const code = "Z-1-1"
		clockOn(st, "2026-10-20")
		zone := st.Zone(store.System)
		id := orgID(t, st, code)
		member := func(name, birth string, c org.Committee, post, idNumber string) org.Member {
			return org.Member{OrgID: id, Name: name, Sex: "男", BirthDate: civil.Date(birth), Committee: c, Post: post, PartyMember: true,
				IDNumber: idNumber}
		}
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			return tx.ImportMembers(ctx, []org.Member{
				member("书记甲", "1970-01-01", org.PartyCommittee, "书记", "110101197001010011"),
				member("委员乙", "1980-02-02", org.PartyCommittee, "委员", ""),
				member("书记甲", "1970-01-01", org.ResidentsCommittee, "主任", "110101197001010011"),
				member("委员乙", "1980-02-02", org.ResidentsCommittee, "副主任", ""),
				member("委员丙", "1985-03-03", org.ResidentsCommittee, "委员", "110101198503030033"),
				// One name, another person (another birth date).
				member("委员乙", "1990-04-04", org.ResidentsCommittee, "委员", ""),
			})
		}); err != nil {
			t.Fatal(err)
		}
		owed := func(r visit.Round) (store.OwedPage, int) {
			t.Helper()
			page, err := zone.TalksOwed(ctx, code, r, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			cov, err := zone.Coverage(ctx, r, false, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range cov.Rows {
				if row.Community == code {
					return page, row.TalksOwed
				}
			}
			t.Fatalf("no coverage of %s", code)
			return page, 0
		}
		names := func(p store.OwedPage) string {
			var out []string
			for _, o := range p.Owed {
				out = append(out, o.Name)
			}
			return strings.Join(out, " ")
		}
		page, counted := owed(visit.Before)
		if page.Total != 4 || counted != 4 || names(page) != "书记甲 委员丙 委员乙 委员乙" {
			t.Fatalf("owed before any talk: %d listed (%s), %d counted; want 4 persons", page.Total, names(page), counted)
		}
		form, err := zone.VisitMembers(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if len(form) != 4 || form[0].ID != page.Owed[0].ID {
			t.Errorf("the visit form lists %+v, want each of the 4 persons once", form)
		}
		// Talks to the director's row of 书记甲 and to the deputy director's
		// row of 委员乙 (who has no ID number) reach both persons.
		all, err := zone.Members(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range all {
			if m.Post != "主任" && m.Post != "副主任" {
				continue
			}
			if _, err := zone.RecordVisit(ctx, visit.Visit{ClientID: clientID(20 + i), Community: code, Round: visit.Before, Member: m.ID,
				Visitors: []string{"调研员甲"}, Day: "2026-10-19", Method: visit.Meeting, Intention: visit.Stands}); err != nil {
				t.Fatal(err)
			}
		}
		// 书记甲 talked to again as secretary, the next day: no longer standing.
		if _, err := zone.RecordVisit(ctx, visit.Visit{ClientID: clientID(30), Community: code, Round: visit.Before, Member: all[0].ID,
			Visitors: []string{"调研员甲"}, Day: "2026-10-20", Method: visit.Meeting, Intention: visit.NotStand}); err != nil || all[0].Name != "书记甲" {
			t.Fatal(err, all[0].Name)
		}
		tally, err := zone.TalkIntentions(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if tally.Stands != 1 || tally.NotStand != 1 || len(tally.Standing) != 1 || tally.Standing[0].Name != "委员乙" {
			t.Errorf("the talks' intentions: %+v, want 书记甲 once (not standing, the latest) and 委员乙 standing", tally)
		}
		page, counted = owed(visit.Before)
		if page.Total != 2 || counted != 2 || names(page) != "委员丙 委员乙" {
			t.Errorf("owed after two talks: %d listed (%s), %d counted; want 委员丙 and the other 委员乙", page.Total, names(page), counted)
		}

		// The round during does not ask for 全谈 by default: nothing owed.
		page, counted = owed(visit.During)
		if page.Total != 0 || len(page.Owed) != 0 || counted != 0 {
			t.Errorf("the round during owes %d talks (%d counted), want none", page.Total, counted)
		}
		// Asked for, it owes every person.
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.SetCampaign(ctx, visit.Campaign{Round: visit.During, HouseholdPercent: 70, TalkAll: true})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if page, counted = owed(visit.During); page.Total != 4 || counted != 4 {
			t.Errorf("the round during asked for 全谈 owes %d (%d counted), want 4", page.Total, counted)
		}

		// A database made before the counts were kept (migration 00035)
		// holds a talk to each post of 书记甲 as reached; migrated, it counts
		// the person once, as the platform now does, and verifies (every
		// test's store is verified when it ends).
		var director int64
		for _, m := range all {
			if m.Name == "书记甲" && m.Post == "主任" {
				director = m.ID
			}
		}
		if err := st.Tamper(ctx, fmt.Sprintf(`INSERT INTO visit_reached (cycle_id, round, kind, target_id, org_id, visit_id)
			SELECT cycle_id, round, kind, %d, org_id, visit_id FROM visit_reached WHERE kind = 'm' AND target_id = %d`, director, all[0].ID)); err != nil {
			t.Fatal(err)
		}
		if err := st.RedoMigration(ctx, 35); err != nil {
			t.Fatal(err)
		}
		if page, counted = owed(visit.Before); page.Total != 2 || counted != 2 {
			t.Errorf("owed after the migration: %d listed (%s), %d counted; want 2", page.Total, names(page), counted)
		}
	})
}
