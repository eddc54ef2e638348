package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// The electorate and polling of one community through the store, on both
// engines: the register with its age and once rules and an import all or
// nothing, its publication exactly 20 days before the vote and not later,
// objections on the last day and not the next, an upheld objection adding
// and removing voters (an answer after its due day shown late), the party
// members' 应到会 and 实到会 with the quorum at exactly 4/5, a station's
// scrutineers, proxies up to the limit, the scope, and the protected
// records vouched for by the audit log.
func TestElectorateStore(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		const code = "Z-1-1"
		clock := time.Date(2026, 12, 1, 9, 0, 0, 0, civil.Zone)
		st.SetClock(func() time.Time { return clock })
		zone := st.Zone(store.System)
		write := func(fn func(tx *store.Tx) error) error { return zone.Write(ctx, fn) }
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(write(func(tx *store.Tx) error {
			_, _, err := tx.SetElectionDays(ctx, code, progress.Days{Party: "2026-12-19", Residents: "2027-01-16"})
			return err
		}))
		voter := func(name string, birth civil.Date, sex string) election.Voter {
			return election.Voter{Name: name, Sex: sex, BirthDate: birth, Group: "第一居民小组", Kind: election.RegResident}
		}
		add := func(v election.Voter) (election.Voter, error) {
			var out election.Voter
			err := write(func(tx *store.Tx) error {
				var err error
				out, err = tx.AddVoter(ctx, code, v)
				return err
			})
			return out, err
		}
		registered := func() int {
			t.Helper()
			c, err := zone.ElectorateCounts(ctx, code)
			must(err)
			return c.Registered
		}

		// 18 on the election day: registered; a day younger: refused.
		if _, err := add(voter("成年人", "2009-01-16", "女")); err != nil {
			t.Fatalf("18 on the day: %v", err)
		}
		if _, err := add(voter("未成年", "2009-01-17", "男")); errs.FieldOf(err) != "birth_date" {
			t.Errorf("17 on the day: %v", err)
		}
		if _, err := add(voter("成年人", "2009-01-16", "女")); errs.FieldOf(err) != "name" || !strings.Contains(err.Error(), "重复登记") {
			t.Errorf("registered twice: %v", err)
		}
		// An import with a bad row registers nobody.
		list := []election.Voter{voter("甲一", "1970-01-01", "男"), voter("甲二", "1971-01-01", "女"), voter("甲三", "2010-01-01", "男")}
		err := write(func(tx *store.Tx) error { _, err := tx.ImportVoters(ctx, code, list); return err })
		if errs.FieldOf(err) != "voters[2].birth_date" || !strings.HasPrefix(errs.MessageOf(err), "第3行:") || registered() != 1 {
			t.Errorf("an import with a minor on row 3: %v, %d registered", err, registered())
		}
		list[2].BirthDate = "1972-01-01"
		list = append(list, voter("乙一", "1980-02-02", "女"), voter("乙二", "1980-03-03", "男"), voter("乙三", "1980-04-04", "女"),
			voter("乙四", "1980-05-05", "男"), voter("乙五", "1980-06-06", "女"))
		list[3].Kind, list[4].Kind = election.RegAway, election.RegIncomer
		must(write(func(tx *store.Tx) error { _, err := tx.ImportVoters(ctx, code, list); return err }))
		e, err := zone.Electorate(ctx, code)
		must(err)
		if e.Register.Registered != 9 || e.Register.Women != 5 || e.Register.Men != 4 || e.Register.ByKind[1].Count != 1 ||
			e.Register.ByKind[2].Count != 1 || e.LastPublication != "2026-12-27" {
			t.Errorf("the register: %+v, last publication %s", e.Register, e.LastPublication)
		}
		page, err := zone.Voters(ctx, code, 4, 4)
		must(err)
		if page.Total != 9 || len(page.Voters) != 4 {
			t.Errorf("a page of 4 from the 5th: %d of %d", len(page.Voters), page.Total)
		}
		must(write(func(tx *store.Tx) error { return tx.SetMode(ctx, code, election.ModeHousehold) }))

		// A station needs three scrutineers.
		var station election.Station
		must(write(func(tx *store.Tx) error {
			var err error
			station, err = tx.AddStation(ctx, code, election.Station{Committee: org.ResidentsCommittee, Name: "第一投票站",
				Kind: election.BranchHall, Place: "社区服务中心", Opens: "08:00", Closes: "17:00"})
			return err
		}))
		for i, name := range []string{"监票甲", "监票乙", "监票丙"} {
			stations, err := zone.Stations(ctx, code, org.ResidentsCommittee)
			must(err)
			if len(stations) != 1 || stations[0].Ready() || !strings.Contains(stations[0].Unmet[0], "现有"+itoa(i)+"名") {
				t.Errorf("%d scrutineers: %+v", i, stations)
			}
			must(write(func(tx *store.Tx) error {
				_, err := tx.AddStaff(ctx, code, station.ID, election.Staff{Role: election.Scrutineer, Name: name})
				return err
			}))
		}
		if stations, err := zone.Stations(ctx, code, ""); err != nil || !stations[0].Ready() || len(stations[0].Staff) != 3 {
			t.Errorf("3 scrutineers: %+v %v", stations, err)
		}

		// The party's vote on 2026-12-19: five full members, one probationary.
		var members []election.PartyMember
		must(write(func(tx *store.Tx) error {
			for i, name := range []string{"党一", "党二", "党三", "党四", "党五", "党六"} {
				status := election.StatusFull
				if i == 5 {
					status = election.StatusProbationary
				}
				m, err := tx.AddPartyMember(ctx, code, election.PartyMember{Name: name, Sex: "男", BirthDate: "1960-01-01", Status: status})
				if err != nil {
					return err
				}
				members = append(members, m)
			}
			return nil
		}))
		present := func(i int, on bool) error {
			return write(func(tx *store.Tx) error { _, err := tx.MarkPresent(ctx, code, members[i].ID, on); return err })
		}
		if err := present(0, true); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("present before the day: %v", err)
		}
		clock = time.Date(2026, 12, 19, 8, 0, 0, 0, civil.Zone)
		for i := range 4 {
			must(present(i, true))
		}
		if err := present(5, true); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a probationary member present: %v", err)
		}
		c, err := zone.ElectorateCounts(ctx, code)
		must(err)
		if e, _ := zone.Electorate(ctx, code); c.ShouldAttend != 5 || c.Present != 4 || e.Party.Quorate || e.Party.Needed != 5 {
			t.Errorf("4 of 5 (exactly 4/5): %+v %+v", c, e.Party)
		}
		must(present(4, true))
		if e, _ := zone.Electorate(ctx, code); !e.Party.Quorate {
			t.Errorf("5 of 5: %+v", e.Party)
		}
		// Excusing a member takes them out of 应到会 and 实到会.
		must(write(func(tx *store.Tx) error {
			_, err := tx.UpdatePartyMember(ctx, code, members[4].ID, election.StatusFull, "住院")
			return err
		}))
		if c, _ := zone.ElectorateCounts(ctx, code); c.ShouldAttend != 4 || c.Present != 4 {
			t.Errorf("after excusing one present: %+v", c)
		}

		// Publication: 19 days before the vote is too late, 20 is in time, once.
		clock = time.Date(2026, 12, 30, 9, 0, 0, 0, civil.Zone)
		publish := func(day civil.Date) error {
			return write(func(tx *store.Tx) error { return tx.PublishRegister(ctx, code, day) })
		}
		if err := publish("2026-12-28"); errs.FieldOf(err) != "published_on" || !strings.Contains(err.Error(), "不晚于2026-12-27") {
			t.Errorf("published 19 days before: %v", err)
		}
		must(publish("2026-12-27"))
		if err := publish("2026-12-27"); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("published twice: %v", err)
		}
		if _, err := add(voter("迟到者", "1990-01-01", "男")); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a voter added after publication: %v", err)
		}
		if err := write(func(tx *store.Tx) error { return tx.SetMode(ctx, code, election.ModeAll) }); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("the mode changed after publication: %v", err)
		}

		// Objections within 5 days: 2027-01-01 is the last.
		clock = time.Date(2027, 1, 5, 9, 0, 0, 0, civil.Zone)
		file := func(in store.ObjectionInput) (election.Objection, error) {
			var o election.Objection
			err := write(func(tx *store.Tx) error {
				var err error
				o, err = tx.FileObjection(ctx, code, in)
				return err
			})
			return o, err
		}
		remove := store.ObjectionInput{Objection: election.Objection{FiledOn: "2027-01-02", Filer: "群众甲", Kind: election.ObjectRemove,
			Reason: "已迁出本社区"}, VoterName: "甲一"}
		if _, err := file(remove); errs.FieldOf(err) != "filed_on" {
			t.Errorf("an objection the day after the last: %v", err)
		}
		remove.FiledOn = "2027-01-01"
		removal, err := file(remove)
		must(err)
		addition, err := file(store.ObjectionInput{Objection: election.Objection{FiledOn: "2027-01-01", Filer: "群众乙", Kind: election.ObjectAdd,
			Reason: "户籍在本社区,漏登", Person: voter("漏登者", "1985-08-08", "女")}})
		must(err)
		answer := func(id int64, a election.ObjectionAnswer) error {
			return write(func(tx *store.Tx) error { _, err := tx.AnswerObjection(ctx, code, id, a); return err })
		}
		must(answer(removal.ID, election.ObjectionAnswer{On: "2027-01-04", Ruling: election.Upheld, Text: "经核实已迁出"}))
		must(answer(addition.ID, election.ObjectionAnswer{On: "2027-01-05", Ruling: election.Upheld, Text: "经核实应登记"}))
		e, err = zone.Electorate(ctx, code)
		must(err)
		if e.Register.Registered != 9 || e.Register.Removed != 1 || len(e.Objections) != 2 || e.Objections[0].Late || !e.Objections[1].Late {
			t.Errorf("after the objections: %+v, %+v", e.Register, e.Objections)
		}
		if err := answer(removal.ID, election.ObjectionAnswer{On: "2027-01-05", Ruling: election.Rejected, Text: "再答"}); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("answered twice: %v", err)
		}

		// Proxies: three to one holder, the fourth refused; none written on the day.
		clock = time.Date(2027, 1, 16, 7, 0, 0, 0, civil.Zone)
		proxy := func(giver, holder string, written civil.Date) error {
			return write(func(tx *store.Tx) error {
				_, err := tx.AddProxy(ctx, code, store.ProxyInput{Giver: giver, Holder: holder, Relation: election.Sibling, WrittenOn: written})
				return err
			})
		}
		if err := proxy("乙一", "乙五", "2027-01-16"); errs.FieldOf(err) != "written_on" {
			t.Errorf("a proxy written on the election day: %v", err)
		}
		for _, g := range []string{"乙一", "乙二", "乙三"} {
			must(proxy(g, "乙五", "2027-01-15"))
		}
		if err := proxy("乙四", "乙五", "2027-01-15"); errs.FieldOf(err) != "holder" || !strings.Contains(err.Error(), "已接受3人委托") {
			t.Errorf("a fourth proxy: %v", err)
		}
		if err := proxy("甲一", "乙五", "2027-01-15"); errs.FieldOf(err) != "giver" || !strings.Contains(err.Error(), "不在本社区选民名单上") {
			t.Errorf("a proxy from a removed voter: %v", err)
		}
		if ps, err := zone.Proxies(ctx, code); err != nil || len(ps) != 3 || ps[0].Holder != "乙五" {
			t.Errorf("proxies: %+v %v", ps, err)
		}

		// Another district's office sees and writes nothing of it.
		other := within(st, "/Z/Z-2/")
		if _, err := other.Electorate(ctx, code); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another district reads the electorate: %v", err)
		}
		if _, err := other.Voters(ctx, code, 100, 0); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another district reads the register: %v", err)
		}
		if _, err := other.Stations(ctx, code, ""); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another district reads the stations: %v", err)
		}
		err = other.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddVoter(ctx, code, voter("越权者", "1990-01-01", "男"))
			return err
		})
		if errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another district writes the register: %v", err)
		}

		// The records are vouched for; a voter changed in the database is named.
		if r := verified(t, st); !r.OK() {
			t.Fatalf("verify: %s", problems(r))
		}
		v := page.Voters[0]
		id := itoa(v.ID)
		must(st.Tamper(ctx, `UPDATE voters SET birth_date = '2012-01-01' WHERE id = `+id))
		if r := verified(t, st); len(r.RecordProblems) != 1 || !strings.Contains(problems(r), "选民登记 第 "+id+" 号") {
			t.Errorf("a tampered voter: %s", problems(r))
		}
		must(st.Tamper(ctx, `UPDATE voters SET birth_date = '`+string(v.BirthDate)+`' WHERE id = `+id))
	})
}
