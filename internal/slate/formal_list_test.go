package slate_test

import (
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

func nominee(id int64, name string, c org.Committee, p vetting.Post, st slate.Stage) slate.Nominee {
	return slate.Nominee{Aspirant: vetting.Aspirant{ID: id, Name: name, Committee: c, Post: p}, Stage: st}
}

// A formal list with its boundaries: 20% on 5 seats needs 6 candidates;
// posted exactly PublishDays before the vote passes, a day later is
// refused; only a person who passed the notice, standing for the
// committee, once.
func TestValidateFormal(t *testing.T) {
	m := slate.DefaultMargins()
	party := slate.Seats{Committee: org.PartyCommittee, FullMembers: 40, Chief: 1, Deputies: 1, Members: 3}
	people := map[int64]slate.Nominee{}
	var entries []slate.Entry
	for i := int64(1); i <= 7; i++ {
		people[i] = nominee(i, "甲"+string(rune('0'+i)), org.PartyCommittee, vetting.CommitteeMember, slate.StagePassed)
		entries = append(entries, slate.Entry{AspirantID: i, Post: vetting.CommitteeMember})
	}
	people[8] = nominee(8, "乙", org.PartyCommittee, vetting.CommitteeMember, slate.StageNoticing)
	people[9] = nominee(9, "丙", org.ResidentsCommittee, vetting.CommitteeMember, slate.StagePassed)
	people[10] = slate.Nominee{Aspirant: vetting.Aspirant{ID: 10, Name: "丁", Committee: org.ResidentsCommittee, Post: vetting.Director,
		CrossPost: vetting.Secretary}, Stage: slate.StagePassed}
	day := civil.Date("2027-03-01")
	check := func(e []slate.Entry, posted civil.Date) error {
		return slate.ValidateFormal(org.PartyCommittee, e, people, party, true, posted, day, m)
	}
	if err := check(entries[:6], "2027-02-24"); err != nil {
		t.Errorf("6 candidates for 5 seats, posted 5 days before: %v", err)
	}
	if err := check(entries[:5], "2027-02-24"); errs.FieldOf(err) != "candidates" || !strings.Contains(err.Error(), "至少6人") {
		t.Errorf("5 candidates for 5 seats: %v", err)
	}
	if err := check(entries[:6], "2027-02-25"); errs.FieldOf(err) != "posted_on" {
		t.Errorf("posted 4 days before: %v", err)
	}
	if err := slate.ValidateFormal(org.PartyCommittee, entries[:6], people, party, false, "2027-02-24", day, m); errs.FieldOf(err) != "seats" {
		t.Errorf("seats not set: %v", err)
	}
	if err := slate.ValidateFormal(org.PartyCommittee, entries[:6], people, party, true, "2027-02-24", "", m); errs.FieldOf(err) != "posted_on" {
		t.Errorf("no election day: %v", err)
	}
	for _, c := range []struct {
		add   slate.Entry
		field string
		says  string
	}{
		{slate.Entry{AspirantID: 8, Post: vetting.CommitteeMember}, "candidates[6].aspirant_id", "公示中"},
		{slate.Entry{AspirantID: 9, Post: vetting.CommitteeMember}, "candidates[6].aspirant_id", "未参选"},
		{slate.Entry{AspirantID: 1, Post: vetting.CommitteeMember}, "candidates[6].aspirant_id", "只能列入一次"},
		{slate.Entry{AspirantID: 99, Post: vetting.CommitteeMember}, "candidates[6].aspirant_id", "不是本社区"},
		{slate.Entry{AspirantID: 7, Post: vetting.Director}, "candidates[6].post", "职务"},
		{slate.Entry{AspirantID: 10, Post: vetting.Secretary}, "", ""}, // a 一肩挑 aspirant stands for the party committee too
	} {
		err := check(append(entries[:6:6], c.add), "2027-02-24")
		if errs.FieldOf(err) != c.field || (c.says != "" && !strings.Contains(err.Error(), c.says)) {
			t.Errorf("adding %+v: %v, want field %q", c.add, err, c.field)
		}
	}
	// The residents' committee: the message names the post.
	res := slate.Seats{Committee: org.ResidentsCommittee, Body: slate.ResidentsBody, Chief: 1, Deputies: 1, Members: 3}
	people[11] = nominee(11, "戊", org.ResidentsCommittee, vetting.Director, slate.StagePassed)
	err := slate.ValidateFormal(org.ResidentsCommittee, []slate.Entry{{AspirantID: 11, Post: vetting.Director}}, people, res, true, "2027-02-24", day, m)
	if errs.FieldOf(err) != "director" || !strings.Contains(err.Error(), "主任应选1人") {
		t.Errorf("one director candidate for one seat: %v", err)
	}
}

// Withdrawal on day WithdrawDays after the posting passes, the day after
// is refused; a reason is required; the replacement posted 3 days before
// the vote is in time, 2 days is not.
func TestWithdrawal(t *testing.T) {
	m := slate.DefaultMargins()
	f := slate.Formal{Committee: org.PartyCommittee, PostedOn: "2027-02-20", Candidates: []slate.FormalCandidate{
		{AspirantID: 1, Name: "甲", Post: vetting.CommitteeMember, PostedOn: "2027-02-20"},
		{AspirantID: 2, Name: "乙", Post: vetting.CommitteeMember, PostedOn: "2027-02-20", WithdrawnOn: "2027-02-21", Reason: "病"},
	}}
	day, today := civil.Date("2027-03-01"), civil.Date("2027-02-28")
	for _, c := range []struct {
		w     slate.Withdrawal
		field string
	}{
		{slate.Withdrawal{AspirantID: 1, On: "2027-02-23", Reason: "身体原因"}, ""},
		{slate.Withdrawal{AspirantID: 1, On: "2027-02-24", Reason: "身体原因"}, "withdrawn_on"},
		{slate.Withdrawal{AspirantID: 1, On: "2027-02-19", Reason: "身体原因"}, "withdrawn_on"},
		{slate.Withdrawal{AspirantID: 1, On: "2027-02-23", Reason: " "}, "reason"},
		{slate.Withdrawal{AspirantID: 2, On: "2027-02-23", Reason: "x"}, "aspirant_id"},
		{slate.Withdrawal{AspirantID: 3, On: "2027-02-23", Reason: "x"}, "aspirant_id"},
		{slate.Withdrawal{AspirantID: 1, On: "2027-02-23", Reason: "x", ReplacementPostedOn: "2027-02-22"}, "replacement_posted_on"},
		{slate.Withdrawal{AspirantID: 1, On: "2027-02-23", Reason: "x", ReplacementPostedOn: "2027-03-01"}, "replacement_posted_on"},
	} {
		if err := c.w.Validate(f, today, day, m); errs.FieldOf(err) != c.field {
			t.Errorf("%+v: %v, want field %q", c.w, err, c.field)
		}
	}
	if err := (slate.Withdrawal{AspirantID: 1, On: "2027-02-22", Reason: "x"}).Validate(f, "2027-02-21", day, m); errs.FieldOf(err) != "withdrawn_on" {
		t.Errorf("a withdrawal after today: %v", err)
	}
	if err := slate.CheckReplacementPosting("2027-02-26", day, slate.ReplacementPostDays); err != nil {
		t.Errorf("replacement posted 3 days before: %v", err)
	}
	if err := slate.CheckReplacementPosting("2027-02-27", day, slate.ReplacementPostDays); err == nil || !strings.Contains(err.Error(), "缺额") {
		t.Errorf("replacement posted 2 days before: %v", err)
	}
	if !f.Short() || len(f.Warnings()) != 1 || f.Counts()[vetting.CommitteeMember] != 1 {
		t.Errorf("a withdrawal not replaced leaves the list short: %v %v", f.Warnings(), f.Counts())
	}
	f.Candidates[1].ReplacedBy = 3
	if f.Short() {
		t.Errorf("a replaced withdrawal leaves the list short")
	}
}

// The replacement is the next by votes among those accepted; ties are
// broken by the other recommendation's votes, then by name.
func TestNextByVotes(t *testing.T) {
	primary := []slate.Ranked{{AspirantID: 1, Name: "甲", Votes: 50}, {AspirantID: 2, Name: "乙", Votes: 40},
		{AspirantID: 3, Name: "丙", Votes: 40}, {AspirantID: 4, Name: "丁", Votes: 30}, {AspirantID: 5, Name: "戊", Votes: 30}}
	other := []slate.Ranked{{AspirantID: 3, Votes: 9}, {AspirantID: 2, Votes: 1}}
	taken := map[int64]bool{1: true}
	ok := func(id int64) bool { return !taken[id] }
	if r, found := slate.NextByVotes(primary, other, ok); !found || r.AspirantID != 3 {
		t.Errorf("tie of 40 broken by the other recommendation: %+v", r)
	}
	taken[2], taken[3] = true, true
	// 丁 and 戊 tie in both: by name (丁 U+4E01 before 戊 U+620A).
	if r, _ := slate.NextByVotes(primary, other, ok); r.AspirantID != 4 {
		t.Errorf("tie in both broken by name: %+v", r)
	}
	taken[4], taken[5] = true, true
	if _, found := slate.NextByVotes(primary, other, ok); found {
		t.Errorf("nobody left, yet someone found")
	}
	if slate.SourceFor(org.PartyCommittee) != slate.PartySource || slate.SourceFor(org.ResidentsCommittee) != slate.PublicSource {
		t.Errorf("the recommendation that ranks the replacements")
	}
}
