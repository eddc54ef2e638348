package vetting

import (
	"reflect"
	"testing"
)

func TestTally(t *testing.T) {
	s := func(org string, st Status, reviewed, findings bool) Summary {
		return Summary{OrgCode: org, OrgName: org + "社区", Status: st, Reviewed: reviewed, Findings: findings}
	}
	in := []Summary{
		s("C2", Registered, false, false),
		s("C2", UnderReview, false, false),
		s("C2", UnderReview, true, true), // in a second round after a completed first
		s("C1", Reviewed, true, true),
		s("C1", Qualified, true, false),
		s("C1", Qualified, true, true),
		s("C1", Barred, true, true),
		s("C1", Unsuitable, true, true),
		s("C1", Withdrawn, true, true),
		s("C3", Disqualified, false, false), // disqualified before review
		s("C3", Disqualified, true, true),
		s("C3", Withdrawn, false, true), // a store that forgot the flag: the status says reviewed
	}
	got := Tally(in)
	want := Stats{
		Communities: []CommunityCounts{
			{"C1", "C1社区", Counts{Registered: 6, Reviewed: 6, WithFindings: 5, Barred: 1, Unsuitable: 2, Withdrawn: 1, Qualified: 2}},
			{"C2", "C2社区", Counts{Registered: 3, Reviewed: 1, WithFindings: 1}},
			{"C3", "C3社区", Counts{Registered: 3, Reviewed: 2, WithFindings: 2, Unsuitable: 1, Withdrawn: 1, Disqualified: 2}},
		},
		Total: Counts{Registered: 12, Reviewed: 9, WithFindings: 8, Barred: 1, Unsuitable: 3, Withdrawn: 2, Disqualified: 2, Qualified: 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("tally:\n got %+v\nwant %+v", got, want)
	}
	var sum Counts
	for _, c := range got.Communities {
		sum = sum.Plus(c.Counts)
	}
	if sum != got.Total {
		t.Fatalf("communities sum to %+v, total %+v", sum, got.Total)
	}
	items := got.Total.Items()
	if len(items) != 8 || items[0] != (CountItem{"登记参选人", 12}) || items[5] != (CountItem{"劝退", 2}) || items[7] != (CountItem{"资格通过", 2}) {
		t.Fatalf("items %+v", items)
	}
	if empty := Tally(nil); empty.Communities != nil || empty.Total != (Counts{}) {
		t.Fatalf("empty tally %+v", empty)
	}
}
