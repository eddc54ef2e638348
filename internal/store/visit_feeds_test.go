package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/meeting"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/visit"
)

// What the visits feed, through the store on both engines, in a zone of
// three communities whose round before the election ends on 2026-11-30
// (70%, 全谈): Z-1-1 reached 6 of its 10 households (one of them visited
// twice, one call missed), Z-1-2 exactly 7 of 10 with every talk held,
// Z-2-1 3 of 4 but a representative not talked to. Ten days before the
// end nobody is warned about; from seven days before, Z-1-1 (households)
// and Z-2-1 (talks) are, with the figures a count of the database's own
// rows gives, late the day after the end; a district's office sees only
// its own; the agenda carries them and a meeting opened that day keeps
// them after Z-1-1 catches up; the progress table's current round is the
// round before until the round during starts; the board's tally counts
// each person by their latest talk.
func TestVisitFeeds(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		at := func(day civil.Date) {
			st.SetClock(func() time.Time { return day.Start().Add(9 * time.Hour) })
		}
		at("2026-11-20")
		zone := st.Zone(store.System)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		write := func(fn func(tx *store.Tx) error) { t.Helper(); must(zone.Write(ctx, fn)) }
		write(func(tx *store.Tx) error {
			for _, c := range []visit.Campaign{
				{Round: visit.Before, StartsOn: "2026-10-01", EndsOn: "2026-11-30", HouseholdPercent: 70, TalkAll: true},
				{Round: visit.During, StartsOn: "2026-12-10", EndsOn: "2027-02-10", HouseholdPercent: 60},
			} {
				if _, err := tx.SetCampaign(ctx, c); err != nil {
					return err
				}
			}
			return nil
		})
		units, err := zone.ListOrgs(ctx, store.OrgFilter{Kind: org.Community})
		must(err)
		orgID := map[string]int64{}
		for _, u := range units {
			orgID[u.Code] = u.ID
		}
		households := map[string][]int64{}
		people := map[string][]visit.Person{}
		write(func(tx *store.Tx) error {
			for code, n := range map[string]int{"Z-1-1": 10, "Z-1-2": 10, "Z-2-1": 4} {
				for i := range n {
					h, err := tx.AddHousehold(ctx, code, visit.Household{Address: fmt.Sprintf("%s-%d号", code, i), Head: "户主", Size: 2})
					if err != nil {
						return err
					}
					households[code] = append(households[code], h.ID)
				}
				for _, p := range []visit.Person{{Kind: visit.PartyMember, Name: "党员" + code}, {Kind: visit.Representative, Name: "代表" + code}} {
					p, err := tx.AddVisitPerson(ctx, code, p)
					if err != nil {
						return err
					}
					people[code] = append(people[code], p)
				}
			}
			return tx.ImportMembers(ctx, []org.Member{{OrgID: orgID["Z-1-1"], Name: "书记甲", Sex: "男", BirthDate: "1970-01-01",
				Committee: org.PartyCommittee, Post: "书记", PartyMember: true}})
		})
		members, err := zone.VisitMembers(ctx, "Z-1-1")
		must(err)
		n := 0
		record := func(v visit.Visit) visit.Visit {
			t.Helper()
			n++
			v.ClientID, v.Round, v.Visitors, v.Method = clientID(n), visit.Before, []string{"调研员"}, visit.Door
			if v.Day == "" {
				v.Day = "2026-10-10"
			}
			out, err := zone.RecordVisit(ctx, v)
			must(err)
			return out
		}
		reach := func(code string, k int) {
			for _, id := range households[code][:k] {
				record(visit.Visit{Community: code, Household: id})
			}
		}
		reach("Z-1-1", 6)
		record(visit.Visit{Community: "Z-1-1", Household: households["Z-1-1"][0], Day: "2026-10-20"}) // again: once
		record(visit.Visit{Community: "Z-1-1", Household: households["Z-1-1"][9], Missed: true})      // nobody home
		reach("Z-1-2", 7)
		reach("Z-2-1", 3)
		// The talks: Z-1-1's member and both its people, Z-1-2's both
		// people, Z-2-1's party member only.
		record(visit.Visit{Community: "Z-1-1", Member: members[0].ID, Intention: visit.Stands, AspirantOpinions: "支持书记连任"})
		p11 := people["Z-1-1"]
		record(visit.Visit{Community: "Z-1-1", Person: p11[0].ID, Intention: visit.Undecided, Day: "2026-10-05"})
		record(visit.Visit{Community: "Z-1-1", Person: p11[0].ID, Intention: visit.Stands, Day: "2026-10-25"}) // changed their mind
		record(visit.Visit{Community: "Z-1-1", Person: p11[1].ID, Intention: visit.NotStand, AspirantOpinions: "希望有年轻人参选"})
		record(visit.Visit{Community: "Z-1-1", Household: households["Z-1-1"][1], AspirantOpinions: "对参选人无意见"})
		record(visit.Visit{Community: "Z-1-2", Person: people["Z-1-2"][0].ID, Missed: true, Intention: visit.Stands}) // heard nothing
		for _, p := range people["Z-1-2"] {
			record(visit.Visit{Community: "Z-1-2", Person: p.ID})
		}
		record(visit.Visit{Community: "Z-2-1", Person: people["Z-2-1"][0].ID})

		// The database's own counts of a community in the round before.
		count := func(code, q string) int {
			t.Helper()
			x, err := st.QueryInt(ctx, fmt.Sprintf(q, orgID[code]))
			must(err)
			return int(x)
		}
		registered := func(code string) int { return count(code, `SELECT COUNT(*) FROM visit_households WHERE org_id = %d`) }
		reached := func(code string) int {
			return count(code, `SELECT COUNT(DISTINCT household_id) FROM visits WHERE org_id = %d AND round = 'before'
				AND household_id > 0 AND NOT missed`)
		}
		owed := func(code string) int {
			return count(code, `SELECT (SELECT COUNT(*) FROM visit_people WHERE org_id = %[1]d) + (SELECT COUNT(*) FROM members
				WHERE org_id = %[1]d) - (SELECT COUNT(DISTINCT person_id) FROM visits WHERE org_id = %[1]d AND round = 'before'
				AND person_id > 0 AND NOT missed) - (SELECT COUNT(DISTINCT member_id) FROM visits WHERE org_id = %[1]d
				AND round = 'before' AND member_id > 0 AND NOT missed)`)
		}
		check := func(day civil.Date, q *store.Scoped, want []string, late bool) []visit.Shortfall {
			t.Helper()
			list, err := q.CoverageShortfalls(ctx, day)
			must(err)
			var codes []string
			for _, s := range list {
				codes = append(codes, s.Community)
				c := s.Community
				h, r, o := registered(c), reached(c), owed(c)
				short := r*100 < 70*h
				if s.Households != h || s.Reached != r || s.TalksOwed != o || s.Below != short || s.Talks != (o > 0) ||
					s.Percent != r*100/h || s.Round != visit.Before || s.EndsOn != "2026-11-30" || s.Late != late || s.Target != 70 {
					t.Errorf("%s on %s: %+v; the database counts %d households, %d reached, %d talks owed", c, day, s, h, r, o)
				}
				if !short && o == 0 {
					t.Errorf("%s on %s listed at the target with no talk owed: %+v", c, day, s)
				}
			}
			if !slices.Equal(codes, want) {
				t.Errorf("short on %s: %v, want %v", day, codes, want)
			}
			return list
		}
		check("2026-11-22", zone, nil, false) // 8 days before the end
		list := check("2026-11-23", zone, []string{"Z-1-1", "Z-2-1"}, false)
		if !list[0].Below || list[0].Talks || list[1].Below || !list[1].Talks {
			t.Errorf("Z-1-1 is short of households only, Z-2-1 of talks only: %+v", list)
		}
		check("2026-11-30", zone, []string{"Z-1-1", "Z-2-1"}, false)
		check("2026-12-01", zone, []string{"Z-1-1", "Z-2-1"}, true)
		check("2026-12-01", within(st, "/Z/Z-2/"), []string{"Z-2-1"}, true)
		check("2026-12-01", within(st, "/Z/Z-1/Z-1-2/"), nil, true)

		// The agenda of the day, kept by the meeting opened on it.
		at("2026-11-25")
		a, err := zone.Agenda(ctx, "2026-11-25")
		must(err)
		if len(a.Coverage) != 2 || a.Coverage[0] != (meeting.CoverageLine{Code: "Z-1-1", Community: "辛庄社区", Round: "before",
			RoundName: visit.Before.Label(), Households: 10, Reached: 6, Percent: 60, Target: 70, Needed: 7, Below: true, TalksOwed: 0,
			EndsOn: "2026-11-30"}) || a.Coverage[1].Code != "Z-2-1" || a.Coverage[1].TalksOwed != 1 || a.Coverage[1].Below {
			t.Fatalf("the agenda's coverage lines: %+v", a.Coverage)
		}
		var m meeting.Meeting
		write(func(tx *store.Tx) error { var err error; m, err = tx.OpenMeeting(ctx, "2026-11-25"); return err })
		record(visit.Visit{Community: "Z-1-1", Household: households["Z-1-1"][6], Day: "2026-11-25"})
		a, err = zone.Agenda(ctx, "2026-11-25")
		must(err)
		if len(a.Coverage) != 1 || a.Coverage[0].Code != "Z-2-1" {
			t.Errorf("Z-1-1 at the target, the agenda still says %+v", a.Coverage)
		}
		kept, err := zone.DailyMeeting(ctx, m.ID)
		must(err)
		if len(kept.Agenda.Coverage) != 2 || kept.Agenda.Coverage[0].Reached != 6 || kept.Agenda.Coverage[0].Code != "Z-1-1" {
			t.Errorf("the meeting of the day keeps %+v", kept.Agenda.Coverage)
		}
		part, err := within(st, "/Z/Z-2/").DailyMeeting(ctx, m.ID)
		must(err)
		if len(part.Agenda.Coverage) != 1 || part.Agenda.Coverage[0].Code != "Z-2-1" {
			t.Errorf("the zone's meeting as Z-2 reads it: %+v", part.Agenda.Coverage)
		}

		// The progress table's round: the round before until the round during starts.
		c, rows, err := zone.CurrentCoverage(ctx, "2026-12-05", store.CommunityFilter{})
		must(err)
		if c.Round != visit.Before || len(rows) != 3 || rows["Z-1-1"].Reached != reached("Z-1-1") || rows["Z-1-1"].Below ||
			rows["Z-2-1"].Households != 4 || rows["Z-2-1"].Percent != 75 {
			t.Errorf("the progress table's coverage on 12-05: %s %+v", c.Round, rows)
		}
		c, rows, err = zone.CurrentCoverage(ctx, "2026-12-15", store.CommunityFilter{District: "Z-1", Limit: 1, Offset: 1})
		must(err)
		if c.Round != visit.During || len(rows) != 1 || rows["Z-1-2"].Reached != 0 || rows["Z-1-2"].Needed != 6 || !rows["Z-1-2"].Below {
			t.Errorf("the progress table's coverage on 12-15, Z-1's second community: %s %+v", c.Round, rows)
		}
		_, rows, err = within(st, "/Z/Z-2/").CurrentCoverage(ctx, "2026-12-05", store.CommunityFilter{})
		must(err)
		if len(rows) != 1 || rows["Z-2-1"].Households != 4 {
			t.Errorf("Z-2's progress coverage: %+v", rows)
		}

		// The board: each person by their latest talk; a missed talk heard nothing.
		in, err := zone.TalkIntentions(ctx, "Z-1-1")
		must(err)
		opinions := count("Z-1-1", `SELECT COUNT(*) FROM visits WHERE org_id = %d AND round = 'before' AND NOT missed
			AND aspirant_opinions <> '' AND household_id = 0`)
		if in.Stands != 2 || in.NotStand != 1 || in.Undecided != 0 || len(in.Standing) != 2 || in.Standing[0].Name != "书记甲" ||
			in.Standing[0].Kind != visit.Committee || in.Standing[1].Name != p11[0].Name || in.Standing[1].Kind != visit.PartyMember ||
			in.OpinionTalks != opinions || opinions != 2 || in.OpinionHouseholds != 1 {
			t.Errorf("Z-1-1's intentions: %+v", in)
		}
		if in, err := zone.TalkIntentions(ctx, "Z-1-2"); err != nil || in.Heard() {
			t.Errorf("Z-1-2 heard nothing but a missed talk: %+v %v", in, err)
		}
		if _, err := within(st, "/Z/Z-2/").TalkIntentions(ctx, "Z-1-1"); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another district's talks: %v", err)
		}
	})
}
