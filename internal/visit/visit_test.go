package visit

import (
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// The target counts households reached rounded up (the seed: "不低于70%"):
// 70% of 7 is 5 (4.9), of 10 is 7, of 0 is 0; a community reaching one
// fewer is below it.
func TestTargetRoundsUp(t *testing.T) {
	c := DefaultCampaign(Before)
	if !c.TalkAll || c.HouseholdPercent != 70 || DefaultCampaign(After).TalkAll {
		t.Fatalf("defaults: %+v", c)
	}
	for total, want := range map[int]int{0: 0, 1: 1, 7: 5, 10: 7, 11: 8, 1000: 700} {
		if got := c.Needed(total); got != want {
			t.Errorf("70%% of %d: %d, want %d", total, got, want)
		}
		r := CoverageRow{Households: total, Reached: want}
		r.Fill(c)
		if r.Below {
			t.Errorf("%d of %d reached is below the target", want, total)
		}
		if want > 0 {
			r = CoverageRow{Households: total, Reached: want - 1, TalksOwed: 3}
			r.Fill(DefaultCampaign(During))
			if !r.Below || r.TalksOwed != 0 {
				t.Errorf("%d of %d: %+v", want-1, total, r)
			}
		}
	}
}

func TestCampaignDates(t *testing.T) {
	c := Campaign{Round: During, StartsOn: "2027-01-20", EndsOn: "2027-03-20", HouseholdPercent: 70}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for day, in := range map[civil.Date]bool{"2027-01-19": false, "2027-01-20": true, "2027-03-20": true, "2027-03-21": false} {
		if c.Covers(day) != in {
			t.Errorf("%s within the round: %v", day, !in)
		}
	}
	for field, bad := range map[string]Campaign{
		"round":             {Round: "x"},
		"ends_on":           {Round: Before, StartsOn: "2027-02-01", EndsOn: "2027-01-31"},
		"household_percent": {Round: Before, HouseholdPercent: 101},
	} {
		if err := bad.Validate(); errs.FieldOf(err) != field {
			t.Errorf("%+v: %v, want a refusal on %s", bad, err, field)
		}
	}
}

// A visit is refused on the field that is wrong; a field of another round,
// an intention recorded for a household and a day after today are refused.
func TestVisitValidate(t *testing.T) {
	const today = civil.Date("2027-02-10")
	round := Campaign{Round: During, StartsOn: "2027-01-20", EndsOn: "2027-03-20"}
	good := func() Visit {
		return Visit{ClientID: " 0F8FAD5B-D9CB-469F-A165-70867728950E ", Round: During, Household: 7, Visitors: []string{" 张三 ", ""},
			Day: "2027-02-09", Method: Door, Topics: "党史学习教育"}
	}
	v := good()
	if err := v.Validate(round, today); err != nil {
		t.Fatal(err)
	}
	if v.ClientID != "0f8fad5b-d9cb-469f-a165-70867728950e" || len(v.Visitors) != 1 || v.Visitors[0] != "张三" {
		t.Errorf("not trimmed: %+v", v)
	}
	for field, change := range map[string]func(*Visit){
		"client_id":    func(v *Visit) { v.ClientID = "1" },
		"household_id": func(v *Visit) { v.Person = 3 },
		"visitors":     func(v *Visit) { v.Visitors = nil },
		"visited_on":   func(v *Visit) { v.Day = "2027-02-11" },
		"method":       func(v *Visit) { v.Method = "mail" },
		"proposals":    func(v *Visit) { v.Proposals = "修路" },
		"intention":    func(v *Visit) { v.Intention = Stands },
		"topics":       func(v *Visit) { v.Topics = strings.Repeat("字", MaxText+1) },
		"problems[0].due": func(v *Visit) {
			v.Problems = []Problem{{Category: Categories[0], Urgency: Urgent, Text: "路灯坏", FollowUp: true, Owner: "李四", Due: "2027-02-09"}}
		},
		"activity_id": func(v *Visit) { v.Activity = 2 },
		"problems[0].follow_up": func(v *Visit) {
			v.Problems = []Problem{{Category: Categories[0], Urgency: Urgent, Text: "路灯坏", Owner: "李四"}}
		},
	} {
		v := good()
		change(&v)
		if err := v.Validate(round, today); errs.FieldOf(err) != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	v = good()
	v.Day = "2027-01-19"
	if err := v.Validate(round, today); errs.FieldOf(err) != "visited_on" {
		t.Errorf("a day before the round: %v", err)
	}
}

// Same tells a resent visit from another visit under the same client id.
func TestSameVisit(t *testing.T) {
	a := Visit{ClientID: "x", Community: "QS-01-001", Round: Before, Household: 1, Visitors: []string{"甲", "乙"}, Day: "2026-11-01", Method: Door}
	b := a
	b.Visitors = []string{"甲", "乙"}
	if !a.Same(b) {
		t.Error("the same visit sent again is not the same")
	}
	b.Household = 2
	if a.Same(b) {
		t.Error("another household under the same client id is the same visit")
	}
}

// A finding is dated the day it was made: given, within its activity's
// dates and not after today; left out, today while the activity runs and
// its last day once it has ended.
func TestFindingDay(t *testing.T) {
	a := Activity{StartsOn: "2026-10-01", EndsOn: "2026-10-31"}
	for _, c := range []struct {
		day, today, want string // want: the day, or the field refused
	}{
		{"", "2026-10-20", "2026-10-20"},
		{"", "2026-11-15", "2026-10-31"},
		{"2026-10-05", "2026-11-15", "2026-10-05"},
		{"2026-10-21", "2026-10-20", "day"},
		{"2026-09-30", "2026-10-20", "day"},
		{"2026-11-01", "2026-11-15", "day"},
		{"", "2026-09-20", "day"}, // the activity has not begun
	} {
		f := Finding{Community: "Z-1-1", Text: "班子团结", Day: civil.Date(c.day)}
		err := f.Validate(a, civil.Date(c.today))
		if got := string(f.Day); err == nil && got != c.want || err != nil && errs.FieldOf(err) != c.want {
			t.Errorf("day %q on %s: %q %v, want %s", c.day, c.today, got, err, c.want)
		}
	}
}

// A correction keeps, replaces or clears the phone, never both at once;
// a household a visit reached is not removed.
func TestHouseholdCorrection(t *testing.T) {
	h := Household{Address: "1-101", Head: "张三", Size: 2, Phone: "13912345678"}
	if err := h.ValidateCorrection(true); errs.FieldOf(err) != "phone" {
		t.Errorf("a phone typed and cleared: %v", err)
	}
	h.Phone = ""
	if err := h.ValidateCorrection(true); err != nil {
		t.Errorf("the phone cleared: %v", err)
	}
	if err := h.Removable(0); err != nil {
		t.Errorf("a household never visited: %v", err)
	}
	if err := h.Removable(2); errs.CodeOf(err) != errs.Conflict || !strings.Contains(errs.MessageOf(err), "2 次走访记录") {
		t.Errorf("a household visited twice: %v", err)
	}
}
