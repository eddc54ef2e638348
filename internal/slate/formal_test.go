package slate_test

import (
	"testing"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The margins with their boundaries: 20% on 5 seats needs 6 candidates.
func TestMargins(t *testing.T) {
	for seats, want := range map[int]int{1: 2, 3: 4, 5: 6, 6: 8, 7: 9, 10: 12} {
		if got := slate.PartyCandidatesMin(seats, 20); got != want {
			t.Errorf("%d seats: at least %d candidates, want %d", seats, got, want)
		}
	}
	m := slate.DefaultMargins()
	party := slate.Seats{Committee: org.PartyCommittee, FullMembers: 40, Chief: 1, Deputies: 1, Members: 3}
	for n, ok := range map[int]bool{5: false, 6: true, 9: true} {
		f := slate.CheckList(party, map[vetting.Post]int{vetting.CommitteeMember: n}, m)
		if (len(f) == 0) != ok {
			t.Errorf("party committee of 5 with %d candidates: %v", n, f)
		}
	}
	small := slate.Seats{Committee: org.PartyCommittee, FullMembers: 6, Chief: 1}
	if f := slate.CheckList(small, map[vetting.Post]int{vetting.Secretary: 1}, m); len(f) != 0 {
		t.Errorf("a branch without a committee needs no margin: %v", f)
	}
	res := slate.Seats{Committee: org.ResidentsCommittee, Body: slate.ResidentsBody, Chief: 1, Deputies: 1, Members: 5}
	for _, c := range []struct {
		chief, deputy, members int
		field                  string
	}{
		{2, 2, 6, ""}, {2, 2, 8, ""}, {1, 2, 6, "director"}, {3, 2, 6, "director"}, {2, 2, 5, "member"}, {2, 2, 9, "member"},
	} {
		f := slate.CheckList(res, map[vetting.Post]int{vetting.Director: c.chief, vetting.DeputyDirector: c.deputy, vetting.CommitteeMember: c.members}, m)
		got := ""
		if len(f) > 0 {
			got = f[0].Field
		}
		if got != c.field {
			t.Errorf("residents %d/%d/%d: %v, want field %q", c.chief, c.deputy, c.members, f, c.field)
		}
	}
	// Posted 5 days before the vote: in time; 4: late.
	if err := slate.CheckPosting("2027-01-11", "2027-01-16", m); err != nil {
		t.Errorf("posted 5 days before: %v", err)
	}
	if err := slate.CheckPosting("2027-01-12", "2027-01-16", m); errs.FieldOf(err) != "posted_on" {
		t.Errorf("posted 4 days before: %v", err)
	}
	if err := slate.CheckWithdrawal("2027-01-11", "2027-01-14", m); err != nil {
		t.Errorf("withdrawal on day 3: %v", err)
	}
	if err := slate.CheckWithdrawal("2027-01-11", "2027-01-15", m); errs.FieldOf(err) != "withdrawn_on" {
		t.Errorf("withdrawal on day 4: %v", err)
	}
}
