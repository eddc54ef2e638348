package election_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

func member(name string, post vetting.Post, votes, base int) election.ElectedMember {
	return election.ElectedMember{Name: name, Sex: "女", BirthDate: "1985-03-01", Education: vetting.College, Party: vetting.PartyMember,
		Post: post, Votes: votes, Base: base, Round: election.FirstRound}
}

// 高票当选 from 90% of the base, 全票 at all of it.
func TestHighVote(t *testing.T) {
	for _, c := range []struct {
		votes, base     int
		high, unanimous bool
		share           float64
	}{
		{90, 100, true, false, 90}, {89, 100, false, false, 89}, {9, 10, true, false, 90}, {899, 1000, false, false, 89.9},
		{40, 40, true, true, 100}, {0, 40, false, false, 0},
	} {
		m := member("甲", vetting.CommitteeMember, c.votes, c.base)
		if m.High() != c.high || m.Unanimous() != c.unanimous || m.Share() != c.share {
			t.Errorf("%d of %d: high %v unanimous %v share %v; want %v %v %v", c.votes, c.base, m.High(), m.Unanimous(), m.Share(),
				c.high, c.unanimous, c.share)
		}
	}
	// 60岁以上 includes 60 (民法典第一千二百五十九条), as 35岁以下 includes 35.
	if !election.Old(60) || election.Old(59) || !slate.Young(35) || slate.Young(36) {
		t.Error("60岁以上 and 35岁以下 include the number itself")
	}
}

// The rules of a committee's result, each refusal on its field.
func TestCheckElected(t *testing.T) {
	const day civil.Date = "2027-01-16"
	residents := func() []election.ElectedMember {
		return []election.ElectedMember{member("主任甲", vetting.Director, 800, 1000), member("副主任乙", vetting.DeputyDirector, 600, 1000),
			member("委员丙", vetting.CommitteeMember, 501, 1000)}
	}
	seats := &slate.Seats{Committee: org.ResidentsCommittee, Chief: 1, Deputies: 1, Members: 3}
	if err := election.CheckElected(org.ResidentsCommittee, day, residents(), seats); err != nil {
		t.Fatalf("a lawful result: %v", err)
	}
	if err := election.CheckElected(org.ResidentsCommittee, day, nil, seats); err != nil {
		t.Fatalf("no one (a result withdrawn): %v", err)
	}
	party := []election.ElectedMember{member("委员甲", vetting.CommitteeMember, 31, 40), member("委员乙", vetting.CommitteeMember, 21, 40)}
	partySeats := &slate.Seats{Committee: org.PartyCommittee, Chief: 1, Deputies: 0, Members: 1}
	if err := election.CheckElected(org.PartyCommittee, day, party, partySeats); err != nil {
		t.Fatalf("a lawful party result: %v", err)
	}
	cases := []struct {
		name  string
		c     org.Committee
		edit  func([]election.ElectedMember) []election.ElectedMember
		seats *slate.Seats
		field string
		says  string
	}{
		{"no committee", "", nil, nil, "committee", "委员会"},
		{"no name", org.ResidentsCommittee, func(m []election.ElectedMember) []election.ElectedMember { m[1].Name = "  "; return m }, seats,
			"members[1].name", "姓名"},
		{"no sex", org.ResidentsCommittee, func(m []election.ElectedMember) []election.ElectedMember { m[0].Sex = ""; return m }, seats,
			"members[0].sex", "性别"},
		{"bad birth date", org.ResidentsCommittee, func(m []election.ElectedMember) []election.ElectedMember { m[0].BirthDate = "1985-02-30"; return m },
			seats, "members[0].birth_date", "出生日期"},
		// 18 on the day itself is old enough; the day before is not.
		{"17 on the day", org.ResidentsCommittee, func(m []election.ElectedMember) []election.ElectedMember { m[2].BirthDate = "2009-01-17"; return m },
			seats, "members[2].birth_date", "不满18周岁"},
		{"no education", org.ResidentsCommittee, func(m []election.ElectedMember) []election.ElectedMember { m[0].Education = "x"; return m },
			seats, "members[0].education", "文化程度"},
		{"probationary member on the party committee", org.PartyCommittee, func(m []election.ElectedMember) []election.ElectedMember {
			m = m[:2]
			m[0].Post, m[1].Post = vetting.CommitteeMember, vetting.CommitteeMember
			m[1].Party = vetting.Probationary
			return m
		}, nil, "members[1].party", "正式党员"},
		{"secretary elected by the assembly", org.PartyCommittee, func(m []election.ElectedMember) []election.ElectedMember {
			m[0].Post = vetting.Secretary
			return m[:1]
		}, nil, "members[0].post", "由委员会选举产生"},
		{"a party post on the residents' committee", org.ResidentsCommittee, func(m []election.ElectedMember) []election.ElectedMember {
			m[1].Post = vetting.DeputySecretary
			return m
		}, seats, "members[1].post", "没有该职务"},
		{"votes over the base", org.ResidentsCommittee, func(m []election.ElectedMember) []election.ElectedMember { m[2].Votes = 1001; return m },
			seats, "members[2].votes", "0到计票基数1000"},
		{"no base", org.ResidentsCommittee, func(m []election.ElectedMember) []election.ElectedMember { m[2].Base = 0; return m },
			seats, "members[2].base", "计票基数"},
		{"no round", org.ResidentsCommittee, func(m []election.ElectedMember) []election.ElectedMember { m[2].Round = ""; return m },
			seats, "members[2].round", "轮次"},
		{"the same person twice", org.ResidentsCommittee, func(m []election.ElectedMember) []election.ElectedMember {
			m[2].AspirantID, m[0].AspirantID = 7, 7
			return m
		}, seats, "members[2].name", "与第1人是同一人"},
		{"the same written-in person twice", org.ResidentsCommittee, func(m []election.ElectedMember) []election.ElectedMember {
			m[2].Name = m[1].Name
			return m
		}, seats, "members[2].name", "同一人"},
		{"two deputies on one seat", org.ResidentsCommittee, func(m []election.ElectedMember) []election.ElectedMember {
			m[2].Post = vetting.DeputyDirector
			return m
		}, seats, "members[2].post", "副主任职数为1名"},
		{"two directors without seats", org.ResidentsCommittee, func(m []election.ElectedMember) []election.ElectedMember {
			m[1].Post = vetting.Director
			return m
		}, nil, "members[1].post", "主任职数为1名"},
		{"more members than the party committee's seats", org.PartyCommittee, func(m []election.ElectedMember) []election.ElectedMember {
			out := []election.ElectedMember{member("委员甲", vetting.CommitteeMember, 31, 40), member("委员乙", vetting.CommitteeMember, 30, 40),
				member("委员丙", vetting.CommitteeMember, 29, 40)}
			return out
		}, partySeats, "members[2].post", "党组织委员会职数为2名"},
	}
	for _, c := range cases {
		list := residents()
		if c.edit != nil {
			list = c.edit(list)
		}
		err := election.CheckElected(c.c, day, list, c.seats)
		if errs.FieldOf(err) != c.field || !strings.Contains(errs.MessageOf(err), c.says) {
			t.Errorf("%s: %v (field %q), want field %q saying %q", c.name, err, errs.FieldOf(err), c.field, c.says)
		}
	}
	// 18 on the very day: elected.
	adult := residents()
	adult[2].BirthDate = "2009-01-16"
	if err := election.CheckElected(org.ResidentsCommittee, day, adult, seats); err != nil {
		t.Errorf("18 on the election day: %v", err)
	}
}

// The secretary and deputies among the committee's members, on a day from
// the party election to today; the higher level's approval after them.
func TestOfficersAndApproval(t *testing.T) {
	members := []election.ElectedMember{{ID: 1, Name: "甲"}, {ID: 2, Name: "乙"}, {ID: 3, Name: "丙"}}
	const partyDay, today civil.Date = "2026-12-19", "2026-12-25"
	ok := election.Officers{Day: partyDay, Secretary: 1, Deputies: []int64{2}}
	if err := election.CheckOfficers(ok, members, 1, partyDay, today); err != nil {
		t.Fatalf("lawful officers: %v", err)
	}
	if err := election.CheckOfficers(election.Officers{Day: today, Secretary: 3}, members, -1, partyDay, today); err != nil {
		t.Fatalf("a secretary alone, today: %v", err)
	}
	for _, c := range []struct {
		name     string
		o        election.Officers
		deputies int
		field    string
	}{
		{"the day before the party election", election.Officers{Day: "2026-12-18", Secretary: 1}, 1, "day"},
		{"tomorrow", election.Officers{Day: "2026-12-26", Secretary: 1}, 1, "day"},
		{"no secretary", election.Officers{Day: partyDay}, 1, "secretary"},
		{"a secretary not elected", election.Officers{Day: partyDay, Secretary: 9}, 1, "secretary"},
		{"a deputy not elected", election.Officers{Day: partyDay, Secretary: 1, Deputies: []int64{9}}, 1, "deputies[0]"},
		{"the secretary as deputy", election.Officers{Day: partyDay, Secretary: 1, Deputies: []int64{2, 1}}, 2, "deputies[1]"},
		{"a deputy twice", election.Officers{Day: partyDay, Secretary: 1, Deputies: []int64{2, 2}}, 2, "deputies[1]"},
		{"two deputies on one seat", election.Officers{Day: partyDay, Secretary: 1, Deputies: []int64{2, 3}}, 1, "deputies"},
	} {
		if err := election.CheckOfficers(c.o, members, c.deputies, partyDay, today); errs.FieldOf(err) != c.field {
			t.Errorf("%s: %v, want refused on %s", c.name, err, c.field)
		}
	}
	for _, c := range []struct {
		a     election.Approval
		field string
	}{
		{election.Approval{Day: "2026-12-20", Document: " 清组字〔2026〕9号 "}, ""},
		{election.Approval{Day: "2026-12-19", Document: "清组字〔2026〕9号"}, "approved_on"},
		{election.Approval{Day: "2026-12-26", Document: "清组字〔2026〕9号"}, "approved_on"},
		{election.Approval{Day: "2026-12-21", Document: "  "}, "document"},
		{election.Approval{Day: "2026-12-21", Document: strings.Repeat("文", 51)}, "document"},
	} {
		if err := election.CheckApproval(&c.a, "2026-12-20", today); errs.FieldOf(err) != c.field {
			t.Errorf("approval %+v: %v, want field %q", c.a, err, c.field)
		}
	}
}

// The handover within Settings.HandoverDays (10) of the election: on the
// tenth day in time, on the eleventh late; not done and today past it, late.
func TestHandover(t *testing.T) {
	s := election.DefaultSettings()
	const elected civil.Date = "2027-01-16"
	if due := election.HandoverDue(elected, s); due != "2027-01-26" {
		t.Fatalf("due %s, want 2027-01-26", due)
	}
	for _, c := range []struct {
		done, today civil.Date
		late        bool
	}{
		{"2027-01-26", "2027-02-10", false}, {"2027-01-27", "2027-02-10", true}, {"", "2027-01-26", false}, {"", "2027-01-27", true},
	} {
		if got := election.HandoverLate(elected, c.done, c.today, s); got != c.late {
			t.Errorf("done %q today %s: late %v, want %v", c.done, c.today, got, c.late)
		}
	}
	s.HandoverDays = 5
	if election.HandoverLate(elected, "2027-01-21", "2027-02-01", s) || !election.HandoverLate(elected, "2027-01-22", "2027-02-01", s) {
		t.Error("the setting's days are not the ones counted")
	}
	for _, c := range []struct {
		h     election.Handover
		field string
	}{
		{election.Handover{Day: "2027-01-16"}, ""}, {election.Handover{Day: "2027-01-15"}, "day"}, {election.Handover{Day: "2027-02-02"}, "day"},
		{election.Handover{Day: "2027-01-20", Note: strings.Repeat("字", 501)}, "note"}, {election.Handover{Day: "1月20日"}, "day"},
	} {
		if err := election.CheckHandover(&c.h, elected, "2027-02-01"); errs.FieldOf(err) != c.field {
			t.Errorf("handover %+v: %v, want field %q", c.h.Day, err, c.field)
		}
	}
}

// Each predicted person against the elected: the post, another post, not
// elected; for the party committee, pending until its officers are elected.
func TestCompare(t *testing.T) {
	predicted := []election.Predicted{{Post: vetting.Secretary, Seat: 1, AspirantID: 1, Name: "甲"},
		{Post: vetting.DeputySecretary, Seat: 1, AspirantID: 2, Name: "乙"}, {Post: vetting.CommitteeMember, Seat: 1, AspirantID: 3, Name: "丙"},
		{Post: vetting.CommitteeMember, Seat: 2, AspirantID: 4, Name: "丁"}}
	elected := []election.ElectedMember{{AspirantID: 1, Name: "甲", Post: vetting.CommitteeMember},
		{AspirantID: 2, Name: "乙", Post: vetting.CommitteeMember}, {AspirantID: 3, Name: "丙", Post: vetting.CommitteeMember},
		{Name: "戊(另选)", Post: vetting.CommitteeMember}}
	outcomes := func(lines []election.MatchLine) []election.Match {
		var out []election.Match
		for _, l := range lines {
			out = append(out, l.Outcome)
		}
		return out
	}
	before := election.Compare(org.PartyCommittee, predicted, elected, false)
	if got := outcomes(before); !slices.Equal(got, []election.Match{election.MatchPending, election.MatchPending, election.MatchPost, election.MatchMissed}) {
		t.Errorf("before the officers: %v", got)
	}
	elected[0].Post, elected[2].Post = vetting.DeputySecretary, vetting.Secretary // 甲 deputy, 丙 secretary
	after := election.Compare(org.PartyCommittee, predicted, elected, true)
	if got := outcomes(after); !slices.Equal(got, []election.Match{election.MatchOther, election.MatchOther, election.MatchOther, election.MatchMissed}) {
		t.Errorf("after the officers: %v", got)
	}
	if after[0].ElectedPost != vetting.DeputySecretary || !slices.Equal(after[0].OnPost, []string{"丙"}) || after[3].ElectedPost != "" {
		t.Errorf("the secretary's line: %+v; the missed one's: %+v", after[0], after[3])
	}
	elected[0].Post, elected[2].Post = vetting.Secretary, vetting.CommitteeMember
	if got := outcomes(election.Compare(org.PartyCommittee, predicted, elected, true)); got[0] != election.MatchPost || got[2] != election.MatchPost {
		t.Errorf("the secretary and a member as predicted: %v", got)
	}
	// The residents' committee has no pending: a director elected as a member is another post.
	res := election.Compare(org.ResidentsCommittee, []election.Predicted{{Post: vetting.Director, AspirantID: 1, Name: "甲"}},
		[]election.ElectedMember{{AspirantID: 1, Name: "甲", Post: vetting.CommitteeMember}}, false)
	if res[0].Outcome != election.MatchOther || len(res[0].OnPost) != 0 {
		t.Errorf("residents: %+v", res[0])
	}
	for _, m := range election.Matches {
		if m.Label() == "" {
			t.Errorf("%s has no label", m)
		}
	}
}

// The details of a person written in and elected: what CheckElected asks of
// a member (rules.md §2 Art. 5: full members only on the party committee;
// §3.1: 18 on the day, the day itself enough), each refusal on its own
// field (the form's), and the sex the count sheet wrote, when it wrote one.
func TestCheckWrittenIn(t *testing.T) {
	const day civil.Date = "2027-03-01"
	good := election.WrittenIn{Name: "王另选", Sex: "女", BirthDate: "2009-03-01", Education: vetting.HighSchool, Party: vetting.Masses}
	if err := election.CheckWrittenIn(org.ResidentsCommittee, day, good, ""); err != nil {
		t.Fatalf("18 on the day itself, a resident: %v", err)
	}
	if err := election.CheckWrittenIn(org.ResidentsCommittee, day, good, "女"); err != nil {
		t.Fatalf("the count sheet's sex: %v", err)
	}
	for _, c := range []struct {
		what      string
		committee org.Committee
		w         func(election.WrittenIn) election.WrittenIn
		countSex  string
		field     string
	}{
		{"a day short of 18", org.ResidentsCommittee, func(w election.WrittenIn) election.WrittenIn { w.BirthDate = "2009-03-02"; return w }, "", "birth_date"},
		{"not a day", org.ResidentsCommittee, func(w election.WrittenIn) election.WrittenIn { w.BirthDate = "2001-02-29"; return w }, "", "birth_date"},
		{"no sex", org.ResidentsCommittee, func(w election.WrittenIn) election.WrittenIn { w.Sex = ""; return w }, "", "sex"},
		{"another sex than the count sheet's", org.ResidentsCommittee, func(w election.WrittenIn) election.WrittenIn { return w }, "男", "sex"},
		{"no education", org.ResidentsCommittee, func(w election.WrittenIn) election.WrittenIn { w.Education = "phd"; return w }, "", "education"},
		{"no party status", org.ResidentsCommittee, func(w election.WrittenIn) election.WrittenIn { w.Party = ""; return w }, "", "party"},
		{"the masses on the party committee", org.PartyCommittee, func(w election.WrittenIn) election.WrittenIn { return w }, "", "party"},
		{"a probationary member on it", org.PartyCommittee, func(w election.WrittenIn) election.WrittenIn { w.Party = vetting.Probationary; return w }, "", "party"},
		{"no committee", "", func(w election.WrittenIn) election.WrittenIn { return w }, "", "committee"},
	} {
		err := election.CheckWrittenIn(c.committee, day, c.w(good), c.countSex)
		if errs.CodeOf(err) != errs.Unprocessable || errs.FieldOf(err) != c.field {
			t.Errorf("%s: %v (on %q), want refused on %s", c.what, err, errs.FieldOf(err), c.field)
		}
	}
	full := good
	full.Party = vetting.PartyMember
	if err := election.CheckWrittenIn(org.PartyCommittee, day, full, ""); err != nil {
		t.Errorf("a full member on the party committee: %v", err)
	}
}
