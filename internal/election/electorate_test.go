package election_test

import (
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

const day = civil.Date("2027-01-16") // a residents' election day

// 18 on the election day itself may vote; a day younger may not
// (村委会组织法 Art. 13, rules.md §3.1 "Who votes").
func TestVoterAge(t *testing.T) {
	for _, c := range []struct {
		birth civil.Date
		ok    bool
	}{
		{"2009-01-16", true},  // 18 on the day
		{"2009-01-17", false}, // 18 the day after
		{"1950-02-28", true},
	} {
		v := election.Voter{Name: "张三", Sex: "男", BirthDate: c.birth, Group: "第一居民小组", Kind: election.RegResident}
		err := v.Validate(day)
		if (err == nil) != c.ok {
			t.Errorf("born %s: %v, want ok %v", c.birth, err, c.ok)
		}
		if err != nil && (errs.FieldOf(err) != "birth_date" || !strings.Contains(err.Error(), "未满18周岁")) {
			t.Errorf("born %s: %v, want the reason on birth_date", c.birth, err)
		}
	}
	for _, c := range []struct {
		v     election.Voter
		field string
	}{
		{election.Voter{Name: "张", Sex: "男", BirthDate: "1980-01-01", Kind: election.RegAway}, "name"},
		{election.Voter{Name: "张三", Sex: "?", BirthDate: "1980-01-01", Kind: election.RegAway}, "sex"},
		{election.Voter{Name: "张三", Sex: "女", BirthDate: "1980-02-30", Kind: election.RegAway}, "birth_date"},
		{election.Voter{Name: "张三", Sex: "女", BirthDate: "1980-02-01", Kind: "abroad"}, "kind"},
		{election.Voter{Name: "张三", Sex: "女", BirthDate: "1980-02-01", Kind: election.RegIncomer, Group: strings.Repeat("组", 51)}, "group"},
	} {
		if err := c.v.Validate(day); errs.FieldOf(err) != c.field {
			t.Errorf("%+v: %v, want field %s", c.v, err, c.field)
		}
	}
	v := election.Voter{Name: "李四", BirthDate: "1970-05-05"}
	if err := election.Twice(v, map[string]int64{v.Key(): 1}); errs.FieldOf(err) != "name" || !strings.Contains(err.Error(), "重复登记") {
		t.Errorf("registered twice: %v", err)
	}
	if err := election.Twice(election.Voter{Name: "李四", BirthDate: "1970-05-06"}, map[string]int64{v.Key(): 1}); err != nil {
		t.Errorf("a namesake born another day: %v", err)
	}
	for _, r := range election.Registrations {
		if got, ok := election.ParseRegistration(r.Short()); !ok || got != r {
			t.Errorf("short label of %s not read back", r)
		}
	}
}

// Publication exactly RegisterDays before the vote is in time, a day later
// is refused; objections on the last day of ObjectionDays are taken, the
// next day refused; an answer after AnswerDays is late (rules.md §3.1).
func TestPublicationAndObjections(t *testing.T) {
	s := election.DefaultSettings()
	today := civil.Date("2027-01-10")
	if err := election.CheckPublication("2026-12-27", day, today, s); err != nil {
		t.Errorf("published 20 days before: %v", err)
	}
	if err := election.CheckPublication("2026-12-28", day, today, s); errs.FieldOf(err) != "published_on" || !strings.Contains(err.Error(), "不晚于2026-12-27") {
		t.Errorf("published 19 days before: %v", err)
	}
	if err := election.CheckPublication("2026-12-20", day, "2026-12-19", s); errs.FieldOf(err) != "published_on" {
		t.Errorf("published after today: %v", err)
	}
	s.RegisterDays = 30
	if err := election.CheckPublication("2026-12-27", day, today, s); err == nil {
		t.Errorf("the setting is not read")
	}
	s = election.DefaultSettings()

	published := civil.Date("2026-12-20")
	obj := func(filed civil.Date) election.Objection {
		return election.Objection{FiledOn: filed, Filer: "王五", Kind: election.ObjectRemove, VoterID: 7, Reason: "已迁出本社区"}
	}
	for _, c := range []struct {
		filed civil.Date
		field string
	}{{"2026-12-20", ""}, {"2026-12-25", ""}, {"2026-12-26", "filed_on"}, {"2026-12-19", "filed_on"}} {
		o := obj(c.filed)
		if err := o.Validate(published, day, today, s); errs.FieldOf(err) != c.field {
			t.Errorf("filed %s: %v, want field %q", c.filed, err, c.field)
		}
	}
	o := obj("2026-12-25")
	if err := o.Validate("", day, today, s); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("an objection to an unpublished register: %v", err)
	}
	if err := o.Validate(published, day, "2026-12-24", s); errs.FieldOf(err) != "filed_on" {
		t.Errorf("filed after today: %v", err)
	}
	add := election.Objection{FiledOn: "2026-12-21", Filer: "王五", Kind: election.ObjectAdd, Reason: "漏登",
		Person: election.Voter{Name: "赵六", Sex: "女", BirthDate: "2009-01-17", Kind: election.RegResident}}
	if err := add.Validate(published, day, today, s); errs.FieldOf(err) != "birth_date" {
		t.Errorf("an objection asking to add a minor: %v", err)
	}

	// Answered on the third day: in time; on the fourth: late; unanswered past the third: late.
	if election.AnswerDue("2026-12-25", s) != "2026-12-28" {
		t.Errorf("answer due: %s", election.AnswerDue("2026-12-25", s))
	}
	o.AnsweredOn, o.Ruling = "2026-12-28", election.Upheld
	if o.Late(today, s) {
		t.Errorf("answered on the last day is late")
	}
	o.AnsweredOn = "2026-12-29"
	if !o.Late(today, s) {
		t.Errorf("answered a day after is not late")
	}
	open := obj("2026-12-25")
	if open.Late("2026-12-28", s) || !open.Late("2026-12-29", s) {
		t.Errorf("an unanswered objection's lateness")
	}
	a := election.ObjectionAnswer{On: "2026-12-24", Ruling: election.Upheld, Text: "核实已迁出"}
	if err := a.Validate(open, today); errs.FieldOf(err) != "answered_on" {
		t.Errorf("answered before it was filed: %v", err)
	}
	a = election.ObjectionAnswer{On: "2026-12-26", Ruling: election.Upheld}
	if err := a.Validate(open, today); errs.FieldOf(err) != "answer" {
		t.Errorf("an answer without its reason: %v", err)
	}
	a.Text = "核实已迁出"
	if err := a.Validate(o, today); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("answered twice: %v", err)
	}
}

// A formal candidate may not join the election committee and a sitting
// member who became one is warned about; leaving needs a reason and a day.
func TestElectionCommittee(t *testing.T) {
	today := civil.Date("2026-12-01")
	m := election.CommitteeMember{Name: "孙七", Role: election.RoleMember, JoinedOn: "2026-11-01"}
	if err := m.Validate(today, []string{"孙七"}); errs.FieldOf(err) != "name" || !strings.Contains(err.Error(), "正式候选人") {
		t.Errorf("a candidate joins: %v", err)
	}
	if err := m.Validate(today, []string{"周八"}); err != nil {
		t.Errorf("a member joins: %v", err)
	}
	if w := election.CommitteeWarnings([]election.CommitteeMember{m}, []string{"孙七"}); len(w) != 1 || !strings.Contains(w[0], "应当退出") {
		t.Errorf("warnings: %v", w)
	}
	l := election.Leaving{On: "2026-11-20", Reason: " "}
	if err := l.Validate(m, today); errs.FieldOf(err) != "left_reason" {
		t.Errorf("leaving without a reason: %v", err)
	}
	l.Reason = "被提名为候选人"
	if err := l.Validate(m, today); err != nil {
		t.Errorf("leaving: %v", err)
	}
	m.LeftOn, m.LeftReason = l.On, l.Reason
	if w := election.CommitteeWarnings([]election.CommitteeMember{m}, []string{"孙七"}); len(w) != 0 {
		t.Errorf("a member who left is warned about: %v", w)
	}
	if err := l.Validate(m, today); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("leaving twice: %v", err)
	}
}

// Quorum: more than 4/5 of 应到会. 40 should attend: 32 (exactly 4/5) is
// not a quorum, 33 is (rules.md §2 "Quorum").
func TestQuorate(t *testing.T) {
	s := election.DefaultSettings()
	if election.Quorate(32, 40, s) {
		t.Errorf("exactly 4/5 is a quorum")
	}
	if !election.Quorate(33, 40, s) {
		t.Errorf("one more than 4/5 is not a quorum")
	}
	if election.QuorumNeeded(40, s) != 33 || election.QuorumNeeded(41, s) != 33 || election.QuorumNeeded(5, s) != 5 {
		t.Errorf("needed: %d %d %d", election.QuorumNeeded(40, s), election.QuorumNeeded(41, s), election.QuorumNeeded(5, s))
	}
	if election.Quorate(0, 0, s) {
		t.Errorf("nobody to attend is a quorum")
	}
	s.QuorumNum, s.QuorumDen = 2, 3
	if !election.Quorate(27, 40, s) || election.Quorate(26, 39, s) {
		t.Errorf("the setting is not read")
	}
}

// 应到会 counts full members not excused; 实到会 those marked present; the
// others have no vote (rules.md §2 "Who may vote").
func TestAttendance(t *testing.T) {
	s := election.DefaultSettings()
	var members []election.PartyMember
	for i := range 10 {
		members = append(members, election.PartyMember{Name: "党员", Status: election.StatusFull, Present: i < 8})
	}
	members = append(members,
		election.PartyMember{Name: "请假", Status: election.StatusFull, Excused: "住院"},
		election.PartyMember{Name: "预备", Status: election.StatusProbationary},
		election.PartyMember{Name: "察看", Status: election.StatusProbation},
		election.PartyMember{Name: "留置", Status: election.StatusDetained},
	)
	a := election.CountAttendance(members, s)
	if a.Members != 14 || a.Voting != 11 || a.Should != 10 || a.Present != 8 || a.Excused != 1 || a.NoVote != 3 || a.Unmarked != 2 {
		t.Errorf("attendance: %+v", a)
	}
	if a.Quorate || a.Needed != 9 {
		t.Errorf("8 of 10 (exactly 4/5) quorate %v, needed %d", a.Quorate, a.Needed)
	}
	members[8].Present = true
	if a := election.CountAttendance(members, s); !a.Quorate {
		t.Errorf("9 of 10: %+v", a)
	}
	for _, st := range election.PartyStatuses {
		if st.Votes() != (st.NoVote() == "") {
			t.Errorf("%s: votes %v, no-vote reason %q", st, st.Votes(), st.NoVote())
		}
	}
	party := civil.Date("2026-12-19")
	if err := election.CheckPresent(members[0], party, "2026-12-18"); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("present before the day: %v", err)
	}
	if err := election.CheckPresent(members[0], party, party); err != nil {
		t.Errorf("present on the day: %v", err)
	}
	for _, m := range members[10:] {
		if err := election.CheckPresent(m, party, party); err == nil {
			t.Errorf("%s marked present", m.Name)
		}
	}
	m := election.PartyMember{Name: "钱九", Sex: "男", BirthDate: "1960-01-01", Status: election.StatusProbationary, Excused: "外出"}
	if err := m.Validate(party); errs.FieldOf(err) != "excused" {
		t.Errorf("a member without the vote excused: %v", err)
	}
}

// Stations: at least MinScrutineers each, a mobile box with its route; a
// candidate or a candidate's recorded relative may not serve.
func TestStations(t *testing.T) {
	s := election.DefaultSettings()
	st := election.Station{Committee: org.ResidentsCommittee, Name: "第一投票站", Kind: election.MobileBox, Place: "社区服务中心",
		Opens: "8:00", Closes: "12:00", Serves: 30}
	if err := st.Validate(); errs.FieldOf(err) != "route" {
		t.Errorf("a mobile box without a route: %v", err)
	}
	st.Route = "一组—二组—敬老院"
	if err := st.Validate(); err != nil || st.Opens != "08:00" {
		t.Errorf("a mobile box: %v %s", err, st.Opens)
	}
	st.Closes = "07:30"
	if err := st.Validate(); errs.FieldOf(err) != "closes" {
		t.Errorf("closing before opening: %v", err)
	}
	relatives := []election.Relative{{Candidate: "吴一", Relation: election.Spouse, Name: "郑二"}}
	candidates := []string{"吴一"}
	for _, c := range []struct {
		name, says string
	}{{"吴一", "吴一是正式候选人,不能担任监票人"}, {"郑二", "郑二是候选人吴一的配偶,不能担任监票人"}, {"王三", ""}} {
		x := election.Staff{Role: election.Scrutineer, Name: c.name}
		err := election.CheckStaff(&x, candidates, relatives)
		if c.says == "" && err != nil || c.says != "" && (errs.FieldOf(err) != "name" || errs.MessageOf(err) != c.says) {
			t.Errorf("%s as scrutineer: %v, want %q", c.name, err, c.says)
		}
	}
	for n := range 4 {
		st.Staff = nil
		for range n {
			st.Staff = append(st.Staff, election.Staff{Role: election.Scrutineer, Name: "监票"})
		}
		st.Staff = append(st.Staff, election.Staff{Role: election.Counter, Name: "计票"})
		election.CheckStation(&st, s, candidates, relatives)
		if st.Ready() != (n >= 3) {
			t.Errorf("%d scrutineers: ready %v, unmet %v", n, st.Ready(), st.Unmet)
		}
	}
	st.Staff = append(st.Staff, election.Staff{Role: election.Caller, Name: "郑二"})
	election.CheckStation(&st, s, candidates, relatives)
	if st.Ready() || !strings.Contains(strings.Join(st.Unmet, ""), "郑二是候选人吴一的配偶") {
		t.Errorf("a relative recorded later is not flagged: %v", st.Unmet)
	}
}

// Proxies: in writing before the election day (on the day refused), to a
// voter who is not the giver, a giver once, at most ProxyMax per holder
// (N accepted, N+1 refused with the count).
func TestProxies(t *testing.T) {
	s := election.DefaultSettings()
	today := civil.Date("2027-01-15")
	var existing []election.Proxy
	add := func(giver int64, written civil.Date) error {
		p := election.Proxy{GiverID: giver, Giver: "委托人", HolderID: 100, Holder: "受托人", Relation: election.Child, WrittenOn: written}
		err := election.CheckProxy(p, existing, day, today, s)
		if err == nil {
			existing = append(existing, p)
		}
		return err
	}
	if err := add(1, day); errs.FieldOf(err) != "written_on" || !strings.Contains(err.Error(), "选举日当天") {
		t.Errorf("a proxy written on the election day: %v", err)
	}
	if err := add(1, "2027-01-17"); errs.FieldOf(err) != "written_on" {
		t.Errorf("a proxy written after the election day: %v", err)
	}
	for g := int64(1); g <= 3; g++ {
		if err := add(g, "2027-01-15"); err != nil {
			t.Fatalf("proxy %d of 3: %v", g, err)
		}
	}
	if err := add(4, "2027-01-15"); errs.FieldOf(err) != "holder_id" || !strings.Contains(err.Error(), "已接受3人委托") {
		t.Errorf("a fourth proxy: %v", err)
	}
	s.ProxyMax = 4
	if err := add(4, "2027-01-15"); err != nil {
		t.Errorf("a fourth proxy with a limit of 4: %v", err)
	}
	if err := add(1, "2027-01-15"); errs.FieldOf(err) != "giver_id" || !strings.Contains(err.Error(), "只能委托一次") {
		t.Errorf("a giver twice: %v", err)
	}
	for _, c := range []struct {
		p     election.Proxy
		field string
	}{
		{election.Proxy{GiverID: 9, Giver: "甲", HolderID: 9, Holder: "甲", Relation: election.Spouse, WrittenOn: "2027-01-10"}, "holder_id"},
		{election.Proxy{GiverID: 9, Giver: "甲", HolderID: 8, Holder: "乙", Relation: "friend", WrittenOn: "2027-01-10"}, "relation"},
		{election.Proxy{GiverID: 9, Giver: "", HolderID: 8, Holder: "乙", Relation: election.Spouse, WrittenOn: "2027-01-10"}, "giver_id"},
		{election.Proxy{GiverID: 100, Giver: "受托人", HolderID: 8, Holder: "乙", Relation: election.Spouse, WrittenOn: "2027-01-10"}, "giver_id"},
		{election.Proxy{GiverID: 9, Giver: "甲", HolderID: 1, Holder: "委托人", Relation: election.Spouse, WrittenOn: "2027-01-10"}, "holder_id"},
		{election.Proxy{GiverID: 9, Giver: "甲", HolderID: 8, Holder: "乙", Relation: election.Spouse, WrittenOn: "2027-01-16"}, "written_on"},
	} {
		if err := election.CheckProxy(c.p, existing, day, "2027-01-20", s); errs.FieldOf(err) != c.field {
			t.Errorf("%+v: %v, want field %s", c.p, err, c.field)
		}
	}
	p := election.Proxy{GiverID: 9, Giver: "甲", HolderID: 8, Holder: "乙", Relation: election.Spouse, WrittenOn: "2027-01-12"}
	if err := election.CheckProxy(p, existing, day, "2027-01-11", s); errs.FieldOf(err) != "written_on" {
		t.Errorf("a proxy dated after today: %v", err)
	}
}
