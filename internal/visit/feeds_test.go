package visit

import (
	"testing"

	"github.com/huanjie/huanjie/internal/civil"
)

// A community is warned about from WarnDays (7) before its round's end
// day, on it and after it (late the day after), when it reached fewer
// households than the target asks or, in a round asking for 全谈, still
// owes a talk; exactly at the target with no talk owed it is not, nor is
// any community of a round without dates.
func TestShortfallBoundaries(t *testing.T) {
	const ends civil.Date = "2026-11-30"
	c := Campaign{Round: Before, StartsOn: "2026-10-01", EndsOn: ends, HouseholdPercent: 70, TalkAll: true}
	row := func(households, reached, owed int) CoverageRow {
		r := CoverageRow{Community: "X", Households: households, Reached: reached, TalksOwed: owed}
		r.Fill(c)
		return r
	}
	below, atTarget, owing := row(10, 6, 0), row(10, 7, 0), row(10, 7, 1)
	for _, x := range []struct {
		today      civil.Date
		near, late bool
		left       int
	}{
		{"2026-11-22", false, false, 8}, // 8 days before: not yet
		{"2026-11-23", true, false, 7},  // the day WarnDays before
		{"2026-11-30", true, false, 0},  // the end day itself
		{"2026-12-01", true, true, -1},  // the day after: late
		{"2027-03-01", true, true, -91}, // long after, still late
	} {
		if c.Near(x.today) != x.near || c.Over(x.today) != x.late {
			t.Errorf("%s: near %v over %v, want %v %v", x.today, c.Near(x.today), c.Over(x.today), x.near, x.late)
		}
		s, ok := ShortfallOf(c, below, x.today)
		if ok != x.near {
			t.Errorf("%s: 6 of 10 reached against 70%%: shortfall %v, want %v", x.today, ok, x.near)
		}
		if ok && (s.Late != x.late || s.DaysLeft != x.left || s.EndsOn != ends || s.Target != 70 || s.Round != Before || s.Talks ||
			s.Reached != 6 || s.Needed != 7) {
			t.Errorf("%s: %+v, want late %v, %d days left", x.today, s, x.late, x.left)
		}
		if _, ok := ShortfallOf(c, atTarget, x.today); ok {
			t.Errorf("%s: exactly the target (7 of 10) with no talk owed is a shortfall", x.today)
		}
		s, ok = ShortfallOf(c, owing, x.today)
		if ok != x.near || (ok && (!s.Talks || s.Below)) {
			t.Errorf("%s: at the target owing a talk under 全谈: %+v %v, want a shortfall of talks only: %v", x.today, s, ok, x.near)
		}
	}
	// Without 全谈 a talk owed is no shortfall; without dates nothing is.
	noTalks := c
	noTalks.TalkAll = false
	if _, ok := ShortfallOf(noTalks, owing, ends); ok {
		t.Error("a talk owed in a round not asking for 全谈 is a shortfall")
	}
	undated := DefaultCampaign(Before)
	if undated.Near("2030-01-01") || undated.Over("2030-01-01") {
		t.Error("a round without dates is near or over its end")
	}
	if _, ok := ShortfallOf(undated, below, "2030-01-01"); ok {
		t.Error("a round without dates has a shortfall")
	}
	// An empty register reaches its target of zero households.
	if _, ok := ShortfallOf(c, row(0, 0, 0), ends); ok {
		t.Error("a community without households or talks is short")
	}
}

// The progress table shows the round whose dates cover today, else the
// one that ended last, else the round before the election.
func TestCurrentRound(t *testing.T) {
	rounds := []Campaign{
		{Round: Before, StartsOn: "2026-10-01", EndsOn: "2026-11-30", HouseholdPercent: 70},
		{Round: During, StartsOn: "2026-12-10", EndsOn: "2027-02-10", HouseholdPercent: 60},
		{Round: After, HouseholdPercent: 50}, // not dated yet
	}
	for today, want := range map[civil.Date]Round{
		"2026-09-01": Before, "2026-10-01": Before, "2026-11-30": Before, "2026-12-05": Before, "2026-12-10": During,
		"2027-02-10": During, "2027-05-01": During,
	} {
		if got := CurrentRound(rounds, today); got.Round != want {
			t.Errorf("%s: %s, want %s", today, got.Round, want)
		}
	}
	if got := CurrentRound(rounds[2:], "2027-01-01"); got.Round != Before || got.HouseholdPercent != DefaultHouseholdPercent {
		t.Errorf("without the round before set: %+v", got)
	}
}

// Each person talked to is counted once, by the intention of their latest
// talk; the names intending to stand list sitting members first; a talk
// that asked nothing counts nothing.
func TestIntentionTally(t *testing.T) {
	var in IntentionTally
	in.Tally([]Heard{
		{Kind: PartyMember, ID: 1, Name: "乙", Day: "2026-10-02", Intention: Undecided},
		{Kind: Committee, ID: 1, Name: "甲", Day: "2026-10-03", Intention: Stands}, // member 1 is not person 1
		{Kind: PartyMember, ID: 1, Name: "乙", Day: "2026-10-05", Intention: Stands},
		{Kind: Representative, ID: 2, Name: "丙", Day: "2026-10-05", Intention: NotStand},
		{Kind: Representative, ID: 3, Name: "丁", Day: "2026-10-06", Intention: ""},
		{Kind: Representative, ID: 4, Name: "戊", Day: "2026-10-06", Intention: Stands},
		{Kind: Representative, ID: 4, Name: "戊", Day: "2026-10-08", Intention: Undecided},
	})
	if in.Stands != 2 || in.NotStand != 1 || in.Undecided != 1 || len(in.Standing) != 2 || in.Standing[0].Name != "甲" ||
		in.Standing[1].Name != "乙" || !in.Heard() {
		t.Errorf("tally: %+v", in)
	}
	var none IntentionTally
	none.Tally(nil)
	if none.Heard() || none.Standing == nil {
		t.Errorf("nothing heard: %+v", none)
	}
}
