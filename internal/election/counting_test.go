package election

import (
	"slices"
	"testing"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

var seats = map[vetting.Post]int{vetting.Director: 1, vetting.CommitteeMember: 4}

var nominees = []Nominee{
	{Key: "11", Name: "张三", Sex: "男", Post: vetting.Director},
	{Key: "12", Name: "李四", Sex: "女", Post: vetting.CommitteeMember},
}

func TestOpeningValidate(t *testing.T) {
	ok := Opening{Committee: org.ResidentsCommittee, Round: FirstRound, Day: "2027-03-29", Registered: 1000,
		Seats: map[vetting.Post]int{vetting.Director: 1, vetting.CommitteeMember: 4}}
	got, err := ok.Validate(nominees)
	if err != nil || len(got) != 2 {
		t.Fatalf("%v %v", got, err)
	}
	for _, c := range []struct {
		name  string
		edit  func(o *Opening)
		field string
	}{
		{"no committee", func(o *Opening) { o.Committee = "" }, "committee"},
		{"no round", func(o *Opening) { o.Round = "second" }, "round"},
		{"no day", func(o *Opening) { o.Day = "2027-02-30" }, "day"},
		{"no voters", func(o *Opening) { o.Registered = 0 }, "registered"},
		{"negative", func(o *Opening) { o.Present = -1 }, "present"},
		{"party without 应到会", func(o *Opening) {
			o.Committee = org.PartyCommittee
			o.Seats = map[vetting.Post]int{vetting.Secretary: 1}
		}, "should_attend"},
		{"more present than should attend", func(o *Opening) {
			o.Committee, o.ShouldAttend, o.Present = org.PartyCommittee, 40, 41
			o.Seats = map[vetting.Post]int{vetting.Secretary: 1}
		}, "present"},
		{"a post of the other committee", func(o *Opening) { o.Seats = map[vetting.Post]int{vetting.Secretary: 1} }, "seats"},
		{"no seats", func(o *Opening) { o.Seats = map[vetting.Post]int{vetting.Director: 0} }, "seats"},
		{"someone not on the list", func(o *Opening) { o.Candidates = []string{"11", "99"} }, "candidates"},
		{"a candidate's post not elected", func(o *Opening) { o.Seats = map[vetting.Post]int{vetting.CommitteeMember: 4} }, "seats"},
	} {
		o := ok
		c.edit(&o)
		if _, err := o.Validate(nominees); errs.FieldOf(err) != c.field {
			t.Errorf("%s: %v, want on %s", c.name, err, c.field)
		}
	}
	if _, err := ok.Validate(nil); errs.FieldOf(err) != "candidates" {
		t.Errorf("no formal list: %v", err)
	}
	o := ok
	o.Candidates, o.Seats = []string{"12"}, map[vetting.Post]int{vetting.CommitteeMember: 2}
	if got, err := o.Validate(nominees); err != nil || len(got) != 1 || got[0].Name != "李四" {
		t.Errorf("a further ballot's candidates: %v %v", got, err)
	}
}

// An entry is the ballot's lines in its order whatever order the clerk
// sent; an empty number stays empty (not zero) until 其余填0; bad rows are
// refused on their field.
func TestNormalise(t *testing.T) {
	entered := Count{Issued: num(100), Lines: []Line{
		{Key: "12", Post: vetting.CommitteeMember, Yes: num(40)},
		{Key: "11", Post: vetting.Director, Yes: num(60), No: num(30), Abstain: num(5)},
	}, WriteIns: []Line{{Name: " 王五 ", Post: vetting.CommitteeMember, Yes: num(3)}, {}}}
	c, err := Normalise(entered, org.ResidentsCommittee, seats, nominees)
	if err != nil {
		t.Fatal(err)
	}
	if c.Lines[0].Name != "张三" || *c.Lines[0].Yes != 60 || c.Lines[1].No != nil || c.Returned != nil {
		t.Errorf("lines %+v", c.Lines)
	}
	if len(c.WriteIns) != 1 || c.WriteIns[0].Name != "王五" {
		t.Errorf("write-ins %+v", c.WriteIns)
	}
	filled := FillZero(&c)
	if c.Returned == nil || *c.Returned != 0 || c.Voted != nil || *c.Lines[1].No != 0 || *c.Issued != 100 {
		t.Errorf("filled %+v", c)
	}
	if !slices.Contains(filled, "lines[1].no") || slices.Contains(filled, "ballots_issued") || len(filled) != 5 {
		t.Errorf("filled fields %v", filled)
	}
	if c.FieldLabel("lines[1].no") != "李四(委员)不赞成票" || c.FieldLabel("write_ins[0].yes") != "另选他人王五(委员)票数" ||
		c.FieldLabel("ballots_returned") != "收回选票数" || c.FieldLabel("lines[9].yes") != "候选人第10行赞成票" || c.FieldLabel("x") == "x" {
		t.Errorf("labels %q %q", c.FieldLabel("lines[1].no"), c.FieldLabel("write_ins[0].yes"))
	}
	for _, bad := range []struct {
		name  string
		c     Count
		field string
	}{
		{"negative", Count{Valid: num(-1)}, "valid_ballots"},
		{"stranger", Count{Lines: []Line{{Key: "99", Post: vetting.Director}}}, "lines[0].key"},
		{"twice", Count{Lines: []Line{{Key: "11", Post: vetting.Director}, {Key: "11", Post: vetting.Director}}}, "lines[1].key"},
		{"huge", Count{Lines: []Line{{Key: "12", Post: vetting.CommitteeMember, No: num(MaxVotes + 1)}}}, "lines[1].no"},
		{"write-in without a name", Count{WriteIns: []Line{{Post: vetting.CommitteeMember, Yes: num(1)}}}, "write_ins[0].name"},
		{"write-in of a party post", Count{WriteIns: []Line{{Name: "赵六", Post: vetting.Secretary, Yes: num(1)}}}, "write_ins[0].post"},
		{"write-in of a post without seats", Count{WriteIns: []Line{{Name: "赵六", Post: vetting.DeputyDirector, Yes: num(1)}}}, "write_ins[0].post"},
		{"write-in of a nominee", Count{WriteIns: []Line{{Name: "李四", Post: vetting.CommitteeMember, Yes: num(1)}}}, "write_ins[0].name"},
		{"write-in of a nominee for another post", Count{WriteIns: []Line{{Name: "张三", Post: vetting.CommitteeMember, Yes: num(1)}}}, "write_ins[0].name"},
		{"write-in twice", Count{WriteIns: []Line{{Name: "赵六", Post: vetting.CommitteeMember}, {Name: "赵六", Post: vetting.CommitteeMember}}}, "write_ins[1].name"},
	} {
		if _, err := Normalise(bad.c, org.ResidentsCommittee, seats, nominees); errs.FieldOf(err) != bad.field {
			t.Errorf("%s: %v, want on %s", bad.name, err, bad.field)
		}
	}
}

func TestSum(t *testing.T) {
	a := Count{Issued: num(10), Returned: num(9), Valid: num(8), Invalid: num(1),
		Lines:    []Line{{Key: "1", Post: vetting.CommitteeMember, Yes: num(5), No: num(2), Abstain: num(1)}},
		WriteIns: []Line{{Name: "王五", Post: vetting.CommitteeMember, Yes: num(1)}}}
	b := Count{Voted: num(4), Issued: num(4), Returned: num(4), Valid: num(4), Invalid: num(0),
		Lines:    []Line{{Key: "1", Post: vetting.CommitteeMember, Yes: num(4), No: num(0), Abstain: num(0)}},
		WriteIns: []Line{{Name: "王五", Post: vetting.CommitteeMember, Yes: num(2)}, {Name: "赵六", Post: vetting.CommitteeMember, Yes: num(1)}}}
	s := Sum(a, b)
	if *s.Voted != 13 || *s.Issued != 14 || *s.Returned != 13 || *s.Valid != 12 || *s.Lines[0].Yes != 9 || len(s.Lines) != 1 ||
		len(s.WriteIns) != 2 || *s.WriteIns[0].Yes != 3 {
		t.Errorf("sum %+v", s)
	}
	if s := Sum(a); s.Voted != nil {
		t.Errorf("no station gave 参加投票人数: %v", *s.Voted)
	}
}

// A ballot read aloud: unmarked nominees abstain; bad marks refused on the mark.
func TestCompleteMarks(t *testing.T) {
	got, err := CompleteMarks([]Mark{{Key: "12", Choice: Yes}, {Name: " 王五 ", Post: vetting.CommitteeMember}}, org.ResidentsCommittee, seats, nominees)
	if err != nil || len(got) != 3 || got[0].Choice != Abstain || got[0].Post != vetting.Director || got[1].Choice != Yes ||
		got[1].Post != vetting.CommitteeMember || got[2] != (Mark{Name: "王五", Post: vetting.CommitteeMember, Choice: Yes}) {
		t.Fatalf("%+v %v", got, err)
	}
	for _, bad := range []struct {
		name  string
		marks []Mark
		field string
	}{
		{"stranger", []Mark{{Key: "99"}}, "marks[0].key"},
		{"wrong post", []Mark{{Key: "11", Post: vetting.CommitteeMember}}, "marks[0].key"},
		{"twice", []Mark{{Key: "11"}, {Key: "11", Choice: No}}, "marks[1].key"},
		{"unknown choice", []Mark{{Key: "11", Choice: "maybe"}}, "marks[0].choice"},
		{"write-in without a name", []Mark{{Post: vetting.CommitteeMember}}, "marks[0].name"},
		{"write-in without seats", []Mark{{Name: "赵六", Post: vetting.DeputyDirector}}, "marks[0].post"},
		{"write-in against", []Mark{{Name: "赵六", Post: vetting.CommitteeMember, Choice: No}}, "marks[0].choice"},
		{"write-in of a nominee", []Mark{{Name: "张三", Post: vetting.Director}}, "marks[0].name"},
		{"write-in twice", []Mark{{Name: "赵六", Post: vetting.CommitteeMember}, {Name: "赵六", Post: vetting.CommitteeMember}}, "marks[1].name"},
	} {
		if _, err := CompleteMarks(bad.marks, org.ResidentsCommittee, seats, nominees); errs.FieldOf(err) != bad.field {
			t.Errorf("%s: %v, want on %s", bad.name, err, bad.field)
		}
	}
}
