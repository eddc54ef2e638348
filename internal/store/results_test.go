package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/vetting"
)

// clockOn pins st's clock to 09:00 of day in China.
func clockOn(st *store.Store, day civil.Date) {
	at := day.Start().Add(9 * time.Hour)
	st.SetClock(func() time.Time { return at })
}

// resultsPeople are the aspirants of 辛庄 (Z-1-1) in resultsZone, by name:
// 甲 (male, 1990-06-01, 本科) stands for secretary and director, 乙
// (female, 1992-01-16, 大专) for deputy secretary and residents' member, 丙
// (male, 1966-12-19, 初中) for the party committee, 丁 (female, 1980-05-05,
// 高中, 群众) for the residents' committee; 外 is an aspirant of 西山 (Z-1-2).
type resultsPeople map[string]int64

// resultsZone is tree's zone with the people above, qualified, the seats
// of both committees of 辛庄, sitting members (甲 on the party committee by
// ID number, 戊 by name and birth date, 丁 on the residents' committee), a
// predicted slate (party: 甲 secretary, 乙 deputy, 丙 member; residents: 甲
// director, 丁 and 乙 members; 一肩挑) and the default days: the party
// votes on 2026-12-19, the residents on 2027-01-16.
func resultsZone(t *testing.T, st *store.Store) resultsPeople {
	t.Helper()
	tree(t, st)
	clockOn(st, "2026-12-01")
	zone := st.Zone(store.System)
	type person struct {
		name, born string
		n          int
		party      vetting.Party
		c          org.Committee
		post, also vetting.Post
		edu        vetting.Education
		code       string
	}
	list := []person{
		{"王甲", "19900601", 1, vetting.PartyMember, org.PartyCommittee, vetting.Secretary, vetting.Director, vetting.Bachelor, "Z-1-1"},
		{"王乙", "19920116", 2, vetting.PartyMember, org.PartyCommittee, vetting.DeputySecretary, vetting.CommitteeMember, vetting.College, "Z-1-1"},
		{"王丙", "19661219", 3, vetting.PartyMember, org.PartyCommittee, vetting.CommitteeMember, "", vetting.JuniorOrLess, "Z-1-1"},
		{"王丁", "19800505", 4, vetting.Masses, org.ResidentsCommittee, vetting.CommitteeMember, "", vetting.HighSchool, "Z-1-1"},
		{"王外", "19850101", 5, vetting.Masses, org.ResidentsCommittee, vetting.CommitteeMember, "", vetting.HighSchool, "Z-1-2"},
	}
	people := resultsPeople{}
	err := zone.Write(ctx, func(tx *store.Tx) error {
		items := make([]vetting.Aspirant, len(list))
		for i, p := range list {
			items[i] = vetting.Aspirant{OrgCode: p.code, Name: p.name, IDNumber: idBornOn(p.born, p.n), Phone: "13812345678", Party: p.party,
				Committee: p.c, Post: p.post, CrossPost: p.also, Education: p.edu}
		}
		ids, err := tx.ImportAspirants(ctx, items)
		if err != nil {
			return err
		}
		for i, p := range list {
			people[p.name] = ids[i]
			for _, to := range []vetting.Status{vetting.UnderReview, vetting.Reviewed, vetting.Qualified} {
				if err := tx.MoveAspirant(ctx, ids[i], to, "测试"); err != nil {
					return err
				}
			}
		}
		if _, err := tx.SetSeats(ctx, "Z-1-1", slate.Seats{Committee: org.PartyCommittee, FullMembers: 40, Chief: 1, Deputies: 1, Members: 3}); err != nil {
			return err
		}
		if _, err := tx.SetSeats(ctx, "Z-1-1", slate.Seats{Committee: org.ResidentsCommittee, Body: slate.ResidentsBody, Chief: 1, Deputies: 1,
			Members: 3}); err != nil {
			return err
		}
		list, err := zone.ListOrgs(ctx, store.OrgFilter{Kind: org.Community})
		if err != nil {
			return err
		}
		units := map[string]int64{}
		for _, u := range list {
			units[u.Code] = u.ID
		}
		if err := tx.ImportMembers(ctx, []org.Member{
			{OrgID: units["Z-1-1"], Name: "王甲", Sex: "男", BirthDate: "1990-06-01", Committee: org.PartyCommittee, Post: "书记", PartyMember: true,
				IDNumber: idBornOn("19900601", 1)},
			{OrgID: units["Z-1-1"], Name: "王戊", Sex: "男", BirthDate: "1975-03-03", Committee: org.PartyCommittee, Post: "委员", PartyMember: true},
			{OrgID: units["Z-1-1"], Name: "王丁", Sex: "女", BirthDate: "1980-05-05", Committee: org.ResidentsCommittee, Post: "委员",
				IDNumber: idBornOn("19800505", 4)},
		}); err != nil {
			return err
		}
		_, err = tx.SetSlate(ctx, "Z-1-1", slate.Prediction{Dual: true, Picks: []slate.Pick{
			{Committee: org.PartyCommittee, Post: vetting.Secretary, AspirantID: people["王甲"]},
			{Committee: org.PartyCommittee, Post: vetting.DeputySecretary, AspirantID: people["王乙"], Source: slate.Inside},
			{Committee: org.PartyCommittee, Post: vetting.CommitteeMember, AspirantID: people["王丙"]},
			{Committee: org.ResidentsCommittee, Post: vetting.Director, AspirantID: people["王甲"]},
			{Committee: org.ResidentsCommittee, Post: vetting.CommitteeMember, AspirantID: people["王丁"]},
			{Committee: org.ResidentsCommittee, Post: vetting.CommitteeMember, AspirantID: people["王乙"], Source: slate.Inside},
		}}, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return people
}

// partyElected are 辛庄's party committee as elected on 2026-12-19: 甲, 乙
// (36 of 40: 90%, 高票), 丙 and 戊 written in (no aspirant record, a
// further ballot).
func partyElected(p resultsPeople) []store.ElectedMember {
	return []store.ElectedMember{
		{AspirantID: p["王甲"], Post: vetting.CommitteeMember, Votes: 38, Base: 40, Round: election.FirstRound},
		{AspirantID: p["王乙"], Post: vetting.CommitteeMember, Votes: 36, Base: 40, Round: election.FirstRound},
		{AspirantID: p["王丙"], Post: vetting.CommitteeMember, Votes: 30, Base: 40, Round: election.FirstRound},
		{Name: "王戊", Sex: "男", BirthDate: "1975-03-03", Education: vetting.HighSchool, Party: vetting.PartyMember, Post: vetting.CommitteeMember,
			Votes: 21, Base: 40, Round: election.FurtherRound},
	}
}

// residentsElected are 辛庄's residents' committee as elected on
// 2027-01-16: 甲 director, 丁 deputy (predicted a member), 己 written in
// (35 on the day: 35岁以下); 乙 not elected.
func residentsElected(p resultsPeople) []store.ElectedMember {
	return []store.ElectedMember{
		{AspirantID: p["王甲"], Post: vetting.Director, Votes: 900, Base: 1000, Round: election.FirstRound},
		{AspirantID: p["王丁"], Post: vetting.DeputyDirector, Votes: 700, Base: 1000, Round: election.FirstRound},
		{Name: "王己", Sex: "女", BirthDate: "1992-01-16", Education: vetting.College, Party: vetting.Masses, Post: vetting.CommitteeMember,
			Votes: 510, Base: 1000, Round: election.FirstRound},
	}
}

// The results of a community: entered only from the election day, within
// the rules and the scope; who was a sitting member; the officers and
// their approval; every comparison with the predicted slate kept; the
// handover, late or feeding the progress table; audited.
func TestResults(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		people := resultsZone(t, st)
		zone := st.Zone(store.System)
		write := func(fn func(tx *store.Tx) error) error { return zone.Write(ctx, fn) }
		elect := func(db *store.Scoped, code string, c org.Committee, ms []store.ElectedMember) error {
			return db.Write(ctx, func(tx *store.Tx) error { return tx.SetElected(ctx, code, c, ms) })
		}
		// Before the party's election day: refused.
		clockOn(st, "2026-12-18")
		if err := elect(zone, "Z-1-1", org.PartyCommittee, partyElected(people)); !errs.Is(err, errs.Unprocessable) ||
			!strings.Contains(errs.MessageOf(err), "2026-12-19") {
			t.Fatalf("a result before the election day: %v", err)
		}
		clockOn(st, "2026-12-19")
		for _, c := range []struct {
			name  string
			edit  func([]store.ElectedMember) []store.ElectedMember
			field string
		}{
			{"an aspirant of another community", func(m []store.ElectedMember) []store.ElectedMember { m[1].AspirantID = people["王外"]; return m },
				"members[1].aspirant_id"},
			{"a secretary elected by the assembly", func(m []store.ElectedMember) []store.ElectedMember { m[0].Post = vetting.Secretary; return m },
				"members[0].post"},
			{"six on five seats", func(m []store.ElectedMember) []store.ElectedMember {
				return append(m, store.ElectedMember{Name: "王庚", Sex: "男", BirthDate: "1970-01-01", Education: vetting.HighSchool,
					Party: vetting.PartyMember, Post: vetting.CommitteeMember, Votes: 21, Base: 40, Round: election.FirstRound},
					store.ElectedMember{Name: "王辛", Sex: "男", BirthDate: "1971-01-01", Education: vetting.HighSchool,
						Party: vetting.PartyMember, Post: vetting.CommitteeMember, Votes: 21, Base: 40, Round: election.FirstRound})
			}, "members[5].post"},
			{"a written-in probationary member", func(m []store.ElectedMember) []store.ElectedMember { m[3].Party = vetting.Probationary; return m },
				"members[3].party"},
		} {
			if err := elect(zone, "Z-1-1", org.PartyCommittee, c.edit(partyElected(people))); errs.FieldOf(err) != c.field {
				t.Errorf("%s: %v, want refused on %s", c.name, err, c.field)
			}
		}
		// Out of scope: as if it did not exist.
		z2 := within(st, "/Z/Z-2/")
		if err := elect(z2, "Z-1-1", org.PartyCommittee, partyElected(people)); !errs.Is(err, errs.NotFound) {
			t.Fatalf("out of scope: %v", err)
		}
		entries := auditCount(t, st)
		if err := elect(zone, "Z-1-1", org.PartyCommittee, partyElected(people)); err != nil {
			t.Fatal(err)
		}
		if n := auditCount(t, st); n != entries+1 {
			t.Errorf("a result wrote %d audit entries, want 1", n-entries)
		}
		// The committee elects its officers the next day; refused the day before the party's election.
		clockOn(st, "2026-12-20")
		r, err := zone.Results(ctx, "Z-1-1")
		if err != nil {
			t.Fatal(err)
		}
		party := r.Committees[0]
		ids := map[string]int64{}
		for _, m := range party.Members {
			ids[m.Name] = m.ID
		}
		if err := write(func(tx *store.Tx) error {
			return tx.SetOfficers(ctx, "Z-1-1", election.Officers{Day: "2026-12-18", Secretary: ids["王甲"]})
		}); errs.FieldOf(err) != "day" {
			t.Errorf("officers elected before the party's election: %v", err)
		}
		if err := write(func(tx *store.Tx) error {
			return tx.ApproveOfficers(ctx, "Z-1-1", election.Approval{Day: "2026-12-20", Document: "清组字〔2026〕1号"})
		}); !errs.Is(err, errs.Unprocessable) {
			t.Errorf("an approval before the officers: %v", err)
		}
		if err := write(func(tx *store.Tx) error {
			return tx.SetOfficers(ctx, "Z-1-1", election.Officers{Day: "2026-12-20", Secretary: ids["王甲"], Deputies: []int64{ids["王乙"]}})
		}); err != nil {
			t.Fatal(err)
		}
		clockOn(st, "2026-12-24")
		if err := write(func(tx *store.Tx) error {
			return tx.ApproveOfficers(ctx, "Z-1-1", election.Approval{Day: "2026-12-23", Document: " 清组字〔2026〕12号 "})
		}); err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error {
			return tx.SetOfficers(ctx, "Z-1-1", election.Officers{Day: "2026-12-20", Secretary: ids["王乙"]})
		}); !errs.Is(err, errs.Conflict) {
			t.Errorf("officers changed after the approval: %v", err)
		}
		// The party's handover on the 11th day: late.
		clockOn(st, "2027-01-02")
		var rec store.HandoverRecord
		if err := write(func(tx *store.Tx) error {
			var err error
			rec, err = tx.SetHandover(ctx, "Z-1-1", org.PartyCommittee, election.Handover{Day: "2026-12-30", Note: "移交印章和档案"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if !rec.Late || rec.Due != "2026-12-29" || !strings.Contains(rec.Progress, "未标记") {
			t.Errorf("a handover on the 11th day: %+v", rec)
		}
		if err := write(func(tx *store.Tx) error {
			_, err := tx.SetHandover(ctx, "Z-1-1", org.ResidentsCommittee, election.Handover{Day: "2027-01-01"})
			return err
		}); !errs.Is(err, errs.Unprocessable) {
			t.Errorf("a handover before the committee's results: %v", err)
		}

		// The residents' committee; its stages up to the results done, so its handover marks the progress table.
		clockOn(st, "2027-01-18")
		if err := elect(zone, "Z-1-1", org.ResidentsCommittee, residentsElected(people)); err != nil {
			t.Fatal(err)
		}
		var marks []store.ProgressMark
		for _, s := range []string{"res_committee", "res_voters", "res_nominate", "res_assess", "res_candidates", "res_vote", "res_results"} {
			marks = append(marks, store.ProgressMark{OrgCode: "Z-1-1", Stage: s, DoneOn: "2027-01-16", Evidence: "测试"})
		}
		if err := write(func(tx *store.Tx) error { return tx.ImportProgressMarks(ctx, marks) }); err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error {
			var err error
			rec, err = tx.SetHandover(ctx, "Z-1-1", org.ResidentsCommittee, election.Handover{Day: "2027-01-18"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		progressMarks, err := zone.CommunityProgress(ctx, "Z-1-1")
		if err != nil {
			t.Fatal(err)
		}
		if rec.Late || !strings.Contains(rec.Progress, "已标记完成") || progressMarks["res_handover"].DoneOn != "2027-01-18" {
			t.Errorf("the residents' handover in time: %+v, progress %+v", rec, progressMarks["res_handover"])
		}

		// What the community's page reads.
		r, err = zone.Results(ctx, "Z-1-1")
		if err != nil {
			t.Fatal(err)
		}
		party, res := r.Committees[0], r.Committees[1]
		type row struct {
			name           string
			post           vetting.Post
			age            int
			reelected      bool
			cross, written bool
		}
		got := func(ms []store.ElectedMember) []row {
			var out []row
			for _, m := range ms {
				out = append(out, row{m.Name, m.Post, m.Age, m.Reelected, m.Cross, m.AspirantID == 0})
			}
			return out
		}
		wantParty := []row{{"王甲", vetting.Secretary, 36, true, true, false}, {"王乙", vetting.DeputySecretary, 34, false, false, false},
			{"王丙", vetting.CommitteeMember, 60, false, false, false}, {"王戊", vetting.CommitteeMember, 51, true, false, true}}
		if g := got(party.Members); !slices.Equal(g, wantParty) {
			t.Errorf("party committee:\n got %+v\nwant %+v", g, wantParty)
		}
		wantRes := []row{{"王甲", vetting.Director, 36, false, true, false}, {"王丁", vetting.DeputyDirector, 46, true, false, false},
			{"王己", vetting.CommitteeMember, 35, false, false, true}}
		if g := got(res.Members); !slices.Equal(g, wantRes) {
			t.Errorf("residents' committee:\n got %+v\nwant %+v", g, wantRes)
		}
		if m := party.Members[1]; m.Sex != "女" || m.BirthDate != "1992-01-16" || m.Education != vetting.College || !m.High() {
			t.Errorf("乙 from the aspirant record, 90%% 高票: %+v", m)
		}
		if o := party.Officers; o == nil || !o.Approved() || o.Document != "清组字〔2026〕12号" || o.ElectedOn != "2026-12-20" {
			t.Errorf("officers: %+v", o)
		}
		if h := party.Handover; h == nil || h.Day != "2026-12-30" || !h.Late {
			t.Errorf("party handover: %+v", h)
		}
		// Every comparison kept: the party's before its officers (甲 and 乙 pending) and after.
		if len(party.Matches) != 2 || party.Matches[0].Generation != 2 || party.Matches[0].Matched != 3 || party.Matches[1].Matched != 1 ||
			party.Matches[1].Lines[0].Outcome != election.MatchPending {
			t.Errorf("party comparisons: %+v", party.Matches)
		}
		if len(res.Matches) != 1 || res.Matches[0].Rate() != "33.3%" || res.Matches[0].Lines[1].Outcome != election.MatchOther ||
			res.Matches[0].Lines[2].Outcome != election.MatchMissed {
			t.Errorf("residents' comparison: %+v", res.Matches)
		}

		// The zone's predicted vs actual.
		m, err := zone.Matches(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if m.Total != (store.MatchCount{Predicted: 6, Matched: 4, Other: 1, Missed: 1}) || len(m.Rows) != 2 || m.Rows[0].Generation != 2 ||
			*m.ByCommittee[org.ResidentsCommittee] != (store.MatchCount{Predicted: 3, Matched: 1, Other: 1, Missed: 1}) {
			t.Errorf("matches: %+v %+v", m.Total, m.Rows)
		}
		var members store.MatchPost
		for _, p := range m.Posts {
			if p.Committee == org.ResidentsCommittee && p.Post == vetting.CommitteeMember {
				members = p
			}
		}
		if members.Predicted != 2 || members.Matched != 0 || len(m.Posts) != 5 {
			t.Errorf("per post: %+v", m.Posts)
		}
		if m, err := z2.Matches(ctx, ""); err != nil || len(m.Rows) != 0 || m.Total.Predicted != 0 {
			t.Errorf("another district's matches: %+v %v", m, err)
		}

		// A re-entry adds a comparison and never overwrites: clearing the
		// residents' result leaves the earlier ones; the zone counts only
		// committees with results.
		if err := elect(zone, "Z-1-1", org.ResidentsCommittee, nil); err != nil {
			t.Fatal(err)
		}
		r, _ = zone.Results(ctx, "Z-1-1")
		if res := r.Committees[1]; len(res.Matches) != 2 || res.Matches[1].Matched != 1 || res.Matches[0].Matched != 0 || res.Handover != nil {
			t.Errorf("after clearing the residents' result: %+v", res)
		}
		if m, _ := zone.Matches(ctx, ""); m.Total.Predicted != 3 {
			t.Errorf("matches after clearing: %+v", m.Total)
		}
		if err := elect(zone, "Z-1-1", org.ResidentsCommittee, residentsElected(people)); err != nil {
			t.Fatal(err)
		}
	})
}

// The statistics higher levels ask for: the county form's row of each
// community and the zone's totals, each figure as counted by hand from
// the results above (the tallies kept by the writes); ages and 35岁以下 as
// slate.AgeOn and slate.Young count them on each committee's election day.
func TestResultStatistics(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		people := resultsZone(t, st)
		zone := st.Zone(store.System)
		clockOn(st, "2026-12-20")
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			return tx.SetElected(ctx, "Z-1-1", org.PartyCommittee, partyElected(people))
		}); err != nil {
			t.Fatal(err)
		}
		r, err := zone.Results(ctx, "Z-1-1")
		if err != nil {
			t.Fatal(err)
		}
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			return tx.SetOfficers(ctx, "Z-1-1", election.Officers{Day: "2026-12-20", Secretary: r.Committees[0].Members[0].ID})
		}); err != nil {
			t.Fatal(err)
		}
		clockOn(st, "2027-01-30")
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			return tx.SetElected(ctx, "Z-1-1", org.ResidentsCommittee, residentsElected(people))
		}); err != nil {
			t.Fatal(err)
		}
		s, err := zone.ResultStatistics(ctx, "", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Rows) != 3 || s.Rows[0].Code != "Z-1-1" {
			t.Fatalf("rows: %+v", s.Rows)
		}
		row := s.Rows[0]
		wantParty := store.StatGroup{Members: 4, AgeSum: 36 + 34 + 60 + 51, Young: 1, Old: 1, Women: 1, College: 2, High: 1, Junior: 1,
			Party: 4, Reelected: 2}
		wantRes := store.StatGroup{Members: 3, AgeSum: 36 + 46 + 35, Young: 1, Old: 0, Women: 2, College: 2, High: 1, Junior: 0,
			Party: 1, Reelected: 1}
		// Each person once: the party committee's four, and of the residents' committee 丁 and 己 (甲 sits on both).
		wantPeople := store.StatGroup{Members: 6, AgeSum: 36 + 34 + 60 + 51 + 46 + 35, Young: 2, Old: 1, Women: 3, College: 3, High: 2,
			Junior: 1, Party: 4, Reelected: 3}
		if row.Party != wantParty || row.Residents != wantRes || row.People != wantPeople || row.Cross != 1 {
			t.Errorf("辛庄:\n party %+v\n  want %+v\n residents %+v\n  want %+v\n people %+v\n  want %+v\n cross %d",
				row.Party, wantParty, row.Residents, wantRes, row.People, wantPeople, row.Cross)
		}
		if !row.OneShoulder() || row.Secretary == nil || row.Secretary.Name != "王甲" || row.Director.Age != 36 || row.Director.Sex != "男" ||
			row.PartyElectedOn != "2026-12-19" || row.ResidentsElectedOn != "2027-01-16" {
			t.Errorf("chiefs: %+v %+v %+v", row.Secretary, row.Director, row)
		}
		// The kept tallies agree with the results as read: ages and 35岁以下 recounted with slate.AgeOn and slate.Young.
		r, err = zone.Results(ctx, "Z-1-1")
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range r.Committees {
			young, sum := 0, 0
			for _, m := range c.Members {
				age := slate.AgeOn(m.BirthDate, c.ElectionDay)
				sum += age
				if slate.Young(age) {
					young++
				}
			}
			g := row.Of(c.Committee)
			if g.AgeSum != sum || g.Young != young {
				t.Errorf("committee %d: the statement counts ages %d, young %d; the domain %d, %d", i, g.AgeSum, g.Young, sum, young)
			}
		}
		tot := s.Total
		want := store.StatTotals{Communities: 3, Party: wantParty, Residents: wantRes, People: wantPeople, Cross: 1, PartyElected: 1,
			ResidentsElected: 1, BothChiefs: 1, OneShoulder: 1, Secretaries: 1, WomenSecretaries: 0,
			SecretaryAgeSum: 36, Directors: 1, WomenDirectors: 0, DirectorAgeSum: 36, Handovers: 2, HandedOver: 0, Late: 2}
		if tot != want {
			t.Errorf("totals:\n got %+v\nwant %+v", tot, want)
		}
		// Both handovers late: the party's was due on 2026-12-29, the residents' on 2027-01-26; today is 01-30.
		if len(s.Late) != 2 || s.Late[0].Committee != org.PartyCommittee || s.Late[0].Due != "2026-12-29" || s.Late[1].Due != "2027-01-26" {
			t.Errorf("late handovers: %+v", s.Late)
		}
		if s.Ballots != (store.BallotFigures{}) {
			t.Errorf("figures of the counts without ballots: %+v", s.Ballots)
		}
		// A window of the rows: the same totals and late handovers, the rows from the offset only.
		for _, w := range []struct{ limit, offset int }{{1, 0}, {2, 1}, {5, 2}, {1, 3}} {
			p, err := zone.ResultStatistics(ctx, "", w.limit, w.offset)
			if err != nil {
				t.Fatal(err)
			}
			wantRows := s.Rows[min(w.offset, 3):min(w.offset+w.limit, 3)]
			if p.Total != s.Total || len(p.Late) != len(s.Late) || !slices.EqualFunc(p.Rows, wantRows, func(a, b store.StatRow) bool { return a.Code == b.Code }) {
				t.Errorf("window %+v: totals %+v, %d late, rows %+v; want the rows %+v", w, p.Total, len(p.Late), p.Rows, wantRows)
			}
		}
		// A district's statistics hold its communities only; another scope sees none of 辛庄.
		d, err := zone.ResultStatistics(ctx, "Z-2", 0, 0)
		if err != nil || len(d.Rows) != 1 || d.Rows[0].Code != "Z-2-1" || d.Total.Party.Members != 0 {
			t.Errorf("district Z-2: %+v %v", d.Rows, err)
		}
		if other, err := within(st, "/Z/Z-2/").ResultStatistics(ctx, "Z-1", 0, 0); err != nil || len(other.Rows) != 0 {
			t.Errorf("Z-2's office asking for Z-1: %+v %v", other.Rows, err)
		}
		// The structure targets evaluated on the results: 一肩挑 met.
		p, err := zone.ResultTargetsPage(ctx, "", true, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if p.Communities != 3 || p.Ratios.WithLineup != 1 || p.Ratios.People != 6 || p.Ratios.OneShoulder != 100 || len(p.Rows) != 3 {
			t.Errorf("targets on the results: %+v", p)
		}
		for _, x := range p.Rows[0].Results {
			if x.Target.Rule == slate.OneShoulder && !x.Met {
				t.Errorf("一肩挑 on the results: %+v", x)
			}
		}
	})
}

// electInDemo enters a party committee's result and officers in the demo's
// first community (QS-01-001, which has a predicted slate) a day after its
// election day, so that every table of the results holds a record.
func electInDemo(t *testing.T, st *store.Store) {
	t.Helper()
	clockOn(st, "2026-12-20")
	zone := st.Zone(store.System)
	var ms []store.ElectedMember
	for i, name := range []string{"结果甲", "结果乙", "结果丙"} {
		ms = append(ms, store.ElectedMember{Name: name, Sex: "女", BirthDate: civil.Date(fmt.Sprintf("198%d-01-01", i)), Education: vetting.College,
			Party: vetting.PartyMember, Post: vetting.CommitteeMember, Votes: 30, Base: 40, Round: election.FirstRound})
	}
	if err := zone.Write(ctx, func(tx *store.Tx) error { return tx.SetElected(ctx, "QS-01-001", org.PartyCommittee, ms) }); err != nil {
		t.Fatal(err)
	}
	r, err := zone.Results(ctx, "QS-01-001")
	if err != nil || len(r.Committees[0].Members) != 3 || len(r.Committees[0].Matches) != 1 {
		t.Fatalf("the demo's result: %+v %v", r, err)
	}
	if err := zone.Write(ctx, func(tx *store.Tx) error {
		return tx.SetOfficers(ctx, "QS-01-001", election.Officers{Day: "2026-12-20", Secretary: r.Committees[0].Members[0].ID})
	}); err != nil {
		t.Fatal(err)
	}
}

// Whoever changes a result in the database behind the platform's back is
// named by verify: an elected member's votes, the officers' approval, a
// comparison with the predicted slate.
func TestResultsProtected(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		testdb.Tampers(t)
		people := resultsZone(t, st)
		zone := st.Zone(store.System)
		clockOn(st, "2026-12-24")
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			return tx.SetElected(ctx, "Z-1-1", org.PartyCommittee, partyElected(people))
		}); err != nil {
			t.Fatal(err)
		}
		r, _ := zone.Results(ctx, "Z-1-1")
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			if err := tx.SetOfficers(ctx, "Z-1-1", election.Officers{Day: "2026-12-20", Secretary: r.Committees[0].Members[0].ID}); err != nil {
				return err
			}
			return tx.ApproveOfficers(ctx, "Z-1-1", election.Approval{Day: "2026-12-23", Document: "清组字〔2026〕12号"})
		}); err != nil {
			t.Fatal(err)
		}
		if rep := verified(t, st); !rep.OK() {
			t.Fatalf("untouched: %s", problems(rep))
		}
		member, _ := st.QueryInt(ctx, `SELECT MIN(id) FROM elected_members`)
		match, _ := st.QueryInt(ctx, `SELECT MIN(id) FROM slate_matches`)
		org1, _ := st.QueryInt(ctx, `SELECT org_id FROM party_officers`)
		for _, c := range []struct{ name, tamper, undo, want string }{
			{"votes", `UPDATE elected_members SET votes = votes + 5 WHERE id = ` + itoa(member),
				`UPDATE elected_members SET votes = votes - 5 WHERE id = ` + itoa(member), "当选人员 第 " + itoa(member) + " 号"},
			{"approval", `UPDATE party_officers SET approval_doc = approval_doc || '改'`,
				`UPDATE party_officers SET approval_doc = '清组字〔2026〕12号'`, "书记副书记选举及上级批准 第 " + itoa(org1) + ":"},
			{"comparison", `UPDATE slate_matches SET outcome = 'post' WHERE id = ` + itoa(match),
				`UPDATE slate_matches SET outcome = 'pending' WHERE id = ` + itoa(match), "预判与选举结果比对 第 " + itoa(match) + " 号"},
		} {
			if err := st.Tamper(ctx, c.tamper); err != nil {
				t.Fatal(err)
			}
			rep := verified(t, st)
			if rep.OK() || len(rep.RecordProblems) != 1 || !strings.Contains(problems(rep), c.want) {
				t.Errorf("after changing the %s directly:\n%s\nwant one problem naming %q", c.name, problems(rep), c.want)
			}
			if err := st.Tamper(ctx, c.undo); err != nil {
				t.Fatal(err)
			}
			if rep := verified(t, st); !rep.OK() {
				t.Errorf("after putting the %s back:\n%s", c.name, problems(rep))
			}
		}
	})
}
