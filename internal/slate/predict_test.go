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

// 35岁以下 includes 35 (民法典第一千二百五十九条), counted on the election day:
// a person turning 36 the day after is 35 and young; one turning 36 on the
// day is not.
func TestYoungOnElectionDay(t *testing.T) {
	day := civil.Date("2026-03-28")
	for _, c := range []struct {
		birth civil.Date
		age   int
		young bool
	}{
		{"1990-03-29", 35, true},  // turns 36 the day after the election
		{"1990-03-28", 36, false}, // turns 36 on the election day
		{"1991-03-28", 35, true},  // turns 35 on the day
		{"1990-02-28", 36, false},
		{"2008-03-28", 18, true},
	} {
		age := slate.AgeOn(c.birth, day)
		if age != c.age || slate.Young(age) != c.young {
			t.Errorf("born %s: age %d young %v on %s, want %d %v", c.birth, age, slate.Young(age), day, c.age, c.young)
		}
	}
	if slate.AgeOn("", day) != 0 || slate.AgeOn("1990-01-01", "") != 0 {
		t.Errorf("a missing date gives an age")
	}
	// A leap-day birth turns 36 only on 1 March of a common year.
	if got := slate.AgeOn("2000-02-29", "2036-02-28"); got != 35 {
		t.Errorf("leap day: %d", got)
	}
}

func TestCheckPrediction(t *testing.T) {
	party, res := org.PartyCommittee, org.ResidentsCommittee
	both := map[org.Committee]bool{party: true, res: true}
	people := map[int64]slate.Person{
		1: {Name: "张一", Status: vetting.Qualified, Stands: both, Age: map[org.Committee]int{party: 35, res: 35}},
		2: {Name: "李二", Status: vetting.Qualified, Stands: both, Age: map[org.Committee]int{party: 36, res: 36}},
		3: {Name: "王三", Status: vetting.Disqualified, Stands: both, Age: map[org.Committee]int{party: 50, res: 50}},
		4: {Name: "赵四", Status: vetting.Qualified, Stands: map[org.Committee]bool{res: true}, Age: map[org.Committee]int{party: 40, res: 40}},
		5: {Name: "钱五", Status: vetting.Qualified, Stands: both, Age: map[org.Committee]int{party: 45, res: 45}},
		6: {Name: "孙六", Status: vetting.Withdrawn, Stands: both, Age: map[org.Committee]int{party: 45, res: 45}},
	}
	seats := map[org.Committee]slate.Seats{
		party: {Committee: party, FullMembers: 30, Chief: 1, Deputies: 1, Members: 1},
		res:   {Committee: res, Body: slate.ResidentsBody, Chief: 1, Deputies: 1, Members: 3},
	}
	pick := func(c org.Committee, p vetting.Post, id int64, src slate.Origin) slate.Pick {
		return slate.Pick{Committee: c, Post: p, AspirantID: id, Source: src}
	}
	for _, c := range []struct {
		name   string
		p      slate.Prediction
		seats  map[org.Committee]slate.Seats
		field  string // "" accepted
		saying string
	}{
		{"a young secretary with a source", slate.Prediction{Picks: []slate.Pick{pick(party, vetting.Secretary, 1, slate.Inside)}}, seats, "", ""},
		{"35 without a source", slate.Prediction{Picks: []slate.Pick{pick(party, vetting.Secretary, 1, "")}}, seats, "picks[0].source", "来源"},
		{"36 needs no source", slate.Prediction{Picks: []slate.Pick{pick(party, vetting.Secretary, 2, "")}}, seats, "", ""},
		{"an unknown source", slate.Prediction{Picks: []slate.Pick{pick(party, vetting.Secretary, 2, "abroad")}}, seats, "picks[0].source", ""},
		{"disqualified refused", slate.Prediction{Picks: []slate.Pick{pick(res, vetting.CommitteeMember, 3, "")}}, seats, "picks[0].aspirant_id", "取消参选资格"},
		{"withdrawn refused", slate.Prediction{Picks: []slate.Pick{pick(res, vetting.CommitteeMember, 6, "")}}, seats, "picks[0].aspirant_id", "劝退"},
		{"not of the community", slate.Prediction{Picks: []slate.Pick{pick(res, vetting.CommitteeMember, 99, "")}}, seats, "picks[0].aspirant_id", ""},
		{"not standing for the party", slate.Prediction{Picks: []slate.Pick{pick(party, vetting.CommitteeMember, 4, "")}}, seats, "picks[0].aspirant_id", "没有报名"},
		{"no person", slate.Prediction{Picks: []slate.Pick{pick(party, vetting.CommitteeMember, 0, "")}}, seats, "picks[0].aspirant_id", ""},
		{"a post of the other committee", slate.Prediction{Picks: []slate.Pick{pick(party, vetting.Director, 2, "")}}, seats, "picks[0].post", ""},
		{"twice on one committee", slate.Prediction{Picks: []slate.Pick{pick(res, vetting.Director, 2, ""),
			pick(res, vetting.CommitteeMember, 2, "")}}, seats, "picks[1].aspirant_id", "只能预判一个职务"},
		{"on both committees (交叉任职)", slate.Prediction{Picks: []slate.Pick{pick(party, vetting.DeputySecretary, 2, ""),
			pick(res, vetting.CommitteeMember, 2, "")}}, seats, "", ""},
		{"more than the seats", slate.Prediction{Picks: []slate.Pick{pick(party, vetting.CommitteeMember, 2, ""),
			pick(party, vetting.CommitteeMember, 5, "")}}, seats, "picks[1].aspirant_id", "职数为1名"},
		{"as many as the seats", slate.Prediction{Picks: []slate.Pick{pick(res, vetting.CommitteeMember, 2, ""),
			pick(res, vetting.CommitteeMember, 5, ""), pick(res, vetting.CommitteeMember, 4, "")}}, seats, "", ""},
		{"seats unset: members allowed", slate.Prediction{Picks: []slate.Pick{pick(party, vetting.CommitteeMember, 2, ""),
			pick(party, vetting.CommitteeMember, 5, "")}}, nil, "", ""},
		{"seats unset: still one secretary", slate.Prediction{Picks: []slate.Pick{pick(party, vetting.Secretary, 2, ""),
			pick(party, vetting.Secretary, 5, "")}}, nil, "picks[1].aspirant_id", ""},
		{"一肩挑 with different persons", slate.Prediction{Dual: true, Picks: []slate.Pick{pick(party, vetting.Secretary, 2, ""),
			pick(res, vetting.Director, 5, "")}}, seats, "dual", "同一人"},
		{"一肩挑 with one person", slate.Prediction{Dual: true, Picks: []slate.Pick{pick(party, vetting.Secretary, 2, ""),
			pick(res, vetting.Director, 2, "")}}, seats, "", ""},
		{"different persons without 一肩挑", slate.Prediction{Picks: []slate.Pick{pick(party, vetting.Secretary, 2, ""),
			pick(res, vetting.Director, 5, "")}}, seats, "", ""},
		{"notes of 501 characters", slate.Prediction{Picks: []slate.Pick{{Committee: res, Post: vetting.Director, AspirantID: 2,
			Notes: strings.Repeat("字", 501)}}}, seats, "picks[0].notes", ""},
		{"notes of 500 characters", slate.Prediction{Picks: []slate.Pick{{Committee: res, Post: vetting.Director, AspirantID: 2,
			Notes: strings.Repeat("字", 500)}}}, seats, "", ""},
	} {
		err := slate.CheckPrediction(c.p, people, c.seats)
		if errs.FieldOf(err) != c.field || (err == nil) != (c.field == "") || !strings.Contains(errs.MessageOf(err), c.saying) {
			t.Errorf("%s: %v (field %q), want field %q saying %q", c.name, err, errs.FieldOf(err), c.field, c.saying)
		}
	}
	if w := slate.PredictionWarnings(slate.Prediction{Dual: true, Picks: []slate.Pick{pick(party, vetting.Secretary, 2, "")}}, nil); len(w) != 3 ||
		!strings.Contains(w[0], "尚未设定职数") || !strings.Contains(w[2], "一肩挑") {
		t.Errorf("warnings: %q", w)
	}
}

// Changes pair who left a post with who came; a reason is required when
// someone is replaced or removed, not for an addition.
func TestChanges(t *testing.T) {
	party, res := org.PartyCommittee, org.ResidentsCommittee
	before := []slate.Pick{{Committee: party, Post: vetting.Secretary, AspirantID: 1},
		{Committee: res, Post: vetting.CommitteeMember, AspirantID: 2}, {Committee: res, Post: vetting.CommitteeMember, AspirantID: 3}}
	after := []slate.Pick{{Committee: party, Post: vetting.Secretary, AspirantID: 4},
		{Committee: res, Post: vetting.CommitteeMember, AspirantID: 3, Notes: "重排"}, {Committee: res, Post: vetting.CommitteeMember, AspirantID: 2},
		{Committee: res, Post: vetting.Director, AspirantID: 5}}
	got := slate.Changes(before, after)
	want := []slate.Change{{Committee: party, Post: vetting.Secretary, From: 1, To: 4}, {Committee: res, Post: vetting.Director, To: 5}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("changes %+v, want %+v", got, want)
	}
	if err := slate.CheckReason(got, " "); errs.FieldOf(err) != "reason" {
		t.Errorf("a replacement without a reason: %v", err)
	}
	if err := slate.CheckReason(got[1:], ""); err != nil {
		t.Errorf("an addition needs no reason: %v", err)
	}
	removed := slate.Changes(before[:1], nil)
	if len(removed) != 1 || removed[0].To != 0 || slate.CheckReason(removed, "") == nil {
		t.Errorf("a removal: %+v", removed)
	}
	if err := slate.CheckReason(got, strings.Repeat("因", 501)); errs.FieldOf(err) != "reason" {
		t.Errorf("a reason of 501 characters: %v", err)
	}
}

func TestReservePerson(t *testing.T) {
	day := civil.Date("2026-05-20")
	good := func() slate.ReservePerson {
		return slate.ReservePerson{Name: " 周七 ", Sex: "女", BirthDate: "1995-06-01", Education: vetting.Bachelor,
			Party: vetting.PartyMember, Workplace: "街道社区服务中心"}
	}
	r := good()
	if err := r.Validate(day); err != nil || r.Name != "周七" {
		t.Fatalf("a good reserve person: %v %q", err, r.Name)
	}
	for field, bad := range map[string]func(*slate.ReservePerson){
		"name":       func(r *slate.ReservePerson) { r.Name = "周" },
		"sex":        func(r *slate.ReservePerson) { r.Sex = "" },
		"birth_date": func(r *slate.ReservePerson) { r.BirthDate = "2026-02-30" },
		"education":  func(r *slate.ReservePerson) { r.Education = "" },
		"party":      func(r *slate.ReservePerson) { r.Party = "x" },
		"workplace":  func(r *slate.ReservePerson) { r.Workplace = strings.Repeat("单", 101) },
		"note":       func(r *slate.ReservePerson) { r.Note = strings.Repeat("注", 501) },
	} {
		r := good()
		bad(&r)
		if err := r.Validate(day); errs.FieldOf(err) != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	// 18 on the day is old enough, a day short is not.
	r = good()
	r.BirthDate = "2008-05-20"
	if err := r.Validate(day); err != nil {
		t.Errorf("18 on the day: %v", err)
	}
	r.BirthDate = "2008-05-21"
	if err := r.Validate(day); errs.FieldOf(err) != "birth_date" {
		t.Errorf("a day short of 18: %v", err)
	}
}
