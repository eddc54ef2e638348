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

// A recommendation's rules with their boundaries: votes up to 实参加, 实参加
// up to 应参加, the day up to today and the election day, only eligible
// aspirants standing for the committee, once per post.
func TestValidateRecommendation(t *testing.T) {
	const today, election civil.Date = "2026-03-10", "2026-03-20"
	people := map[int64]vetting.Aspirant{
		1: {ID: 1, Name: "李明", Status: vetting.Qualified, Committee: org.ResidentsCommittee, Post: vetting.Director, CrossPost: vetting.Secretary},
		2: {ID: 2, Name: "王芳", Status: vetting.Qualified, Committee: org.ResidentsCommittee, Post: vetting.CommitteeMember},
		3: {ID: 3, Name: "赵刚", Status: vetting.Unsuitable, Committee: org.ResidentsCommittee, Post: vetting.CommitteeMember},
		4: {ID: 4, Name: "孙丽", Status: vetting.UnderReview, Committee: org.PartyCommittee, Post: vetting.CommitteeMember},
	}
	base := func(edit func(r *slate.Recommendation)) slate.Recommendation {
		r := slate.Recommendation{Committee: org.ResidentsCommittee, Kind: slate.MassesKind, Expected: 100, Present: 80, Day: "2026-03-01",
			Votes: []slate.Vote{{AspirantID: 1, Post: vetting.Director, Votes: 60}, {AspirantID: 2, Post: vetting.CommitteeMember, Votes: 50}}}
		if edit != nil {
			edit(&r)
		}
		return r
	}
	for _, c := range []struct {
		name  string
		r     slate.Recommendation
		field string // "" valid
	}{
		{"valid", base(nil), ""},
		{"votes = 实参加", base(func(r *slate.Recommendation) { r.Votes[0].Votes = 80 }), ""},
		{"votes = 实参加 + 1", base(func(r *slate.Recommendation) { r.Votes[0].Votes = 81 }), "votes[0].votes"},
		{"votes 0", base(func(r *slate.Recommendation) { r.Votes[1].Votes = 0 }), ""},
		{"votes negative", base(func(r *slate.Recommendation) { r.Votes[1].Votes = -1 }), "votes[1].votes"},
		{"实参加 = 应参加", base(func(r *slate.Recommendation) { r.Present = 100 }), ""},
		{"实参加 > 应参加", base(func(r *slate.Recommendation) { r.Present = 101 }), "present"},
		{"实参加 0, votes 0", base(func(r *slate.Recommendation) { r.Present, r.Votes[0].Votes, r.Votes[1].Votes = 0, 0, 0 }), ""},
		{"实参加 negative", base(func(r *slate.Recommendation) { r.Present = -1 }), "present"},
		{"应参加 0", base(func(r *slate.Recommendation) { r.Expected, r.Present = 0, 0 }), "expected"},
		{"应参加 1", base(func(r *slate.Recommendation) { r.Expected, r.Present, r.Votes[0].Votes, r.Votes[1].Votes = 1, 1, 1, 0 }), ""},
		{"no kind", base(func(r *slate.Recommendation) { r.Kind = "" }), "kind"},
		{"no committee", base(func(r *slate.Recommendation) { r.Committee = "council" }), "committee"},
		{"day today", base(func(r *slate.Recommendation) { r.Day = today }), ""},
		{"day tomorrow", base(func(r *slate.Recommendation) { r.Day = today.AddDays(1) }), "day"},
		{"day missing", base(func(r *slate.Recommendation) { r.Day = "" }), "day"},
		{"day not a day", base(func(r *slate.Recommendation) { r.Day = "2026-02-30" }), "day"},
		{"no rows", base(func(r *slate.Recommendation) { r.Votes = nil }), "votes"},
		{"unknown person", base(func(r *slate.Recommendation) { r.Votes[1].AspirantID = 9 }), "votes[1].aspirant_id"},
		{"no person", base(func(r *slate.Recommendation) { r.Votes[1].AspirantID = 0 }), "votes[1].aspirant_id"},
		{"unsuitable person", base(func(r *slate.Recommendation) { r.Votes[1].AspirantID = 3 }), "votes[1].aspirant_id"},
		{"not standing for the committee", base(func(r *slate.Recommendation) {
			r.Committee, r.Kind, r.Votes = org.PartyCommittee, slate.MembersKind, []slate.Vote{{AspirantID: 2, Post: vetting.CommitteeMember, Votes: 1}}
		}), "votes[0].aspirant_id"},
		{"standing by the cross post", base(func(r *slate.Recommendation) {
			r.Committee, r.Kind, r.Votes = org.PartyCommittee, slate.MembersKind, []slate.Vote{{AspirantID: 1, Post: vetting.Secretary, Votes: 70}}
		}), ""},
		{"post of the other committee", base(func(r *slate.Recommendation) { r.Votes[0].Post = vetting.Secretary }), "votes[0].post"},
		{"twice for one post", base(func(r *slate.Recommendation) {
			r.Votes = append(r.Votes, slate.Vote{AspirantID: 1, Post: vetting.Director, Votes: 3})
		}), "votes[2].post"},
		{"two posts for one person", base(func(r *slate.Recommendation) {
			r.Votes = append(r.Votes, slate.Vote{AspirantID: 1, Post: vetting.DeputyDirector, Votes: 3})
		}), ""},
	} {
		err := slate.ValidateRecommendation(c.r, today, election, people)
		if errs.FieldOf(err) != c.field || (err == nil) != (c.field == "") {
			t.Errorf("%s: %v (field %q), want field %q", c.name, err, errs.FieldOf(err), c.field)
		}
	}
	// The election day bounds the day too: on it allowed, after it refused.
	r := base(nil)
	r.Day = "2026-03-05"
	if err := slate.ValidateRecommendation(r, "2026-03-30", "2026-03-05", people); err != nil {
		t.Errorf("held on the election day: %v", err)
	}
	if err := slate.ValidateRecommendation(r, "2026-03-30", "2026-03-04", people); errs.FieldOf(err) != "day" {
		t.Errorf("held after the election day: %v", err)
	}
	// The reason of a refused aspirant is Eligible's.
	r = base(func(r *slate.Recommendation) { r.Votes[1].AspirantID = 3 })
	if _, reason := slate.Eligible(vetting.Unsuitable); !strings.Contains(errs.MessageOf(slate.ValidateRecommendation(r, today, election, people)), reason) {
		t.Errorf("the refusal does not give Eligible's reason")
	}
}

// Ranking: most votes first, ties share a rank and the next skips them,
// shares are one-decimal percentages of 实参加.
func TestRank(t *testing.T) {
	list := []slate.Ranked{{AspirantID: 1, Name: "甲", Votes: 30}, {AspirantID: 2, Name: "乙", Votes: 62}, {AspirantID: 3, Name: "丙", Votes: 62},
		{AspirantID: 4, Name: "丁", Votes: 0}, {AspirantID: 5, Name: "戊", Votes: 30}}
	got := slate.Rank(list, 62)
	want := []struct {
		id    int64
		rank  int
		share float64
	}{{3, 1, 100}, {2, 1, 100}, {5, 3, 48.4}, {1, 3, 48.4}, {4, 5, 0}} // among equals by name (code point order)
	for i, w := range want {
		if got[i].AspirantID != w.id || got[i].Rank != w.rank || got[i].Share != w.share {
			t.Errorf("place %d: %+v, want id %d rank %d share %v", i, got[i], w.id, w.rank, w.share)
		}
	}
	if list[0].Rank != 0 {
		t.Errorf("Rank changed its argument")
	}
	for _, c := range []struct {
		votes, present int
		share          float64
		text           string
	}{{1, 3, 33.3, "33.3%"}, {2, 3, 66.7, "66.7%"}, {1, 8, 12.5, "12.5%"}, {0, 0, 0, "0.0%"}, {80, 80, 100, "100.0%"}} {
		if s := slate.Share(c.votes, c.present); s != c.share || slate.Percent(s) != c.text {
			t.Errorf("share %d/%d = %v %q, want %v %q", c.votes, c.present, s, slate.Percent(s), c.share, c.text)
		}
	}
	if slate.Turnout(95, 100) != 95 {
		t.Errorf("turnout 95/100 = %v", slate.Turnout(95, 100))
	}
	for _, k := range slate.Kinds {
		if got, ok := slate.ParseKind(k.Label()); !ok || got != k {
			t.Errorf("kind %s does not parse from its label", k)
		}
	}
	if slate.MassesKind.Source() != slate.DelegatesKind.Source() || slate.MembersKind.Source() == slate.MassesKind.Source() {
		t.Errorf("sources of kinds are wrong")
	}
}
