package slate_test

import (
	"testing"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The seats' law with its boundaries (rules.md §2 for the party
// organisation; 居民委员会组织法第七条 and 村民委员会组织法第六条 for the others).
func TestCheckSeats(t *testing.T) {
	party := func(full, chief, deputies, members int) slate.Seats {
		return slate.Seats{Committee: org.PartyCommittee, FullMembers: full, Chief: chief, Deputies: deputies, Members: members}
	}
	res := func(body slate.Body, chief, deputies, members int) slate.Seats {
		return slate.Seats{Committee: org.ResidentsCommittee, Body: body, Chief: chief, Deputies: deputies, Members: members}
	}
	for _, c := range []struct {
		name  string
		seats slate.Seats
		field string // the first error's field, "" lawful
		warns int
	}{
		{"2 full members: no branch of its own", party(2, 1, 0, 0), "full_members", 0},
		{"3 full members: a secretary", party(3, 1, 0, 0), "", 0},
		{"6 full members: secretary and deputy", party(6, 1, 1, 0), "", 0},
		{"6 full members: no committee members", party(6, 1, 1, 1), "members", 0},
		{"6 full members: one deputy at most", party(6, 1, 2, 0), "deputies", 0},
		{"7 full members: a committee of 3", party(7, 1, 1, 1), "", 0},
		{"7 full members: 2 is no committee", party(7, 1, 0, 1), "members", 0},
		{"committee of 5", party(40, 1, 1, 3), "", 0},
		{"committee of 6: a warning", party(40, 1, 1, 4), "", 1},
		{"committee of 7: a warning", party(40, 1, 2, 4), "", 1},
		{"committee of 8: refused", party(40, 1, 2, 5), "members", 0},
		{"no secretary", party(40, 0, 1, 3), "chief", 0},
		{"two secretaries", party(40, 2, 0, 3), "chief", 0},
		{"negative count", party(40, 1, -1, 3), "deputies", 0},
		{"residents 5", res(slate.ResidentsBody, 1, 1, 3), "", 0},
		{"residents 4", res(slate.ResidentsBody, 1, 1, 2), "members", 0},
		{"residents 9", res(slate.ResidentsBody, 1, 2, 6), "", 0},
		{"residents 10", res(slate.ResidentsBody, 1, 2, 7), "members", 0},
		{"village 3", res(slate.VillageBody, 1, 0, 2), "", 0},
		{"village 2", res(slate.VillageBody, 1, 0, 1), "members", 0},
		{"village 7", res(slate.VillageBody, 1, 2, 4), "", 0},
		{"village 8", res(slate.VillageBody, 1, 2, 5), "members", 0},
		{"no body", res("", 1, 1, 3), "body", 0},
		{"no director", res(slate.ResidentsBody, 0, 2, 3), "chief", 0},
	} {
		findings := slate.Check(c.seats)
		warns := 0
		for _, f := range findings {
			if !f.Error {
				warns++
			}
		}
		err := slate.Validate(c.seats)
		if errs.FieldOf(err) != c.field || (err == nil) != (c.field == "") || warns != c.warns {
			t.Errorf("%s: %v (field %q), %d warnings; want field %q, %d warnings", c.name, err, errs.FieldOf(err), warns, c.field, c.warns)
		}
	}
	if got := slate.Organisation(120); got == "" || slate.Organisation(2) == slate.Organisation(3) {
		t.Errorf("Organisation names nothing: %q", got)
	}
}

// Only a qualified aspirant may be proposed; every other status says why.
func TestEligible(t *testing.T) {
	for _, st := range vetting.Statuses {
		ok, reason := slate.Eligible(st)
		if ok != (st == vetting.Qualified) || (ok == (reason != "")) {
			t.Errorf("%s: eligible %v, reason %q", st, ok, reason)
		}
	}
	if ok, reason := slate.Eligible("forged"); ok || reason == "" {
		t.Errorf("an unknown status is eligible or unexplained: %v %q", ok, reason)
	}
}
