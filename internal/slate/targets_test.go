package slate_test

import (
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

func holder(key, name string, c org.Committee, p vetting.Post, sex string, age int, e vetting.Education) slate.Holder {
	return slate.Holder{Key: key, Name: name, Committee: c, Post: p, Sex: sex, Age: age, Education: e, Party: vetting.PartyMember}
}

// A lineup meeting the seed's three hard targets, then each broken at its
// boundary: 35 on the election day is young, 36 is not; a woman on each
// committee; the secretary the director.
func TestEvaluateTargets(t *testing.T) {
	P, R := org.PartyCommittee, org.ResidentsCommittee
	good := slate.Lineup{Code: "C1", Holders: []slate.Holder{
		holder("a", "甲", P, vetting.Secretary, "男", 45, vetting.Bachelor),
		holder("a", "甲", R, vetting.Director, "男", 45, vetting.Bachelor),
		holder("b", "乙", P, vetting.CommitteeMember, "女", 35, vetting.College),
		holder("c", "丙", R, vetting.CommitteeMember, "女", 50, vetting.HighSchool),
		holder("d", "丁", R, vetting.CommitteeMember, "男", 58, vetting.JuniorOrLess),
	}}
	targets := slate.DefaultTargets()
	met := func(l slate.Lineup) map[slate.Rule]slate.TargetResult {
		out := map[slate.Rule]slate.TargetResult{}
		for _, r := range slate.Evaluate(l, targets) {
			out[r.Target.Rule] = r
			if r.Met != (r.Reason == "") {
				t.Errorf("%s: met %v with reason %q", r.Target.Name, r.Met, r.Reason)
			}
		}
		return out
	}
	got := met(good)
	for _, rule := range []slate.Rule{slate.OneShoulder, slate.WomenEach, slate.YoungMembers, slate.HighShare} {
		if !got[rule].Met {
			t.Errorf("good lineup fails %s: %s", rule, got[rule].Reason)
		}
	}
	// 4 people, 1 on both committees: 25.0%, short of the soft 33.3%.
	if r := got[slate.CrossShare]; r.Met || r.Value != 25 || !strings.Contains(r.Reason, "1/4人") {
		t.Errorf("cross share %+v, want 25%% and not met", r)
	}
	// The young member turns 36 on the election day: no longer 35岁以下.
	older := good
	older.Holders = append([]slate.Holder(nil), good.Holders...)
	older.Holders[2].Age = 36
	if r := met(older)[slate.YoungMembers]; r.Met || !strings.Contains(r.Reason, "35岁以下成员0名") {
		t.Errorf("no member 35 or under: %+v", r)
	}
	// No woman on the party committee.
	noWoman := good
	noWoman.Holders = append([]slate.Holder(nil), good.Holders...)
	noWoman.Holders[2].Sex = "男"
	if r := met(noWoman)[slate.WomenEach]; r.Met || !strings.Contains(r.Reason, "党组织委员会女性0名") {
		t.Errorf("no woman on the party committee: %+v", r)
	}
	// The director another person.
	split := good
	split.Holders = append([]slate.Holder(nil), good.Holders...)
	split.Holders[1] = holder("e", "戊", R, vetting.Director, "男", 40, vetting.College)
	if r := met(split)[slate.OneShoulder]; r.Met || !strings.Contains(r.Reason, "甲") || !strings.Contains(r.Reason, "戊") {
		t.Errorf("split secretary and director: %+v", r)
	}
	// An empty lineup meets nothing and says so.
	for _, r := range slate.Evaluate(slate.Lineup{Code: "C2"}, targets) {
		if r.Met || r.Reason != "尚无人选" {
			t.Errorf("empty lineup %s: %+v", r.Target.Name, r)
		}
	}
	if !slate.Young(35) || slate.Young(36) {
		t.Error("Young: 35 is 35岁以下, 36 is not")
	}
	// The zone's ratios: one lineup of 4 people, one empty.
	r := slate.Sum([]slate.Lineup{good, {Code: "C2"}})
	if r.Communities != 2 || r.WithLineup != 1 || r.People != 4 || r.OneShoulder != 100 || r.Women != 50 || r.Young != 25 ||
		r.Cross != 25 || r.College != 50 || r.HighOrAbove != 75 || r.AverageAge != 47 || r.SecretaryAge != 45 {
		t.Errorf("ratios %+v", r)
	}
}

func TestTargetValidate(t *testing.T) {
	for _, c := range []struct {
		t     slate.Target
		field string
	}{
		{slate.Target{Name: "书记年龄", Rule: slate.SecretaryYoung, Threshold: 45}, ""},
		{slate.Target{Name: " ", Rule: slate.SecretaryYoung, Threshold: 45}, "name"},
		{slate.Target{Name: "x", Rule: "nope"}, "rule"},
		{slate.Target{Name: "x", Rule: slate.WomenEach, Threshold: 1.5}, "threshold"},
		{slate.Target{Name: "x", Rule: slate.CrossShare, Threshold: 101}, "threshold"},
		{slate.Target{Name: "x", Rule: slate.MaxAverageAge, Threshold: 17}, "threshold"},
		{slate.Target{Name: "x", Rule: slate.OneShoulder, Threshold: 5}, ""},
	} {
		err := c.t.Validate()
		if errs.FieldOf(err) != c.field || (err == nil) != (c.field == "") {
			t.Errorf("%+v: %v, want field %q", c.t, err, c.field)
		}
	}
	for _, r := range slate.Rules() {
		if r.Label() == "" {
			t.Errorf("rule %s has no label", r)
		}
	}
}

// Unity: a post counts when its person was first in both recommendations.
func TestUnity(t *testing.T) {
	P := org.PartyCommittee
	l := slate.Lineup{Holders: []slate.Holder{
		holder("a", "甲", P, vetting.Secretary, "男", 45, vetting.Bachelor),
		holder("b", "乙", P, vetting.CommitteeMember, "女", 35, vetting.College),
		holder("c", "丙", P, vetting.CommitteeMember, "女", 50, vetting.College),
	}}
	sec, mem := slate.PostKey{P, vetting.Secretary}, slate.PostKey{P, vetting.CommitteeMember}
	party := slate.Firsts{sec: {"a": true}, mem: {"b": true, "c": true}} // b and c tie first
	public := slate.Firsts{sec: {"a": true}, mem: {"b": true}}
	if u, n := slate.Unity(l, party, public); u != 2 || n != 3 {
		t.Errorf("unity %d of %d, want 2 of 3", u, n)
	}
	if u, _ := slate.Unity(l, party, nil); u != 0 {
		t.Errorf("without the residents' recommendation nothing is united: %d", u)
	}
}
